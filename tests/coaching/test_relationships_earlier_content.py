"""One rule for every kind of coaching and every way it starts (the coaching lead's pages, a
handover, the admin site): a new coach reads nothing of the teacher's written before their
coaching began (stages and their notes, progress notes and evidence on goals) until the
teacher agrees. A start date given in the past opens nothing; a former coach reads nothing
written after their coaching ended; coaching started in the admin site says so on the
teacher's page. Joining a coaching group opens none of the sessions held before."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import (
    EvidenceItem,
    Goal,
    GoalProgress,
    GroupSession,
    Relationship,
    Stage,
    StageAssessment,
)
from coachloop.coaching.queries.learning import evidence_for
from coachloop.coaching.services.groups import (
    group_action_report,
    group_member_add,
    group_session_record,
    group_session_update,
)
from coachloop.coaching.services.handover import relationship_hand_over
from coachloop.coaching.services.learning import goal_update
from coachloop.coaching.services.progression import stage_record
from coachloop.coaching.services.relationships import (
    KEEP_BOTH,
    co_coaching_start,
    coach_assign,
    relationship_end,
)
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.coaching.groups_fixtures import SESSION_WORDS, group_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
EARLIER_NOTE = "Written-before-the-new-coaching-3b9d"
LATER_NOTE = "Written-after-the-coaching-ended-5e1a"
KIND = Relationship.Kind
ASKED = "What you recorded before your coaching began"  # the question's title, on their home


def days(n):
    return TODAY + dt.timedelta(days=n)


def place(world, *, on, note, by=None):
    """The teacher (or ``by``) places the world's teacher on a stage, dated ``on``."""
    with scopes_disabled():
        return StageAssessment.objects.create(
            trust=world.trust,
            teacher=world.own.teacher,
            strand=world.own.framework_step.strand,
            strand_code="BR",
            strand_title="Behaviour and routines",
            stage=Stage.COMPETENT,
            assessed_on=on,
            assessed_by=by or world.own.teacher,
            note=note,
        )


def staff(world, name, role):
    with scopes_disabled():
        person = UserFactory(full_name=name)
        MembershipFactory(user=person, school=world.own.school, role=role)
    return person


# -- every way of starting coaching, each giving the teacher a new coach ----------------------


def _by_the_lead(kind, kind_fields):
    def start(world, as_viewer, client):
        viewer, scope = as_viewer(world.people["coaching_lead"])
        coach = world.people["other_coach"]
        with scope:
            relationship = coach_assign(
                viewer=viewer,
                school=world.own.school,
                coach=coach,
                teacher=world.own.teacher,
                kind=kind,
                over_limit_confirmed=True,
                same_kind=KEEP_BOTH,  # the teacher keeps the coaching of this kind they have
                **kind_fields(world),
            )
        return relationship, coach

    return start


def _co_coaching(world, as_viewer, client):
    peer = staff(world, "Pat Peer", Role.TEACHER)
    viewer, scope = as_viewer(world.people["coaching_lead"])
    with scope:
        first, _second = co_coaching_start(
            viewer=viewer, school=world.own.school, teacher=world.own.teacher, peer=peer
        )
    return first, peer


def _handover(world, as_viewer, client):
    viewer, scope = as_viewer(world.people["coaching_lead"])
    coach = world.people["other_coach"]
    with scope:
        new = relationship_hand_over(
            viewer=viewer, relationship=world.own.relationship, coach=coach
        )
    return new, coach


def _in_the_admin(started_on=TODAY):
    """The administrator gives themselves the coach role and starts coaching in the admin,
    once the teacher's instructional coaching has ended (a teacher has one of a kind)."""

    def start(world, as_viewer, client):
        administrator = world.people["administrator"]
        with scopes_disabled():
            relationship_end(actor=administrator, relationship=world.own.relationship)
            MembershipFactory(
                user=administrator,
                school=world.own.school,
                role=Role.COACH,
                started_on=days(-3000),
            )
        client.force_login(administrator)
        response = client.post(
            reverse("admin:coaching_relationship_add"),
            {
                "school": world.own.school.pk,
                "coach": administrator.pk,
                "teacher": world.own.teacher.pk,
                "kind": KIND.INSTRUCTIONAL,
                "started_on": started_on.isoformat(),
            },
        )
        assert response.status_code == 302
        with scopes_disabled():
            return Relationship.objects.get(coach=administrator), administrator

    return start


