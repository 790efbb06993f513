"""A session signed in through a trust's own provider works in that trust, and no other.

The trust's administrator chose that identity service, and it vouches for the person in that
trust only: someone who also works in another trust could otherwise be signed in, by a
service one trust controls, to another trust's records. So the person works in the
provider's trust without being asked, is not offered a switch, and is refused one; signing
in again with a password frees the session."""

import pytest
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people import services
from coachloop.people.middleware import SESSION_SIGNED_IN_FOR_TRUST_KEY, SESSION_TRUST_KEY
from tests.oidc import providers_for, sign_in_with
from tests.world import lead_in_two_trusts

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"


def sign_in_through(client, world, trust, account="lead-in-two-trusts"):
    with providers_for(world.trust, world.other_trust) as (loopback, providers):
        provider = next(p for p in providers if p.trust_id == trust.pk)
        sign_in_with(client, loopback, provider, account)


def lead_home(records):
    return reverse("coaching:lead_home", args=[records.school.slug])


@pytest.mark.parametrize("through", ["trust", "other_trust"])
def test_signing_in_through_a_trusts_provider_works_in_that_trust_without_asking(
    client, world, through
):
    person = lead_in_two_trusts(world)
    trust = getattr(world, through)
    sign_in_through(client, world, trust)

    assert client.session["_auth_user_id"] == str(person.pk)
    assert client.session[SESSION_TRUST_KEY] == trust.pk
    assert client.session[SESSION_SIGNED_IN_FOR_TRUST_KEY] == trust.pk
    home = client.get(reverse("home"), follow=True)
    assert reverse("trust_choose") not in [url for url, _ in home.redirect_chain]
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="trust.chosen", trust=trust, actor=person).exists()


def test_the_other_trust_is_neither_offered_nor_open_nor_choosable(client, world):
    lead_in_two_trusts(world)
    sign_in_through(client, world, world.trust)

    own = client.get(lead_home(world.own))
    assert own.status_code == 200
    assert "Switch trust" not in own.content.decode()
    assert client.get(lead_home(world.other_trust_records)).status_code == 404

    refused = client.post(reverse("trust_choose"), {"trust": world.other_trust.pk})
    assert client.session[SESSION_TRUST_KEY] == world.trust.pk
    assert client.get(lead_home(world.other_trust_records)).status_code == 404
    assert refused.status_code in (200, 302)


def test_the_service_refuses_another_trust_in_a_session_signed_in_for_one(world):
    person = lead_in_two_trusts(world)
    session = {SESSION_SIGNED_IN_FOR_TRUST_KEY: world.trust.pk, SESSION_TRUST_KEY: world.trust.pk}
    with pytest.raises(services.ValidationError, match="sign you in to that trust only"):
        services.trust_choose(person=person, trust=world.other_trust, session=session)
    assert session[SESSION_TRUST_KEY] == world.trust.pk


def test_signing_in_again_with_a_password_frees_the_session(client, world):
    person = lead_in_two_trusts(world)
    person.set_password(PASSWORD)
    person.save()
    sign_in_through(client, world, world.trust)
    client.post(reverse("login"), {"login": person.email, "password": PASSWORD})

    assert SESSION_SIGNED_IN_FOR_TRUST_KEY not in client.session
    client.post(reverse("trust_choose"), {"trust": world.other_trust.pk})
    assert client.get(lead_home(world.other_trust_records)).status_code == 200


def test_someone_in_one_trust_is_tied_to_it_and_asked_nothing(client, world):
    with providers_for(world.trust) as (loopback, [provider]):
        sign_in_with(client, loopback, provider, "teacher")
    assert client.session["_auth_user_id"] == str(world.people["teacher"].pk)
    assert client.session[SESSION_SIGNED_IN_FOR_TRUST_KEY] == world.trust.pk
    assert SESSION_TRUST_KEY not in client.session


def test_a_password_sign_in_after_one_through_a_provider_is_recorded_as_a_password(client, world):
    person = lead_in_two_trusts(world)
    person.set_password(PASSWORD)
    person.save()
    sign_in_through(client, world, world.trust)
    client.post(reverse("login"), {"login": person.email, "password": PASSWORD})
    latest = person.sign_ins.first()
    assert latest.method == latest.Method.PASSWORD
    assert latest.provider == ""
