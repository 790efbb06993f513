"""Ending every session of a person signs them out on every device, and no one else; a new
password, the person's last role ending and signing out everywhere each do it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people import services
from coachloop.people.models import Membership, Role
from coachloop.people.sessions import end_every_session
from tests.factories import MembershipFactory, UserFactory
from tests.people.sessions_helpers import (
    IPHONE_SAFARI,
    is_signed_in,
    opens_home,
    sign_in_page_after,
    signed_in_client,
)
from tests.people.test_signing_in import choose_a_new_password

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"


def test_ending_every_session_signs_the_person_out_on_every_device_and_no_one_else(world):
    person, other = world.people["coach"], world.people["teacher"]
    for someone in (person, other):
        someone.set_password(PASSWORD)
        someone.save()
    phone, laptop, colleague = (
        signed_in_client(person),
        signed_in_client(person),
        signed_in_client(other),
    )

    assert end_every_session(person) == 2

    assert "_auth_user_id" not in phone.session
    assert "_auth_user_id" not in laptop.session
    assert "_auth_user_id" in colleague.session
    assert (
        phone.get(reverse("home"), follow=True).redirect_chain[-1][0].startswith(reverse("login"))
    )
    assert colleague.get(reverse("home"), follow=True).status_code == 200
    assert not colleague.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_the_session_in_use_can_be_kept(world):
    person = world.people["coach"]
    person.set_password(PASSWORD)
    person.save()
    phone, laptop = signed_in_client(person), signed_in_client(person)

    assert end_every_session(person, keep_session_key=laptop.session.session_key) == 1

    assert "_auth_user_id" not in phone.session
    assert "_auth_user_id" in laptop.session


# What ends every session: a new password, the last role ending, signing out everywhere.

NEW_PASSWORD = "a-brand-new-passphrase-42"


def test_a_new_password_on_the_change_password_page_ends_every_other_session(world):
    person = world.people["coach"]
    laptop, phone = signed_in_client(person), signed_in_client(person, user_agent=IPHONE_SAFARI)
    colleague = signed_in_client(world.people["teacher"])

    response = laptop.post(
        reverse("account_change_password") + "?next=" + reverse("account"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("account")
    assert "Your password has been changed. You have been signed out on every other device." in (
        response.content.decode()
    )
    assert is_signed_in(laptop) and opens_home(laptop)
    assert not is_signed_in(phone)
    assert "Sign in" in sign_in_page_after(phone)
    assert opens_home(colleague)
    assert list(UserSession.objects.filter(user=person).values_list("session_key", flat=True)) == [
        laptop.session.session_key
    ]


def test_a_new_password_from_an_emailed_link_ends_every_session(world, mailoutbox):
    person = world.people["coach"]
    laptop, phone = signed_in_client(person), signed_in_client(person, user_agent=IPHONE_SAFARI)
    colleague = signed_in_client(world.people["teacher"])

    choose_a_new_password(Client(), person, mailoutbox, NEW_PASSWORD)

    assert not is_signed_in(laptop) and not is_signed_in(phone)
    assert not UserSession.objects.filter(user=person).exists()
    assert opens_home(colleague)
    assert Client().post(reverse("login"), {"login": person.email, "password": NEW_PASSWORD})[
        "Location"
    ] == reverse("home")


def test_finishing_someones_last_role_ends_their_sessions(
    world, django_capture_on_commit_callbacks
):
    teacher = world.people["teacher"]
    phone = signed_in_client(teacher)
    with scopes_disabled():
        (role,) = Membership.objects.filter(user=teacher)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True), trust_scope(world.trust):
        services.membership_finish(
            actor=world.people["administrator"], membership=role, finished_on=yesterday
        )

    assert not is_signed_in(phone)
    assert not UserSession.objects.filter(user=teacher).exists()


def test_finishing_a_role_when_another_remains_ends_no_session(
    world, django_capture_on_commit_callbacks
):
    teacher = world.people["teacher"]
    with scopes_disabled():
        (role,) = Membership.objects.filter(user=teacher)
        MembershipFactory(user=teacher, trust=world.other_trust, school=None, role=Role.TRUST_LEAD)
    phone = signed_in_client(teacher)

    with django_capture_on_commit_callbacks(execute=True), trust_scope(world.trust):
        services.membership_finish(
            actor=world.people["administrator"],
            membership=role,
            finished_on=timezone.localdate() - dt.timedelta(days=1),
        )

    assert is_signed_in(phone) and opens_home(phone)


def test_finishing_the_last_role_in_the_admin_site_ends_the_persons_sessions(
    world, django_capture_on_commit_callbacks
):
    teacher = world.people["teacher"]
    phone = signed_in_client(teacher)
    administrator = signed_in_client(world.people["administrator"])
    with scopes_disabled():
        (role,) = Membership.objects.filter(user=teacher)
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = administrator.post(
            reverse("admin:people_membership_change", args=[role.pk]),
            {"finished_on": yesterday.isoformat()},
        )

    assert response.status_code == 302
    assert not is_signed_in(phone)


def test_a_last_role_that_ends_later_signs_the_person_out_once_it_has_ended(world):
    teacher = world.people["teacher"]
    with scopes_disabled():
        (role,) = Membership.objects.filter(user=teacher)
    late_evening = dt.datetime(2026, 6, 8, 22, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(late_evening, tick=False) as clock:
        phone = signed_in_client(teacher)
        with trust_scope(world.trust):
            services.membership_finish(
                actor=world.people["administrator"],
                membership=role,
                finished_on=late_evening.date(),
            )
        assert opens_home(phone)  # the role lasts until the end of the day
        clock.shift(dt.timedelta(hours=1, minutes=59))
        assert opens_home(phone)
        clock.shift(dt.timedelta(minutes=2))  # 00:01 the next day
        page = sign_in_page_after(phone)
    assert "You were signed out because you no longer have a role in a school or trust" in page


def test_someone_whose_role_has_not_begun_is_not_signed_out(world):
    with scopes_disabled():
        newcomer = UserFactory()
        MembershipFactory(
            user=newcomer,
            trust=world.trust,
            school=world.own.school,
            role=Role.TEACHER,
            started_on=timezone.localdate() + dt.timedelta(days=7),
        )
    client = signed_in_client(newcomer)
    assert client.get(reverse("home")).status_code == 403  # "You have no current role"
    assert is_signed_in(client)


def test_signing_out_everywhere_ends_every_session_this_one_too_and_is_audited(world):
    person = world.people["coach"]
    laptop, phone = signed_in_client(person), signed_in_client(person, user_agent=IPHONE_SAFARI)
    colleague = signed_in_client(world.people["teacher"])

    response = laptop.post(reverse("sign_out_everywhere"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have been signed out everywhere: on every device, this one included." in (
        response.content.decode()
    )
    assert not is_signed_in(laptop) and not is_signed_in(phone)
    assert not UserSession.objects.filter(user=person).exists()
    assert opens_home(colleague)
    with scopes_disabled():
        (event,) = AuditEvent.objects.filter(verb="person.signed_out_everywhere")
    assert (event.actor, event.subject, event.trust) == (person, person, world.trust)
    assert event.summary == "2 sessions ended"


def test_signing_out_everywhere_is_only_ever_a_post(world):
    client = signed_in_client(world.people["coach"])
    assert client.get(reverse("sign_out_everywhere")).status_code == 405
    assert is_signed_in(client)


def test_the_change_password_page_is_in_our_words_and_a_wrong_current_password_changes_nothing(
    world,
):
    person = world.people["coach"]
    laptop, phone = signed_in_client(person), signed_in_client(person, user_agent=IPHONE_SAFARI)
    url = reverse("account_change_password") + "?next=" + reverse("account")
    page = laptop.get(url).content.decode()
    assert '<h1 class="govuk-heading-l">Change your password</h1>' in page
    assert 'name="next" value="/account/"' in page

    response = laptop.post(
        url, {"oldpassword": "not-my-password", "password1": NEW_PASSWORD, "password2": "other"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "That is not your current password. Enter it again." in page
    assert "The two new passwords are not the same." in page
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert opens_home(phone)
