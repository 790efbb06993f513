"""Group coaching's writes and who may read what: a coaching lead sets up dyads and action
learning sets within their size rules; only current members record and read sessions."""

import datetime as dt

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from coachloop.coaching.models import CoachingGroup, GroupMember
from coachloop.coaching.queries import groups as queries
from coachloop.coaching.services import groups as services
from coachloop.coaching.services.errors import EditConflict
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.coaching.groups_fixtures import SESSION_WORDS, TODAY, group_in, staff

pytestmark = pytest.mark.django_db
ALS = CoachingGroup.Kind.ACTION_LEARNING_SET
DYAD = CoachingGroup.Kind.DYAD
EVERYONE_ELSE = ("other_coach", "coaching_lead", "headteacher", "trust_lead", "administrator")


def create(viewer, school, members, **overrides):
    values = {"kind": ALS, "name": "Year 7 tutors", "focus": "Calm starts", "members": members}
    values.update(overrides)
    return services.coaching_group_create(viewer=viewer, school=school, **values)


def problems(error):
    return error.value.message_dict


@pytest.fixture
def lead(world, as_viewer):
    return as_viewer(world.people["coaching_lead"])


@pytest.fixture
def group(world):
    return group_in(world.own, extra=2)  # teacher, coach and two more: four members


def members_of(group):
    with scopes_disabled():
        return set(
            GroupMember.objects.filter(group=group, left_on__isnull=True).values_list(
                "person_id", flat=True
            )
        )


# -- setting a group up ------------------------------------------------------------------------


def test_a_lead_sets_up_an_action_learning_set_of_four_with_a_facilitator(world, lead):
    people = [world.own.teacher, world.own.coach, *staff(world.own.school, 2)]
    viewer, scope = lead
    with scope:
        group = create(viewer, world.own.school, people, facilitator=people[1], cadence_days=14)
        assert group.kind == ALS
        assert group.started_on == TODAY
        assert group.facilitator == world.own.coach
        assert group.created_by == world.people["coaching_lead"]
        assert {m.person_id: m.joined_on for m in group.members.all()} == {
            p.pk: TODAY for p in people
        }
        assert AuditEvent.objects.filter(
            verb="coaching_group.created", target_id=str(group.pk)
        ).exists()


@pytest.mark.parametrize("count", [2, 9])
def test_an_action_learning_set_has_three_to_eight_members(world, lead, count):
    people = staff(world.own.school, count)
    viewer, scope = lead
    with scope, pytest.raises(ValidationError) as error:
        create(viewer, world.own.school, people)
    assert problems(error) == {
        "members": [f"An action learning set has 3 to 8 members: you chose {count}."]
    }
    with scopes_disabled():
        assert not CoachingGroup.objects.exists()


def test_an_action_learning_set_of_three_and_of_eight_is_set_up(world, lead):
    viewer, scope = lead
    with scope:
        assert create(viewer, world.own.school, staff(world.own.school, 3)).members.count() == 3
        assert create(viewer, world.own.school, staff(world.own.school, 8)).members.count() == 8


@pytest.mark.parametrize("count", [1, 3])
def test_a_dyad_is_exactly_two_colleagues(world, lead, count):
    viewer, scope = lead
    with scope:
        with pytest.raises(ValidationError) as error:
            create(viewer, world.own.school, staff(world.own.school, count), kind=DYAD)
        assert "choose exactly 2 members" in problems(error)["members"][0]
        dyad = create(viewer, world.own.school, staff(world.own.school, 2), kind=DYAD)
        assert dyad.members.count() == 2


def test_members_are_chosen_from_staff_who_teach_or_coach_at_the_school(world, lead):
    viewer, scope = lead
    head = world.people["headteacher"]
    with scope:
        for outsider in (head, world.other_school.teacher):
            with pytest.raises(ValidationError) as error:
                create(viewer, world.own.school, [world.own.teacher, world.own.coach, outsider])
            assert problems(error)["members"] == [
                f"{outsider.full_name} does not teach or coach at School A1."
            ]


