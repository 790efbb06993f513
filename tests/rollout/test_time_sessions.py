"""CPD sessions (twilights): a coaching lead adds them, invites staff and records who came."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.frameworks.models import FrameworkVersion, Strand
from coachloop.people.queries import viewer_for
from coachloop.rollout.models import CpdInvitation, CpdSession
from coachloop.rollout.services import time as services
from tests.rollout import time_fixtures
from tests.rollout.time_fixtures import TODAY, lead_of, lead_of_a2, session

pytestmark = pytest.mark.django_db
lead_client = time_fixtures.lead_client
NEXT_WEEK = TODAY + dt.timedelta(days=7)


def counts():
    with scopes_disabled():
        return CpdSession.objects.count(), CpdInvitation.objects.count()


def session_post(world, **overrides):
    data = {
        "title": "Cold calling: practising the pause",
        "strand": str(world.own.framework_step.strand.pk),
        "date": NEXT_WEEK.isoformat(),
        "starts_at": "15:45",
        "ends_at": "17:00",
        "location": "Library",
        "invitees": [str(world.own.teacher.pk), str(world.own.coach.pk)],
    }
    data.update(overrides)
    return data


def test_a_lead_adds_a_session_on_a_strand_and_invites_staff(lead_client, world):
    url = reverse("rollout:time_session_new", args=["a1"])
    form = lead_client.get(url)
    assert form.status_code == 200
    assert "Behaviour and routines" in form.text
    assert f'name="invitees" type="checkbox" value="{world.own.teacher.pk}"' in form.text
    response = lead_client.post(url, session_post(world))
    with scopes_disabled():
        saved = CpdSession.objects.get()
        invited = set(saved.invitations.values_list("person_id", flat=True))
        assert AuditEvent.objects.filter(verb="cpd_session.added").count() == 1
    assert response.status_code == 302
    assert response.url == reverse("rollout:time_session", args=["a1", saved.pk])
    assert invited == {world.own.teacher.pk, world.own.coach.pk}
    assert saved.strand == world.own.framework_step.strand
    assert saved.led_by == lead_of(world)
    local = timezone.localtime(saved.starts_at)
    assert (local.date(), local.hour, local.minute) == (NEXT_WEEK, 15, 45)
    assert timezone.localtime(saved.ends_at).hour == 17
    page = lead_client.get(response.url).text
    assert "You can record who came once the session has started." in page
    assert "Teacher a1" in page


def test_inviting_all_staff_invites_everyone_with_a_role_in_the_school(lead_client, world):
    data = session_post(world, everyone="on")
    del data["invitees"]
    assert (
        lead_client.post(reverse("rollout:time_session_new", args=["a1"]), data).status_code == 302
    )
    with scopes_disabled():
        invited = set(CpdInvitation.objects.values_list("person__email", flat=True))
    assert invited == {
        "teacher-a1@example.org",
        "coach-a1@example.org",
        "other-coach@example.org",
        "lead@example.org",
        "head@example.org",
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "15:00"}, "The session must end after it starts."),
        ({"ends_at": "15:45"}, "The session must end after it starts."),
        ({"title": ""}, "Enter a title for the session."),
        ({"title": "   "}, "Enter a title for the session."),
        ({"date": ""}, "Enter the date of the session."),
        ({"date": "2026-02-30"}, "Enter a real date."),
        ({"starts_at": "nine"}, "Enter a time, for example 15:45."),
        ({"invitees": []}, "Choose at least one person to invite."),
        ({"strand": "999999"}, "Choose a strand of the trust&#x27;s current framework."),
        ({"title": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_session_input_gets_a_clear_message_and_saves_nothing(
    lead_client, world, overrides, message
):
    response = lead_client.post(
        reverse("rollout:time_session_new", args=["a1"]), session_post(world, **overrides)
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert counts() == (0, 0)


def test_people_and_strands_from_elsewhere_are_not_valid_choices(lead_client, world):
    url = reverse("rollout:time_session_new", args=["a1"])
    other_strand = world.other_trust_records.framework_step.strand
    for overrides, message in [
        ({"invitees": [str(world.other_school.teacher.pk)]}, "Invite only people who work"),
        ({"invitees": [str(world.other_trust_records.coach.pk)]}, "Invite only people who work"),
        ({"strand": str(other_strand.pk)}, "current framework"),
    ]:
        response = lead_client.post(url, session_post(world, **overrides))
        assert response.status_code == 200
        assert message in response.text
    assert counts() == (0, 0)


def test_a_strand_of_an_old_framework_version_is_refused(world):
    strand = world.own.framework_step.strand
    with scopes_disabled():
        FrameworkVersion.objects.filter(pk=strand.version_id).update(is_current=False)
    viewer = viewer_for(lead_of(world))
    starts = timezone.now() + dt.timedelta(days=3)
    with trust_scope(world.trust), pytest.raises(ValidationError) as raised:
        services.cpd_session_add(
            viewer=viewer,
            school=world.own.school,
            title="Old strand",
            strand=Strand.objects.get(pk=strand.pk),
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            invitees=[world.own.teacher],
        )
    assert "strand" in raised.value.message_dict
    assert counts() == (0, 0)


def test_the_service_refuses_a_session_that_ends_before_it_starts(world):
    viewer = viewer_for(lead_of(world))
    starts = timezone.now() + dt.timedelta(days=3)
    with trust_scope(world.trust), pytest.raises(ValidationError) as raised:
        services.cpd_session_add(
            viewer=viewer,
            school=world.own.school,
            title="Backwards",
            starts_at=starts,
            ends_at=starts - dt.timedelta(minutes=1),
            invitees=[world.own.teacher, world.other_school.teacher],
        )
    assert set(raised.value.message_dict) == {"ends_at", "invitees"}
    assert counts() == (0, 0)


def test_the_list_splits_sessions_coming_up_from_earlier_ones(lead_client, world):
    lead = lead_of(world)
    session(world.own.school, lead, [world.own.teacher], title="Coming soon")
    past = session(
        world.own.school,
        lead,
        [world.own.teacher, world.own.coach],
        starts_at=timezone.now() - dt.timedelta(days=7),
        title="Last week",
    )
    session(world.other_school.school, lead_of_a2(), [], title="At the other school")
    with scopes_disabled():
        past.invitations.filter(person=world.own.teacher).update(attended=True)
        past.invitations.filter(person=world.own.coach).update(attended=False)
    page = lead_client.get(reverse("rollout:time_sessions", args=["a1"])).text
    upcoming, earlier = page.split("Earlier sessions")
    assert "Coming soon" in upcoming and "Last week" not in upcoming
    assert "Last week" in earlier and "1 of 2 attended" in earlier
    assert "At the other school" not in page


def test_a_lead_records_attendance_once_the_session_has_started(lead_client, world):
    past = session(
        world.own.school,
        lead_of(world),
        [world.own.teacher, world.own.coach, world.people["other_coach"]],
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )
    with scopes_disabled():
        by_person = {i.person_id: i for i in past.invitations.all()}
    teacher = by_person[world.own.teacher.pk]
    coach = by_person[world.own.coach.pk]
    url = reverse("rollout:time_session", args=["a1", past.pk])
    assert "Save attendance" in lead_client.get(url).text
    response = lead_client.post(
        url, {f"attended-{teacher.pk}": "yes", f"attended-{coach.pk}": "no"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        recorded = dict(past.invitations.values_list("person_id", "attended"))
        assert AuditEvent.objects.filter(verb="cpd_session.attendance_recorded").count() == 1
    assert recorded == {
        world.own.teacher.pk: True,
        world.own.coach.pk: False,
        world.people["other_coach"].pk: None,  # not answered yet
    }
    page = lead_client.get(url).text
    assert "Attendance saved." in page
    field = f"attended-{teacher.pk}"
    assert f'name="{field}" type="radio" value="yes" checked' in page


def test_attendance_with_nothing_chosen_or_a_bad_answer_changes_nothing(lead_client, world):
    past = session(
        world.own.school,
        lead_of(world),
        [world.own.teacher],
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )
    with scopes_disabled():
        invitation = past.invitations.get()
    url = reverse("rollout:time_session", args=["a1", past.pk])
    for data, message in [
        ({}, "Say who came to the session."),
        ({f"attended-{invitation.pk}": "maybe"}, "Select a valid choice"),
    ]:
        response = lead_client.post(url, data)
        assert response.status_code == 200
        assert message in response.text
    with scopes_disabled():
        invitation.refresh_from_db()
    assert invitation.attended is None


def test_attendance_cannot_be_recorded_before_the_session_starts(lead_client, world):
    upcoming = session(world.own.school, lead_of(world), [world.own.teacher])
    with scopes_disabled():
        invitation = upcoming.invitations.get()
    url = reverse("rollout:time_session", args=["a1", upcoming.pk])
    response = lead_client.post(url, {f"attended-{invitation.pk}": "yes"}, follow=True)
    assert "Attendance can be recorded once the session has started." in response.text
    with scopes_disabled():
        invitation.refresh_from_db()
    assert invitation.attended is None


def test_the_service_refuses_attendance_for_someone_not_invited(world):
    lead = lead_of(world)
    started = timezone.now() - dt.timedelta(hours=1)
    mine = session(world.own.school, lead, [world.own.teacher], starts_at=started)
    other = session(world.own.school, lead, [world.own.coach], starts_at=started)
    with scopes_disabled():
        stranger = other.invitations.get()
        own_invitation = mine.invitations.get()
    viewer = viewer_for(lead)
    with trust_scope(world.trust), pytest.raises(ValidationError):
        services.cpd_attendance_record(
            viewer=viewer,
            session=CpdSession.objects.select_related("school").get(pk=mine.pk),
            attendance={own_invitation.pk: True, stranger.pk: True},
        )
    with scopes_disabled():
        assert set(CpdInvitation.objects.values_list("attended", flat=True)) == {None}


def test_a_lead_of_another_school_gets_not_found(client, world):
    made = session(
        world.own.school,
        lead_of(world),
        [world.own.teacher],
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )
    with scopes_disabled():
        invitation = made.invitations.get()
    client.force_login(lead_of_a2())
    for url in (
        reverse("rollout:time_sessions", args=["a1"]),
        reverse("rollout:time_session_new", args=["a1"]),
        reverse("rollout:time_session", args=["a1", made.pk]),
        reverse("rollout:time_session", args=["a2", made.pk]),  # their school, not their session
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {f"attended-{invitation.pk}": "yes"}).status_code == 404, url
    with scopes_disabled():
        invitation.refresh_from_db()
    assert invitation.attended is None
    assert counts() == (1, 1)


def test_invitees_see_their_invitations_and_others_do_not(client, world):
    lead = lead_of(world)
    session(world.own.school, lead, [world.own.teacher], title="Questioning twilight")
    earlier = session(
        world.own.school,
        lead,
        [world.own.teacher],
        starts_at=timezone.now() - dt.timedelta(days=14),
        title="Routines twilight",
    )
    with scopes_disabled():
        earlier.invitations.update(attended=True)
    client.force_login(world.own.teacher)
    page = client.get(reverse("rollout:time_mine")).text
    assert "Questioning twilight" in page and "Routines twilight" in page
    upcoming, past = page.split("Earlier sessions")
    assert "Questioning twilight" in upcoming and "Led by" in upcoming
    assert "Routines twilight" in past and "Yes" in past
    client.force_login(world.own.coach)
    page = client.get(reverse("rollout:time_mine")).text
    assert "Questioning twilight" not in page and "Routines twilight" not in page