STARTS = {
    "instructional coaching from the lead's pages": _by_the_lead(
        KIND.INSTRUCTIONAL, lambda world: {}
    ),
    "mentoring from the lead's pages": _by_the_lead(
        KIND.MENTORING,
        lambda world: {
            "induction_starts_on": days(-10),
            "induction_ends_on": days(600),
            "cadence_days": 14,
        },
    ),
    "specialist coaching from the lead's pages": _by_the_lead(
        KIND.SPECIALIST, lambda world: {"strand": world.own.framework_step.strand}
    ),
    "co-coaching from the lead's pages": _co_coaching,
    "a handover": _handover,
    "the admin site": _in_the_admin(),
    # A start date given in the past opens nothing recorded before the coaching was.
    "the admin site, dated months back": _in_the_admin(started_on=days(-300)),
}


@pytest.fixture(params=list(STARTS), ids=list(STARTS))
def new_coaching(request, world, as_viewer, client):
    """The teacher, coached for two months, placed themselves on a stage last month; then
    someone new starts coaching them, one way or another."""
    place(world, on=days(-30), note=EARLIER_NOTE)
    relationship, coach = STARTS[request.param](world, as_viewer, client)
    return relationship, coach


def test_a_new_coach_cannot_read_earlier_stage_notes_until_the_teacher_agrees(
    client, world, new_coaching
):
    relationship, coach = new_coaching
    url = reverse("coaching:progression_coachee", args=[relationship.pk])
    client.force_login(coach)
    page = client.get(url).content.decode()
    assert EARLIER_NOTE not in page
    assert 'id="earlier-stages-hidden"' in page

    client.force_login(world.own.teacher)
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert reverse("coaching:earlier_consent", args=[relationship.pk]) in home
    response = client.post(
        reverse("coaching:earlier_consent", args=[relationship.pk]), {"answer": "agree"}
    )
    assert response.status_code == 302

    client.force_login(coach)
    assert EARLIER_NOTE in client.get(url).content.decode()


def test_taking_the_agreement_back_hides_the_earlier_stages_again(client, world, as_viewer):
    place(world, on=days(-30), note=EARLIER_NOTE)
    relationship, coach = STARTS["mentoring from the lead's pages"](world, as_viewer, client)
    consent = reverse("coaching:earlier_consent", args=[relationship.pk])
    client.force_login(world.own.teacher)
    client.post(consent, {"answer": "agree"})
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "can read what you recorded before your coaching with them began" in home
    client.post(consent, {"answer": "withdraw"})
    client.force_login(coach)
    url = reverse("coaching:progression_coachee", args=[relationship.pk])
    assert EARLIER_NOTE not in client.get(url).content.decode()


def test_the_new_coach_sees_the_stages_recorded_since_their_coaching_began(
    client, world, as_viewer
):
    relationship, coach = STARTS["specialist coaching from the lead's pages"](
        world, as_viewer, client
    )
    place(world, on=TODAY, note="Recorded-with-the-new-coach-2c4f")
    client.force_login(coach)
    page = client.get(reverse("coaching:progression_coachee", args=[relationship.pk]))
    assert "Recorded-with-the-new-coach-2c4f" in page.content.decode()
    assert 'id="earlier-stages-hidden"' not in page.content.decode()


def test_the_teacher_is_asked_only_when_there_is_something_from_before(client, world, as_viewer):
    relationship, _coach = STARTS["instructional coaching from the lead's pages"](
        world, as_viewer, client
    )
    consent = reverse("coaching:earlier_consent", args=[relationship.pk])
    client.force_login(world.own.teacher)
    assert consent not in client.get(reverse("coaching:teacher_home")).content.decode()
    assert client.get(consent).status_code == 404
    assert client.post(consent, {"answer": "agree"}).status_code == 404
    with scopes_disabled():
        assert Relationship.objects.get(pk=relationship.pk).earlier_content_consented_at is None

    place(world, on=days(-30), note=EARLIER_NOTE)
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert ASKED in home
    assert (
        "began coaching you on" in home and "Let them read what you recorded before then?" in home
    )
    assert client.get(consent).status_code == 200


def test_coaching_from_before_the_upgrade_asks_about_what_came_before_without_calling_it_new(
    client, world
):
    """Coaching recorded before the day of recording was kept (coaching 0011) counts from its
    start date: earlier stages are hidden from its coach until the teacher agrees, and the
    question says nothing that is untrue of coaching that began years ago."""
    began = days(-3 * 365)
    with scopes_disabled():
        Relationship.objects.filter(pk=world.own.relationship.pk).update(
            started_on=began, created_at=None
        )
    place(world, on=began - dt.timedelta(days=30), note=EARLIER_NOTE)
    client.force_login(world.own.teacher)
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert ASKED in home and "New coaching" not in home
    assert f"began coaching you on {began:%-d %B %Y}. Let them read what you recorded" in home
    client.force_login(world.own.coach)
    page = client.get(reverse("coaching:progression_coachee", args=[world.own.relationship.pk]))
    assert EARLIER_NOTE not in page.content.decode()