def test_the_facilitator_must_be_one_of_the_members(world, lead):
    viewer, scope = lead
    people = staff(world.own.school, 3)
    with scope, pytest.raises(ValidationError) as error:
        create(viewer, world.own.school, people, facilitator=world.own.coach)
    assert problems(error) == {"facilitator": ["The facilitator must be one of the members."]}


def test_only_the_schools_coaching_lead_sets_up_a_group(world, as_viewer):
    people = staff(world.own.school, 3)
    for persona in ("coach", "headteacher", "trust_lead", "administrator"):
        viewer, scope = as_viewer(world.people[persona])
        with scope, pytest.raises(PermissionDenied):
            create(viewer, world.own.school, people)
    with scopes_disabled():
        lead_a2 = Membership.objects.get(school=world.other_school.school, role="coaching_lead")
    viewer, scope = as_viewer(lead_a2.user)
    with scope, pytest.raises(PermissionDenied):
        create(viewer, world.own.school, people)


# -- who is in it --------------------------------------------------------------------------------


def test_a_lead_adds_a_member_who_then_reads_the_sessions(world, lead, group, as_viewer):
    newcomer = staff(world.own.school, 1)[0]
    viewer, scope = lead
    with scope:
        member = services.group_member_add(viewer=viewer, group=group, person=newcomer)
        assert member.joined_on == TODAY
    newcomer_viewer, newcomer_scope = as_viewer(newcomer)
    with newcomer_scope:
        assert rules.test_rule("coaching.read_group", newcomer_viewer, group)


def test_an_action_learning_set_takes_no_ninth_member(world, lead):
    set_of_eight = group_in(world.own, extra=6)
    viewer, scope = lead
    with scope, pytest.raises(ValidationError) as error:
        services.group_member_add(
            viewer=viewer, group=set_of_eight, person=staff(world.own.school, 1)[0]
        )
    assert "already has 8 members, the most it can have" in problems(error)["person"][0]
    assert len(members_of(set_of_eight)) == 8


def test_an_action_learning_set_keeps_at_least_three_members(world, lead):
    set_of_three = group_in(world.own, extra=1)
    viewer, scope = lead
    with scopes_disabled():
        member = set_of_three.members.get(person=world.own.teacher)
    with scope, pytest.raises(ValidationError) as error:
        services.group_member_remove(viewer=viewer, member=member)
    assert (
        "needs at least 3 members, so nobody can leave until someone joins"
        in (error.value.messages[0])
    )
    with scopes_disabled():
        member.refresh_from_db()
    assert member.left_on is None


def test_nobody_joins_or_leaves_a_dyad(world, lead):
    dyad = group_in(world.own, kind=DYAD, extra=0)
    viewer, scope = lead
    with scopes_disabled():
        member = dyad.members.get(person=world.own.teacher)
    with scope:
        with pytest.raises(ValidationError) as error:
            services.group_member_add(
                viewer=viewer, group=dyad, person=staff(world.own.school, 1)[0]
            )
        assert (
            "A dyad has exactly 2 members, so nobody can join it" in (problems(error)["person"][0])
        )
        with pytest.raises(ValidationError) as error:
            services.group_member_remove(viewer=viewer, member=member)
        assert "End the dyad instead" in error.value.messages[0]
    assert members_of(dyad) == {world.own.teacher.pk, world.own.coach.pk}


def test_someone_already_in_the_group_or_not_on_the_staff_cannot_be_added(world, lead, group):
    viewer, scope = lead
    with scope:
        with pytest.raises(ValidationError) as error:
            services.group_member_add(viewer=viewer, group=group, person=world.own.teacher)
        assert problems(error)["person"] == ["Teacher a1 is already in this group."]
        with pytest.raises(ValidationError) as error:
            services.group_member_add(
                viewer=viewer, group=group, person=world.people["headteacher"]
            )
        assert problems(error)["person"] == ["Head A1 does not teach or coach at School A1."]


def test_a_member_leaving_is_dated_and_the_facilitator_role_goes_with_them(world, lead, group):
    viewer, scope = lead
    with scopes_disabled():
        member = group.members.get(person=world.own.coach)  # the facilitator
    with scope:
        services.group_member_remove(viewer=viewer, member=member)
        member.refresh_from_db()
        group.refresh_from_db()
        assert member.left_on == TODAY
        assert group.facilitator is None
        assert AuditEvent.objects.filter(
            verb="group_member.removed", subject=world.own.coach
        ).exists()


