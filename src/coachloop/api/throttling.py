"""Rate limits per token: a fixed one-minute window counted in ``TokenWindow``, so every
server process counts the same calls. Past the token's ``rate_per_minute`` a call is a 429
with ``Retry-After`` (the seconds left in the minute)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from coachloop.api.models import TokenWindow


def _count_a_call(token, minute):
    """The calls made with ``token`` in ``minute``, this one included."""
    window = TokenWindow.objects.filter(token=token, minute=minute)
    if not window.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                TokenWindow.objects.create(token=token, minute=minute, count=1)
            # The token's earlier minutes are done with.
            TokenWindow.objects.filter(token=token, minute__lt=minute).delete()
            return 1
        except IntegrityError:  # another process made the minute's row first
            window.update(count=F("count") + 1)
    return window.values_list("count", flat=True).get()


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