def test_only_the_teacher_answers_for_their_own_coaching(client, world, as_viewer):
    place(world, on=days(-30), note=EARLIER_NOTE)
    relationship, coach = STARTS["the admin site"](world, as_viewer, client)
    consent = reverse("coaching:earlier_consent", args=[relationship.pk])
    for person in (coach, world.people["coaching_lead"], world.other_school.teacher):
        client.force_login(person)
        assert client.post(consent, {"answer": "agree"}).status_code in (403, 404)
    with scopes_disabled():
        assert Relationship.objects.get(pk=relationship.pk).earlier_content_consented_at is None


# -- goals linked to the new coaching ---------------------------------------------------------


def test_a_goal_brought_to_new_coaching_shows_its_earlier_notes_and_evidence_only_once_agreed(
    client, world, as_viewer
):
    with scopes_disabled():
        goal = Goal.objects.create(
            trust=world.trust,
            teacher=world.own.teacher,
            relationship=world.own.relationship,
            title="Every pupil answers in full sentences",
            pupils="Year 9 set 2",
            review_on=days(30),
            created_by=world.own.teacher,
            created_at=timezone.now() - dt.timedelta(days=40),
        )
        GoalProgress.objects.create(
            trust=world.trust,
            goal=goal,
            written_on=days(-20),
            note=EARLIER_NOTE,
            written_by=world.own.coach,
        )
        evidence = EvidenceItem.objects.create(
            trust=world.trust,
            teacher=world.own.teacher,
            goal=goal,
            kind=EvidenceItem.Kind.LINK,
            title="Exit tickets from before",
            url="https://example.org/exit-tickets",
            added_by=world.own.teacher,
            added_on=days(-20),
        )
    viewer, scope = as_viewer(world.people["coaching_lead"])
    with scope:
        relationship_end(actor=viewer.user, relationship=world.own.relationship)
    relationship, coach = STARTS["instructional coaching from the lead's pages"](
        world, as_viewer, client
    )
    teacher, scope = as_viewer(world.own.teacher)
    with scope:
        goal_update(
            viewer=teacher, goal=goal, expected_version=goal.version, relationship=relationship
        )

    client.force_login(coach)
    detail = reverse("coaching:goal_detail", args=[goal.pk])
    page = client.get(detail).content.decode()
    assert goal.title in page  # the teacher linked the goal to this coaching
    assert EARLIER_NOTE not in page and evidence.title not in page
    assert 'id="earlier-goal-notes-hidden"' in page
    goals = client.get(reverse("coaching:coachee_goals", args=[relationship.pk])).content.decode()
    assert "0 progress notes" in goals and "0 pieces of evidence" in goals
    reader, scope = as_viewer(coach)
    with scope, pytest.raises(Http404):
        evidence_for(reader, evidence.pk)

    client.force_login(world.own.teacher)
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert ASKED in home
    client.post(reverse("coaching:earlier_consent", args=[relationship.pk]), {"answer": "agree"})
    client.force_login(coach)
    page = client.get(detail).content.decode()
    assert EARLIER_NOTE in page and evidence.title in page
    reader, scope = as_viewer(coach)
    with scope:
        assert evidence_for(reader, evidence.pk) == evidence


# -- the coach's own dates, and the end of the coaching ---------------------------------------


def test_a_new_coach_cannot_date_a_stage_before_their_coaching_began(world, as_viewer, client):
    relationship, coach = STARTS["co-coaching from the lead's pages"](world, as_viewer, client)
    viewer, scope = as_viewer(coach)
    with scope, pytest.raises(ValidationError) as refused:
        stage_record(
            viewer=viewer,
            teacher=world.own.teacher,
            relationship=relationship,
            strand=world.own.framework_step.strand,
            stage=Stage.NOVICE,
            assessed_on=days(-1),
        )
    assert "when your coaching began" in str(refused.value.message_dict["assessed_on"])
    with scopes_disabled():
        assert not StageAssessment.objects.exists()


def test_a_former_coach_reads_no_stage_recorded_after_their_coaching_ended(
    client, world, as_viewer
):
    place(world, on=days(-5), note=EARLIER_NOTE)
    viewer, scope = as_viewer(world.people["coaching_lead"])
    with scope:
        relationship_end(
            actor=viewer.user, relationship=world.own.relationship, finished_on=days(-1)
        )
    place(world, on=TODAY, note=LATER_NOTE)
    client.force_login(world.own.coach)
    url = reverse("coaching:progression_coachee", args=[world.own.relationship.pk])
    page = client.get(url).content.decode()
    assert EARLIER_NOTE in page  # recorded while they coached: theirs to read for a while yet
    assert LATER_NOTE not in page