def test_a_member_who_left_no_longer_sees_the_sessions(world, lead, group, as_viewer):
    viewer, scope = lead
    with scopes_disabled():
        member = group.members.get(person=world.own.teacher)
    with scope:
        services.group_member_remove(viewer=viewer, member=member)
    teacher, teacher_scope = as_viewer(world.own.teacher)
    with teacher_scope:
        assert not rules.test_rule("coaching.read_group", teacher, group)
        with pytest.raises(Http404):
            queries.group_for(teacher, group.pk)
        with pytest.raises(Http404):
            queries.group_session_for(teacher, group.sessions.get().pk)
        assert queries.my_groups(teacher).running == []
        with pytest.raises(PermissionDenied):
            services.group_session_record(viewer=teacher, group=group, met_on=TODAY, notes="x")


def test_a_member_who_no_longer_teaches_at_the_school_no_longer_sees_the_sessions(
    world, group, as_viewer
):
    with scopes_disabled():
        Membership.objects.filter(user=world.own.teacher).update(
            finished_on=TODAY - dt.timedelta(days=1)
        )
        # Still working in the trust, at the other school.
        Membership.objects.create(
            trust=world.trust,
            school=world.other_school.school,
            user=world.own.teacher,
            role=Role.TEACHER,
        )
    teacher, scope = as_viewer(world.own.teacher)
    with scope:
        assert not rules.test_rule("coaching.read_group", teacher, group)


# -- who reads the sessions ----------------------------------------------------------------------


def test_only_current_members_read_the_sessions(world, group, as_viewer):
    for persona in ("teacher", "coach"):
        viewer, scope = as_viewer(world.people[persona])
        with scope:
            page = queries.group_page(viewer, group=queries.group_for(viewer, group.pk))
            assert page.sessions[0].problem == SESSION_WORDS
    for persona in EVERYONE_ELSE:
        viewer, scope = as_viewer(world.people[persona])
        with scope:
            assert not rules.test_rule("coaching.read_group", viewer, group)
            with pytest.raises(Http404):
                queries.group_for(viewer, group.pk)
            with pytest.raises(Http404):
                queries.group_page(viewer, group=group)


def test_another_schools_or_trusts_group_is_not_found(world, as_viewer):
    for records in (world.other_school, world.other_trust_records):
        elsewhere = group_in(records)
        for persona in ("teacher", "coach", "coaching_lead"):
            viewer, scope = as_viewer(world.people[persona])
            with scope:
                with pytest.raises(Http404):
                    queries.group_for(viewer, elsewhere.pk)
                with pytest.raises(Http404):
                    queries.led_group_for(viewer, school=world.own.school, pk=elsewhere.pk)


