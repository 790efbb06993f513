"""Rate limits per token: a fixed one-minute window counted in ``TokenWindow``, so every
server process counts the same calls. Past the token's ``rate_per_minute`` a call is a 429
with ``Retry-After`` (the seconds left in the minute). Counting a call is one statement."""

from django.db import connection
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from coachloop.api.models import TokenWindow

# One statement, PostgreSQL's and SQLite's alike, so two processes never lose a call.
COUNT_A_CALL = (
    'INSERT INTO "api_tokenwindow" ("trust_id", "token_id", "minute", "count") '
    "VALUES (%s, %s, %s, 1) "
    'ON CONFLICT ("trust_id", "token_id", "minute") '
    'DO UPDATE SET "count" = "api_tokenwindow"."count" + 1 '
    'RETURNING "count"'
)


def _count_a_call(token, minute):
    """The calls made with ``token`` in ``minute``, this one included: one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            COUNT_A_CALL,
            [token.trust_id, token.pk, connection.ops.adapt_datetimefield_value(minute)],
        )
        calls = cursor.fetchone()[0]
    if calls == 1:
        # The minute's first call: the token's earlier minutes are done with.
        TokenWindow.objects.filter(token=token, minute__lt=minute).delete()
    return calls


class TokenRate(BaseThrottle):
    def allow_request(self, request, view):
        token = getattr(request._request, "api_token", None)
        if token is None:
            return True
        now = timezone.now()
        self.seconds_left = 60 - now.second
        return _count_a_call(token, now.replace(second=0, microsecond=0)) <= token.rate_per_minute

    def wait(self):
        return self.seconds_left
