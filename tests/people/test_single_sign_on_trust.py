"""Someone with roles in two trusts who signs in through one trust's own provider works in
that trust straight away (and can still switch from the header), rather than being asked."""

import pytest
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.middleware import SESSION_TRUST_KEY
from tests.oidc import providers_for, sign_in_with
from tests.world import lead_in_two_trusts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("through", ["trust", "other_trust"])
def test_signing_in_through_a_trusts_provider_works_in_that_trust(client, world, through):
    person = lead_in_two_trusts(world)
    trust = getattr(world, through)
    with providers_for(world.trust, world.other_trust) as (loopback, providers):
        provider = next(p for p in providers if p.trust_id == trust.pk)
        sign_in_with(client, loopback, provider, "lead-in-two-trusts")

    assert client.session["_auth_user_id"] == str(person.pk)
    assert client.session[SESSION_TRUST_KEY] == trust.pk
    home = client.get(reverse("home"), follow=True)
    assert reverse("trust_choose") not in [url for url, _ in home.redirect_chain]
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="trust.chosen", trust=trust, actor=person).exists()


def test_someone_in_one_trust_has_nothing_chosen_for_them(client, world):
    with providers_for(world.trust) as (loopback, [provider]):
        sign_in_with(client, loopback, provider, "teacher")
    assert client.session["_auth_user_id"] == str(world.people["teacher"].pk)
    assert SESSION_TRUST_KEY not in client.session