def test_members_reading_sessions_leave_no_read_in_anyones_audit_trail(world, group, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        queries.group_page(viewer, group=queries.group_for(viewer, group.pk))
        assert not AuditEvent.objects.filter(verb="read").exists()


def test_the_lead_sees_who_is_in_a_group_and_when_it_met_but_not_what_was_said(world, lead, group):
    viewer, scope = lead
    with scope:
        listing = queries.lead_groups(viewer, school=world.own.school)
        page = queries.lead_group_page(
            viewer, group=queries.led_group_for(viewer, school=world.own.school, pk=group.pk)
        )
    [row] = listing.running
    assert row.session_count == 1
    assert row.last_met == TODAY - dt.timedelta(days=7)
    assert set(row.members) >= {"Teacher a1", "Coach a1"}
    assert page.session_dates == [TODAY - dt.timedelta(days=7)]
    assert not any(SESSION_WORDS in str(value) for value in vars(row).values())
    assert not hasattr(page, "sessions")


# -- sessions ------------------------------------------------------------------------------------


def test_a_member_records_a_session_with_a_presenters_problem_and_action(world, group, as_viewer):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        session = services.group_session_record(
            viewer=viewer,
            group=group,
            met_on=TODAY,
            presenter=world.own.coach,
            problem="  Marking is taking all weekend.  ",
            questions="Which marking changes what pupils do next?",
            action="Try whole-class feedback with 8B for a fortnight.",
            notes="",
        )
        assert session.presenter == world.own.coach
        assert session.problem == "Marking is taking all weekend."
        assert session.recorded_by == world.own.teacher
        assert session.version == 1
        assert AuditEvent.objects.filter(
            verb="group_session.recorded", target_id=str(session.pk)
        ).exists()


def test_the_presenter_must_be_a_current_member(world, lead, group, as_viewer):
    viewer, scope = as_viewer(world.own.teacher)
    with scope, pytest.raises(ValidationError) as error:
        services.group_session_record(
            viewer=viewer,
            group=group,
            met_on=TODAY,
            presenter=world.people["other_coach"],
            problem="A problem",
        )
    assert problems(error) == {"presenter": ["Choose someone who is in the group."]}
    lead_viewer, lead_scope = lead
    with scopes_disabled():
        leaver = group.members.exclude(person__in=[world.own.teacher, world.own.coach]).first()
    with lead_scope:
        services.group_member_remove(viewer=lead_viewer, member=leaver)
    viewer, scope = as_viewer(world.own.teacher)
    with scope, pytest.raises(ValidationError) as error:
        services.group_session_record(
            viewer=viewer, group=group, met_on=TODAY, presenter=leaver.person, problem="Again"
        )
    assert problems(error) == {"presenter": ["Choose someone who is in the group."]}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"action": "Try it"}, "presenter", "Say who brought the problem"),
        ({"notes": "  "}, "problem", "Write something about the session"),
        ({"met_on": TODAY + dt.timedelta(days=1)}, "met_on", "cannot be in the future"),
        ({"met_on": TODAY - dt.timedelta(days=31)}, "met_on", "The group started on"),
        ({"problem": "x" * 4001}, "problem", "4000 characters or fewer"),
    ],
)
def test_a_session_with_bad_input_is_refused_with_a_clear_message(
    world, group, as_viewer, values, field, message
):
    viewer, scope = as_viewer(world.own.teacher)
    data = {"met_on": TODAY, "problem": "", **values}
    with scope, pytest.raises(ValidationError) as error:
        services.group_session_record(viewer=viewer, group=group, **data)
    assert message in problems(error)[field][0]
    with scopes_disabled():
        assert group.sessions.count() == 1


def test_nobody_outside_the_group_records_a_session(world, group, as_viewer):
    for persona in EVERYONE_ELSE:
        viewer, scope = as_viewer(world.people[persona])
        with scope, pytest.raises(PermissionDenied):
            services.group_session_record(viewer=viewer, group=group, met_on=TODAY, notes="x")