# -- the admin site --------------------------------------------------------------------------


def test_coaching_started_in_the_admin_site_says_so_on_the_teachers_page(client, world, as_viewer):
    relationship, administrator = STARTS["the admin site"](world, as_viewer, client)
    with scopes_disabled():
        stored = Relationship.objects.get(pk=relationship.pk)
    assert stored.started_in_admin and stored.started_by == administrator
    client.force_login(world.own.teacher)
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert (
        f"Started in the admin site by {administrator.full_name}, an administrator, on "
        f"{TODAY:%-d %B %Y}." in home
    )


def test_coaching_the_lead_started_carries_no_admin_marker(client, world, as_viewer):
    relationship, _coach = STARTS["mentoring from the lead's pages"](world, as_viewer, client)
    with scopes_disabled():
        stored = Relationship.objects.get(pk=relationship.pk)
    assert not stored.started_in_admin
    assert stored.started_by == world.people["coaching_lead"]
    client.force_login(world.own.teacher)
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "Started in the admin site" not in home


# -- group coaching ---------------------------------------------------------------------------


@pytest.fixture
def joined_late(world, as_viewer):
    """An action learning set that met last week (a member brought a problem), which the
    coaching lead, who also teaches at the school, then joins."""
    group = group_in(world.own)
    lead = world.people["coaching_lead"]
    with scopes_disabled():
        MembershipFactory(user=lead, school=world.own.school, role=Role.TEACHER)
    viewer, scope = as_viewer(lead)
    with scope:
        group_member_add(viewer=viewer, group=group, person=lead)
    with scopes_disabled():
        session = GroupSession.objects.get(group=group)
    return group, session, lead


def test_joining_a_group_opens_nothing_said_before(client, world, joined_late):
    group, session, newcomer = joined_late
    client.force_login(newcomer)
    page = client.get(reverse("coaching:group", args=[group.pk])).content.decode()
    assert SESSION_WORDS not in page and session.action not in page
    assert 'id="sessions-before-joining"' in page and "The group met once before then" in page
    for route in ("coaching:group_session_edit", "coaching:group_action_report"):
        assert client.get(reverse(route, args=[session.pk])).status_code == 404
    form = client.get(reverse("coaching:group_session_new", args=[group.pk])).content.decode()
    assert session.action not in form  # the actions to hear about are from before they joined
    # The members who were there still read it.
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:group", args=[group.pk])).content.decode()
    assert SESSION_WORDS in page and 'id="sessions-before-joining"' not in page


def test_joining_a_group_that_has_not_met_says_nothing_of_meetings_before(client, world, as_viewer):
    group = group_in(world.own)
    with scopes_disabled():
        GroupSession.objects.filter(group=group).delete()
    newcomer = staff(world, "Nia Newcomer", Role.TEACHER)
    viewer, scope = as_viewer(world.people["coaching_lead"])
    with scope:
        group_member_add(viewer=viewer, group=group, person=newcomer)
    client.force_login(newcomer)
    page = client.get(reverse("coaching:group", args=[group.pk])).content.decode()
    assert group.name in page
    assert 'id="sessions-before-joining"' not in page and "0 times" not in page


def test_a_member_who_joined_late_cannot_change_or_date_a_session_before_they_joined(
    world, as_viewer, joined_late
):
    group, session, newcomer = joined_late
    viewer, scope = as_viewer(newcomer)
    with scope:
        with pytest.raises(PermissionDenied):
            group_action_report(
                viewer=viewer,
                session=session,
                expected_version=session.version,
                action_report="Overheard",
                reported_on=TODAY,
            )
        with pytest.raises(PermissionDenied):
            group_session_update(
                viewer=viewer, session=session, expected_version=session.version, notes="Mine"
            )
        with pytest.raises(ValidationError) as refused:
            group_session_record(viewer=viewer, group=group, met_on=days(-1), notes="Back-dated")
    assert "You joined the group on" in refused.value.message_dict["met_on"][0]
    with scopes_disabled():
        stored = GroupSession.objects.get(pk=session.pk)
        assert (stored.notes, stored.action_report) == (session.notes, "")
        assert GroupSession.objects.filter(group=group).count() == 1


def test_a_session_after_joining_is_read_and_written_as_before(client, world, joined_late):
    group, _session, newcomer = joined_late
    client.force_login(newcomer)
    response = client.post(
        reverse("coaching:group_session_new", args=[group.pk]),
        {"met_on": TODAY.isoformat(), "notes": "First-session-together-9d2e"},
    )
    assert response.status_code == 302
    page = client.get(reverse("coaching:group", args=[group.pk])).content.decode()
    assert "First-session-together-9d2e" in page
