"""The pages for tokens and integrations: the demo administrator's own tokens (several, one
used and one revoked) and an integration with tokens of several scopes and schools."""

from django.urls import reverse
from django.utils import timezone

from coachloop.api.models import Scope
from coachloop.demo.accounts import DEMO_TRUST_SLUG
from coachloop.people.models import School, Trust, User
from tests.api.tokens import make_integration, make_token


def pages():
    trust = Trust.objects.get(slug=DEMO_TRUST_SLUG)
    admin = User.objects.get(email="admin@riverside.example.org")
    now = timezone.now()
    _secret, own = make_token(admin, trust, name="Spreadsheet", last_used_at=now)
    make_token(admin, trust, name="Old", revoked_at=now, revoked_by=admin)
    integration = make_integration(trust, "School MIS")
    schools = list(School.objects.filter(trust=trust)[:2])
    for name, scopes in (("Staff", [Scope.READ_PEOPLE]), ("Activity", [Scope.READ_ACTIVITY])):
        _secret, token = make_token(
            integration.account,
            trust,
            integration=integration,
            name=name,
            scopes=scopes,
            schools=schools if Scope.READ_ACTIVITY in scopes else (),
        )
    return [
        (admin, reverse("api:tokens")),
        (admin, reverse("api:token_new")),
        (admin, reverse("api:token_revoke", args=[own.pk])),
        (admin, reverse("api:integrations")),
        (admin, reverse("api:integration_new")),
        (admin, reverse("api:integration", args=[integration.pk])),
        (admin, reverse("api:integration_token_new", args=[integration.pk])),
        (admin, reverse("api:integration_token_revoke", args=[integration.pk, token.pk])),
    ]