def test_a_member_records_what_happened_with_the_last_action(world, group, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        session = group.sessions.get()
        reported = services.group_action_report(
            viewer=viewer,
            session=session,
            expected_version=1,
            action_report="The two-minute task settled them; they were working by 1:05.",
            reported_on=TODAY,
        )
        assert reported.reported_on == TODAY
        assert reported.version == 2
        assert queries.group_page(viewer, group=group).open_actions == []


def test_what_happened_cannot_be_dated_before_the_action_was_set(world, group, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope, pytest.raises(ValidationError) as error:
        services.group_action_report(
            viewer=viewer,
            session=group.sessions.get(),
            expected_version=1,
            action_report="It went well.",
            reported_on=TODAY - dt.timedelta(days=8),
        )
    assert "enter that date or later" in problems(error)["reported_on"][0]


def test_a_session_without_an_action_has_nothing_to_report(world, group, as_viewer):
    viewer, scope = as_viewer(world.own.coach)
    with scope:
        session = services.group_session_record(
            viewer=viewer, group=group, met_on=TODAY, notes="We agreed our ground rules."
        )
        with pytest.raises(ValidationError) as error:
            services.group_action_report(
                viewer=viewer,
                session=session,
                expected_version=1,
                action_report="Something",
                reported_on=TODAY,
            )
    assert "nothing to report on" in error.value.messages[0]


def test_two_members_saving_a_session_at_once_do_not_overwrite_each_other(world, group, as_viewer):
    teacher, teacher_scope = as_viewer(world.own.teacher)
    coach, coach_scope = as_viewer(world.own.coach)
    with scopes_disabled():
        session = group.sessions.get()
    with coach_scope:
        services.group_session_update(
            viewer=coach, session=session, expected_version=1, notes="The coach's notes."
        )
    with teacher_scope, pytest.raises(EditConflict) as conflict:
        services.group_session_update(
            viewer=teacher, session=session, expected_version=1, notes="The teacher's notes."
        )
    assert conflict.value.current.notes == "The coach's notes."
    assert conflict.value.current.version == 2
    teacher, teacher_scope = as_viewer(world.own.teacher)
    with teacher_scope:
        services.group_session_update(
            viewer=teacher, session=session, expected_version=2, notes="Both sets of notes."
        )
    with scopes_disabled():
        session.refresh_from_db()
    assert (session.notes, session.version) == ("Both sets of notes.", 3)


def test_a_report_saved_meanwhile_is_not_overwritten(world, group, as_viewer):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        session = group.sessions.get()
        services.group_session_update(
            viewer=viewer, session=session, expected_version=1, notes="Changed first"
        )
        with pytest.raises(EditConflict):
            services.group_action_report(
                viewer=viewer,
                session=session,
                expected_version=1,
                action_report="Late",
                reported_on=TODAY,
            )


def test_editing_keeps_a_presenter_who_has_since_left(world, lead, group, as_viewer):
    lead_viewer, lead_scope = lead
    with scopes_disabled():
        session = group.sessions.get()
        member = group.members.get(person=world.own.teacher)  # the presenter
    with lead_scope:
        services.group_member_remove(viewer=lead_viewer, member=member)
    coach, scope = as_viewer(world.own.coach)
    with scope:
        updated = services.group_session_update(
            viewer=coach,
            session=session,
            expected_version=1,
            presenter=world.own.teacher,
            notes="Added later",
        )
    assert updated.presenter == world.own.teacher


def test_an_ended_group_is_read_only(world, lead, group, as_viewer):
    viewer, scope = lead
    with scope:
        services.coaching_group_end(viewer=viewer, group=group)
        group.refresh_from_db()
        assert group.finished_on == TODAY
        with pytest.raises(ValidationError):
            services.coaching_group_end(viewer=viewer, group=group)
        with pytest.raises(ValidationError):
            services.group_member_add(
                viewer=viewer, group=group, person=staff(world.own.school, 1)[0]
            )
    teacher, teacher_scope = as_viewer(world.own.teacher)
    with teacher_scope:
        session = group.sessions.get()
        page = queries.group_page(teacher, group=queries.group_for(teacher, group.pk))
        assert page.sessions == [session]
        assert not page.can_write
        with pytest.raises(Http404):
            queries.group_for(teacher, group.pk, rule=queries.WRITE)
        with pytest.raises(PermissionDenied):
            services.group_session_record(viewer=teacher, group=group, met_on=TODAY, notes="x")
        with pytest.raises(PermissionDenied):
            services.group_session_update(
                viewer=teacher, session=session, expected_version=1, notes="x"
            )
        with pytest.raises(PermissionDenied):
            services.group_action_report(
                viewer=teacher,
                session=session,
                expected_version=1,
                action_report="x",
                reported_on=TODAY,
            )
        assert [g.pk for g in queries.my_groups(teacher).ended] == [group.pk]


def test_my_groups_lists_the_groups_i_am_in_now(world, group, as_viewer):
    group_in(world.other_school)
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        mine = queries.my_groups(viewer)
    assert [g.pk for g in mine.running] == [group.pk]
    assert mine.running[0].session_count == 1
    assert mine.running[0].next_due == TODAY + dt.timedelta(days=7)
    assert {m.person_id for m in mine.running[0].current_members} == members_of(group)
    other, other_scope = as_viewer(world.people["other_coach"])
    with other_scope:
        assert queries.my_groups(other).running == []
