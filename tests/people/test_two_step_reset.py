"""An administrator resets someone's two-step sign-in from their page in the admin site: their
authenticator app, keys and recovery codes are forgotten, they are signed out everywhere,
emailed, and the reset is in the trust's audit trail. Only the trust's own people, and not
someone who also works in another trust (operators reset those)."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.factories import (
    MembershipFactory,
    SchoolFactory,
    UserFactory,
    totp_code,
    two_step_set_up,
)

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"


def reset_url(person):
    return reverse("admin:people_user_two_step_reset", args=[person.pk])


def signed_in_client(person):
    """Signed in through the sign-in page (and the code, if they have two-step sign-in)."""
    client = Client()
    client.post(reverse("login"), {"login": person.email, "password": PASSWORD})
    if not client.session.get("_auth_user_id"):
        cache.clear()  # the same code again, on another device
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert "_auth_user_id" in client.session
    return client


def test_the_persons_page_says_what_they_have_set_up_and_links_to_resetting_it(admin_client, world):
    head = world.people["headteacher"]

    page = admin_client.get(reverse("admin:people_user_change", args=[head.pk])).content.decode()

    assert "Set up: an authenticator app, recovery codes." in page
    assert reset_url(head) in page
    teacher_page = admin_client.get(
        reverse("admin:people_user_change", args=[world.own.teacher.pk])
    ).content.decode()
    assert "Not set up." in teacher_page


def test_resetting_forgets_the_ways_ends_every_session_emails_and_audits(
    admin_client, world, django_capture_on_commit_callbacks
):
    head, administrator = world.people["headteacher"], world.people["administrator"]
    phone, laptop = signed_in_client(head), signed_in_client(head)
    teacher = signed_in_client(world.own.teacher)

    confirm = admin_client.get(reset_url(head))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reset_url(head))

    assert confirm.status_code == 200
    assert "signed out everywhere" in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:people_user_change", args=[head.pk])
    assert not Authenticator.objects.filter(user=head).exists()
    assert "_auth_user_id" not in phone.session and "_auth_user_id" not in laptop.session
    assert "_auth_user_id" in teacher.session
    (email,) = mail.outbox
    assert email.to == [head.email]
    assert "two-step sign-in" in email.subject
    assert administrator.full_name in email.body and administrator.email in email.body
    assert "If you did not ask for this" in email.body
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="two_step.reset")
    assert (event.actor, event.subject, event.trust) == (administrator, head, world.trust)
    history = admin_client.get(reverse("admin:people_user_history", args=[head.pk]))
    assert "two_step.reset" in history.content.decode()


def test_after_a_reset_a_head_sets_it_up_again_at_their_next_sign_in(admin_client, world):
    head = world.people["headteacher"]
    admin_client.post(reset_url(head))

    client = Client()
    client.post(reverse("login"), {"login": head.email, "password": PASSWORD})

    assert "_auth_user_id" in client.session  # no code asked for: there is none
    assert client.get(reverse("home"))["Location"] == reverse("mfa_index")


def test_another_trusts_person_cannot_be_reset(admin_client, world):
    stranger = world.other_trust_records.coach
    with scopes_disabled():
        two_step_set_up(stranger)

    assert admin_client.get(reset_url(stranger)).status_code == 404
    assert admin_client.post(reset_url(stranger)).status_code == 404
    assert Authenticator.objects.filter(user=stranger).exists()
    assert mail.outbox == []


def test_someone_who_also_works_in_another_trust_is_reset_only_by_operators(
    admin_client, world, django_capture_on_commit_callbacks
):
    head = world.people["headteacher"]
    with scopes_disabled():
        MembershipFactory(user=head, school=world.other_trust_records.school, role=Role.TEACHER)

    page = admin_client.get(reset_url(head)).content.decode()
    admin_client.post(reset_url(head))

    assert "only Coachloop&#x27;s operators can reset" in page
    assert Authenticator.objects.filter(user=head).exists()
    assert mail.outbox == []

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reset_two_step", head.email, "--trust", world.trust.slug, stdout=out)
    assert not Authenticator.objects.filter(user=head).exists()
    assert "signed out everywhere" in out.getvalue()
    assert "Coachloop's operators have reset your two-step sign-in" in mail.outbox[0].body


def test_the_command_refuses_someone_without_a_role_in_the_trust(world):
    with pytest.raises(CommandError, match="Nobody with that email address"):
        call_command(
            "reset_two_step", world.other_trust_records.coach.email, "--trust", world.trust.slug
        )


@pytest.mark.parametrize("persona", ["headteacher", "coaching_lead", "teacher"])
def test_only_administrators_can_reset(client, world, persona):
    head = world.people["headteacher"]
    client.force_login(world.people[persona])

    response = client.post(reset_url(head))

    assert response.status_code in (302, 403)
    assert reverse("admin:people_user_change", args=[head.pk]) not in response.get("Location", "")
    assert Authenticator.objects.filter(user=head).exists()


def test_a_reset_of_someone_new_who_set_nothing_up_still_signs_them_out(
    admin_client, world, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        newcomer = UserFactory()
        MembershipFactory(user=newcomer, school=SchoolFactory(trust=world.trust))
    session = signed_in_client(newcomer)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reset_url(newcomer))

    assert "_auth_user_id" not in session.session
    assert len(mail.outbox) == 1
