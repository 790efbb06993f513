"""The emails page: each person turns each kind of email off, and back on."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.queries import viewer_for
from coachloop.rollout.models import EmailPreference
from coachloop.rollout.services.emails import email_preference_set

pytestmark = pytest.mark.django_db
URL = reverse("rollout:emails")


def preferences():
    with scopes_disabled():
        return list(
            EmailPreference.objects.values_list("person__email", "due_reminders", "weekly_digest")
        )


def changes():
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(verb="email_preference.changed").values_list(
                "actor__email", "summary"
            )
        )


def checked(response, name):
    html = response.content.decode()
    tag = html[html.index(f'name="{name}"') :]
    return " checked" in tag[: tag.index(">")]


@pytest.mark.parametrize("persona", ["teacher", "coach", "coaching_lead", "headteacher"])
def test_every_member_sees_both_emails_turned_on_until_they_choose(client, world, persona):
    client.force_login(world.people[persona])
    response = client.get(URL)
    assert response.status_code == 200
    assert checked(response, "due_reminders") and checked(response, "weekly_digest")
    assert preferences() == []


def test_unticking_the_reminders_turns_them_off_and_is_audited(client, world):
    coach = world.own.coach
    client.force_login(coach)
    response = client.post(URL, {"weekly_digest": "on"})
    assert response.status_code == 302 and response.url == URL
    assert preferences() == [(coach.email, False, True)]
    assert changes() == [(coach.email, "due_reminders off; weekly_digest on")]

    page = client.get(URL)
    assert not checked(page, "due_reminders") and checked(page, "weekly_digest")
    assert "Your email choices are saved." in page.content.decode()


def test_turning_everything_back_on_is_saved_and_audited_again(client, world):
    coach = world.own.coach
    client.force_login(coach)
    client.post(URL, {})
    client.post(URL, {"due_reminders": "on", "weekly_digest": "on"})
    assert preferences() == [(coach.email, True, True)]
    assert len(changes()) == 2


def test_saving_without_a_change_writes_nothing(client, world):
    client.force_login(world.own.coach)
    client.post(URL, {"due_reminders": "on", "weekly_digest": "on"})
    assert preferences() == []
    assert changes() == []


def test_one_person_s_choice_is_theirs_alone(client, world):
    client.force_login(world.people["coaching_lead"])
    client.post(URL, {"due_reminders": "on"})
    client.force_login(world.own.coach)
    page = client.get(URL)
    assert checked(page, "due_reminders") and checked(page, "weekly_digest")
    assert preferences() == [("lead@example.org", True, False)]


def test_the_service_refuses_anything_but_on_or_off_and_saves_nothing(world):
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust), pytest.raises(ValidationError):
        email_preference_set(viewer=viewer, due_reminders="no", weekly_digest=True)
    assert preferences() == []
    assert changes() == []


def test_signing_in_is_needed(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response.url
