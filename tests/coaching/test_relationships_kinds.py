"""Kinds of coaching: the coaching lead starts mentoring, specialist coaching and co-coaching;
each is checked with clear messages; co-coaching peers coach each other with the same rights;
a mentoring rhythm overrides the school's; and each page shows the kind."""

import datetime as dt
import uuid
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.coaching.rhythm import cadences
from coachloop.coaching.services import action_step_set, dropin_record
from coachloop.coaching.services.relationships import co_coaching_start, coach_assign
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Membership, Role, StaffGroup
from coachloop.people.queries import viewer_for
from coachloop.policy.models import SchoolModel
from coachloop.rollout import reminders
from tests.factories import MembershipFactory, UserFactory
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
Kind = Relationship.Kind


def days(n):
    return TODAY + dt.timedelta(days=n)


def teacher_at(school, name, *, role=Role.TEACHER, **membership):
    with scopes_disabled():
        user = UserFactory(full_name=name)
        MembershipFactory(user=user, school=school, role=role, **membership)
    return user


def as_lead(world):
    viewer = viewer_for(world.people["coaching_lead"])
    return viewer, trust_scope(viewer.trust)


def start_url(world, kind):
    return reverse("coaching:relationship_start", args=[world.own.school.slug, kind])


def mentoring_post(world, teacher, **changes):
    data = {
        "teacher": teacher.pk,
        "coach": world.people["other_coach"].pk,
        "started_on": TODAY.isoformat(),
        "induction_starts_on": days(-30).isoformat(),
        "induction_ends_on": days(700).isoformat(),
        "cadence_days": "21",
    }
    data.update(changes)
    return data


def count(model, **filters):
    with scopes_disabled():
        return model.objects.filter(**filters).count()


# -- mentoring --------------------------------------------------------------------------------


def test_a_lead_starts_mentoring_with_an_induction_period_and_its_own_rhythm(client, world):
    mentee = teacher_at(world.own.school, "Early Career Teacher")
    client.force_login(world.people["coaching_lead"])
    response = client.post(start_url(world, "mentoring"), mentoring_post(world, mentee))
    assert response.status_code == 302
    with scopes_disabled():
        mentoring = Relationship.objects.get(teacher=mentee)
        assert AuditEvent.objects.filter(
            verb="relationship.started", target_id=str(mentoring.pk)
        ).exists()
    assert mentoring.kind == Kind.MENTORING
    assert mentoring.coach == world.people["other_coach"]
    assert (mentoring.induction_starts_on, mentoring.induction_ends_on) == (days(-30), days(700))
    assert mentoring.cadence_days == 21
    follow = client.get(response["Location"]).content.decode()
    assert "Another Coach now mentors Early Career Teacher." in follow


def test_mentoring_past_the_caseload_limit_asks_to_confirm_as_assigning_a_coach_does(client, world):
    mentee = teacher_at(world.own.school, "Early Career Teacher")
    mentor = world.own.coach  # already coaches one teacher
    with scopes_disabled():
        SchoolModel.objects.create(trust=world.trust, school=world.own.school, caseload_limit=1)
    client.force_login(world.people["coaching_lead"])
    url = start_url(world, "mentoring")
    page = client.get(url).content.decode()
    assert 'name="assign_anyway"' not in page

    response = client.post(url, mentoring_post(world, mentee, coach=mentor.pk))
    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Coach a1 already coaches 1 teacher at School A1, and the school's limit is 1" in page
    assert 'name="assign_anyway"' in page
    assert count(Relationship, teacher=mentee) == 0

    response = client.post(url, mentoring_post(world, mentee, coach=mentor.pk, assign_anyway="on"))
    assert response.status_code == 302
    assert count(Relationship, teacher=mentee, coach=mentor, kind=Kind.MENTORING) == 1
    assert count(AuditEvent, verb="relationship.started_over_caseload") == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"induction_ends_on": (TODAY - dt.timedelta(days=31)).isoformat()},
            "The induction period must end after it starts.",
        ),
        ({"cadence_days": "0"}, "Enter a number of days between meetings from 1 to 60."),
        ({"cadence_days": "61"}, "Enter a number of days between meetings from 1 to 60."),
        ({"induction_starts_on": ""}, "Enter the date the induction period starts."),
    ],
)
def test_mentoring_with_a_bad_induction_or_rhythm_is_refused_with_a_clear_message(
    client, world, changes, message
):
    mentee = teacher_at(world.own.school, "Early Career Teacher")
    client.force_login(world.people["coaching_lead"])
    response = client.post(start_url(world, "mentoring"), mentoring_post(world, mentee, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert count(Relationship, teacher=mentee) == 0


def test_the_service_refuses_a_bad_rhythm_even_when_the_form_is_skipped(world):
    mentee = teacher_at(world.own.school, "Early Career Teacher")
    viewer, scope = as_lead(world)
    with scope, pytest.raises(ValidationError) as error:
        coach_assign(
            viewer=viewer,
            school=world.own.school,
            coach=world.people["other_coach"],
            teacher=mentee,
            kind=Kind.MENTORING,
            induction_starts_on=days(-5),
            induction_ends_on=days(-6),
            cadence_days=90,
        )
    assert set(error.value.message_dict) == {"induction_ends_on", "cadence_days"}
    assert count(Relationship, teacher=mentee) == 0


def test_a_mentor_must_hold_the_coach_role(client, world):
    mentee = teacher_at(world.own.school, "Early Career Teacher")
    not_a_coach = teacher_at(world.own.school, "Just A Teacher")
    viewer, scope = as_lead(world)
    with scope, pytest.raises(ValidationError, match="is not a coach at School A1"):
        coach_assign(
            viewer=viewer,
            school=world.own.school,
            coach=not_a_coach,
            teacher=mentee,
            kind=Kind.MENTORING,
            induction_starts_on=days(-5),
            induction_ends_on=days(300),
            cadence_days=14,
        )


def test_a_mentoring_rhythm_overrides_the_schools_cadence_for_reminders_and_lists(world):
    mentee = teacher_at(
        world.own.school, "Early Career Teacher", staff_group=StaffGroup.EARLY_CAREER
    )
    viewer, scope = as_lead(world)
    with scope:
        SchoolModel.objects.create(trust=world.trust, school=world.own.school, cadence_teachers=7)
        mentoring = coach_assign(
            viewer=viewer,
            school=world.own.school,
            coach=world.people["other_coach"],
            teacher=mentee,
            started_on=days(-20),
            kind=Kind.MENTORING,
            induction_starts_on=days(-20),
            induction_ends_on=days(600),
            cadence_days=30,
        )
        built = Relationship(pk=mentoring.pk, teacher_id=mentee.pk, school_id=mentoring.school_id)
        instructional = world.own.relationship
        assert cadences(world.trust, [mentoring, instructional]) == {
            mentoring.pk: 30,
            instructional.pk: 7,
        }
        assert cadences(world.trust, [built])[mentoring.pk] == 30  # rows built from columns too


def test_reminders_follow_the_mentoring_rhythm_not_the_schools(world):
    mentee = teacher_at(world.own.school, "Early Career Teacher")
    viewer, scope = as_lead(world)
    with scope:
        mentoring = coach_assign(
            viewer=viewer,
            school=world.own.school,
            coach=world.own.coach,
            teacher=mentee,
            started_on=days(-40),
            kind=Kind.MENTORING,
            induction_starts_on=days(-40),
            induction_ends_on=days(600),
            cadence_days=30,
        )
        DropIn.objects.create(
            trust=world.trust,
            relationship=mentoring,
            visited_on=days(-20),
            class_or_group="7B",
            minutes=10,
            strengths="A calm start.",
            is_draft=False,
        )

        def reminded(on):
            due = reminders.due_reminders(world.trust, today=on)
            return {row.teacher_id for reminder in due for row in reminder.teachers}

        assert mentee.pk not in reminded(TODAY)  # 20 days on a 30-day rhythm
        assert mentee.pk in reminded(days(9))  # due within two days of the 30th


def test_a_mentee_not_seen_for_twenty_days_is_not_overdue_on_a_thirty_day_rhythm(client, world):
    mentee = teacher_at(world.own.school, "Early Career Teacher")
    viewer, scope = as_lead(world)
    with scope:
        coach_assign(
            viewer=viewer,
            school=world.own.school,
            coach=world.own.coach,
            teacher=mentee,
            started_on=days(-20),
            kind=Kind.MENTORING,
            induction_starts_on=days(-20),
            induction_ends_on=days(600),
            cadence_days=30,
        )
        Relationship.objects.filter(pk=world.own.relationship.pk).update(started_on=days(-20))
        DropIn.objects.filter(relationship=world.own.relationship).delete()
    client.force_login(world.own.coach)
    page = client.get(reverse("coaching:coach_home")).content.decode()
    mentee_card = page[page.index("Early Career Teacher") :]
    assert "Not visited yet" in mentee_card[:2000]
    own_card = page[page.index(world.own.teacher.full_name) :]
    assert "Drop-in overdue" in own_card[:2000]


# -- specialist coaching ----------------------------------------------------------------------


def test_a_lead_starts_specialist_coaching_on_a_strand_and_it_shows_on_the_pages(client, world):
    strand = world.own.framework_step.strand
    client.force_login(world.people["coaching_lead"])
    response = client.post(
        start_url(world, "specialist"),
        {
            "teacher": world.own.teacher.pk,
            "coach": world.people["other_coach"].pk,
            "started_on": TODAY.isoformat(),
            "strand": strand.pk,
            "subject": "",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        specialist = Relationship.objects.get(teacher=world.own.teacher, kind=Kind.SPECIALIST)
    assert specialist.strand == strand and specialist.coach == world.people["other_coach"]
    lead_page = client.get(reverse("coaching:lead_home", args=["a1"])).content.decode()
    assert "Specialist coaching" in lead_page and "Focus: Behaviour and routines" in lead_page
    client.force_login(world.people["other_coach"])
    coach_page = client.get(reverse("coaching:coach_home")).content.decode()
    assert "Focus: Behaviour and routines" in coach_page
    coachee = client.get(reverse("coaching:coachee", args=[specialist.pk])).content.decode()
    assert "Specialist coaching" in coachee and "Focus: Behaviour and routines" in coachee
    client.force_login(world.own.teacher)
    mine = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "Specialist coaching" in mine and "Focus: Behaviour and routines" in mine


def test_specialist_coaching_on_a_subject_needs_no_strand(world):
    viewer, scope = as_lead(world)
    with scope:
        specialist = coach_assign(
            viewer=viewer,
            school=world.own.school,
            coach=world.people["other_coach"],
            teacher=world.own.teacher,
            kind=Kind.SPECIALIST,
            subject="  Practical work in science ",
        )
    assert specialist.subject == "Practical work in science" and specialist.strand is None


def test_specialist_coaching_needs_a_strand_or_a_subject(client, world):
    client.force_login(world.people["coaching_lead"])
    response = client.post(
        start_url(world, "specialist"),
        {
            "teacher": world.own.teacher.pk,
            "coach": world.people["other_coach"].pk,
            "started_on": TODAY.isoformat(),
            "strand": "",
            "subject": "   ",
        },
    )
    assert response.status_code == 200
    assert "Choose the strand of the framework this coaching is about" in response.content.decode()
    assert count(Relationship, kind=Kind.SPECIALIST) == 0


def test_a_strand_of_another_trust_is_not_a_choice(client, world):
    client.force_login(world.people["coaching_lead"])
    response = client.post(
        start_url(world, "specialist"),
        {
            "teacher": world.own.teacher.pk,
            "coach": world.people["other_coach"].pk,
            "started_on": TODAY.isoformat(),
            "strand": world.other_trust_records.framework_step.strand_id,
        },
    )
    assert "Choose a strand from the list." in response.content.decode()
    assert count(Relationship, kind=Kind.SPECIALIST) == 0


# -- co-coaching ------------------------------------------------------------------------------


def start_pair(world, peer):
    viewer, scope = as_lead(world)
    with scope:
        return co_coaching_start(
            viewer=viewer, school=world.own.school, teacher=world.own.teacher, peer=peer
        )


def test_co_coaching_is_two_relationships_one_each_way_pointing_at_each_other(client, world):
    peer = teacher_at(world.own.school, "Peer Teacher")
    client.force_login(world.people["coaching_lead"])
    response = client.post(
        start_url(world, "co-coaching"),
        {"teacher": world.own.teacher.pk, "peer": peer.pk, "started_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    with scopes_disabled():
        pair = list(Relationship.objects.filter(kind=Kind.CO_COACHING).order_by("pk"))
    assert len(pair) == 2
    one, other = pair
    assert (one.teacher, one.coach) == (world.own.teacher, peer)
    assert (other.teacher, other.coach) == (peer, world.own.teacher)
    assert one.peer_id == other.pk and other.peer_id == one.pk
    assert (
        "Teacher a1 and Peer Teacher now coach each other."
        in client.get(response["Location"]).content.decode()
    )


def test_both_co_coaching_peers_can_record_a_drop_in_and_set_a_step_for_the_other(world):
    peer = teacher_at(world.own.school, "Peer Teacher")
    one, other = start_pair(world, peer)
    for coach, relationship in ((peer, one), (world.own.teacher, other)):
        viewer = viewer_for(coach)
        with trust_scope(viewer.trust):
            dropin = dropin_record(
                viewer=viewer,
                relationship=relationship,
                uuid=uuid.uuid4(),
                visited_on=TODAY,
                class_or_group="9X2",
                minutes=15,
                strengths="A calm start.",
            )
            step = action_step_set(
                viewer=viewer,
                relationship=relationship,
                title="Wait three seconds after a question",
                success_looks_like="More hands go up before anyone answers.",
            )
        assert dropin.relationship == relationship and step.relationship == relationship
        assert step.proposed_by == coach


def test_a_co_coaching_peer_cannot_write_in_their_own_record_as_if_they_were_its_coach(world):
    peer = teacher_at(world.own.school, "Peer Teacher")
    one, _other = start_pair(world, peer)
    viewer = viewer_for(world.own.teacher)  # the teacher of ``one``, not its coach
    with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
        action_step_set(
            viewer=viewer,
            relationship=one,
            title="Set by the wrong person",
            success_looks_like="-",
        )


def test_a_co_coaching_peer_finds_their_peer_on_their_own_page_and_can_open_their_record(
    client, world
):
    peer = teacher_at(world.own.school, "Peer Teacher")
    one, _other = start_pair(world, peer)  # in ``one`` the peer coaches Teacher a1
    client.force_login(peer)
    mine = client.get(reverse("coaching:teacher_home")).content.decode()
    co_coaching = mine.split("My co-coaching")[1]
    assert reverse("coaching:coachee", args=[one.pk]) in co_coaching
    assert "Teacher a1" in co_coaching
    assert "Teacher a1 coaches you, and you coach them" in mine
    record = client.get(reverse("coaching:coachee", args=[one.pk]))
    assert record.status_code == 200
    assert "You and Teacher a1 coach each other" in record.content.decode()
    assert client.get(reverse("coaching:dropin_new", args=[one.pk])).status_code == 200
    assert client.get(reverse("coaching:step_set", args=[one.pk])).status_code == 200


def test_a_co_coaching_peer_who_no_longer_works_at_the_school_can_no_longer_write(world):
    peer = teacher_at(world.own.school, "Peer Teacher")
    _one, other = start_pair(world, peer)
    with scopes_disabled():
        Membership.objects.filter(user=world.own.teacher).update(finished_on=days(-1))
        # Moved to the trust's other school, so still signed in to the trust.
        MembershipFactory(user=world.own.teacher, school=world.other_school.school)
    viewer = viewer_for(world.own.teacher)
    with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
        action_step_set(viewer=viewer, relationship=other, title="Too late", success_looks_like="-")


@pytest.mark.parametrize(
    ("peer_of", "message"),
    [
        ("same", "Choose two different teachers"),
        ("coach_only", "Choose a teacher from the list."),
        ("other_school", "Choose a teacher from the list."),
    ],
)
def test_co_coaching_needs_two_different_teachers_at_the_school(client, world, peer_of, message):
    peer = {
        "same": world.own.teacher,
        "coach_only": world.people["other_coach"],
        "other_school": world.other_school.teacher,
    }[peer_of]
    client.force_login(world.people["coaching_lead"])
    response = client.post(
        start_url(world, "co-coaching"),
        {"teacher": world.own.teacher.pk, "peer": peer.pk, "started_on": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert count(Relationship, kind=Kind.CO_COACHING) == 0


def test_the_service_refuses_a_peer_without_the_teacher_role(world):
    viewer, scope = as_lead(world)
    with scope, pytest.raises(ValidationError, match="is not a teacher at School A1"):
        co_coaching_start(
            viewer=viewer,
            school=world.own.school,
            teacher=world.own.teacher,
            peer=world.people["other_coach"],
        )


def test_two_teachers_already_co_coaching_cannot_be_paired_again_either_way_round(world):
    peer = teacher_at(world.own.school, "Peer Teacher")
    start_pair(world, peer)
    viewer, scope = as_lead(world)
    with scope, pytest.raises(ValidationError, match="already co-coach each other"):
        co_coaching_start(
            viewer=viewer, school=world.own.school, teacher=peer, peer=world.own.teacher
        )
    assert count(Relationship, kind=Kind.CO_COACHING) == 2


def test_only_a_lead_of_the_school_starts_co_coaching(world):
    peer = teacher_at(world.own.school, "Peer Teacher")
    viewer = viewer_for(world.own.coach)
    with trust_scope(viewer.trust), pytest.raises(PermissionDenied):
        co_coaching_start(
            viewer=viewer, school=world.own.school, teacher=world.own.teacher, peer=peer
        )


# -- every kind on the pages ------------------------------------------------------------------


def test_the_kinds_page_offers_every_kind_and_an_unknown_kind_is_not_found(client, world):
    client.force_login(world.people["coaching_lead"])
    page = client.get(reverse("coaching:relationship_new", args=["a1"])).content.decode()
    for kind in ("Instructional coaching", "Mentoring", "Specialist coaching", "Co-coaching"):
        assert kind in page
    assert reverse("rollout:team_assign", args=["a1"]) in page
    assert client.get(start_url(world, "group")).status_code == 404


def test_mentoring_shows_its_induction_dates_to_the_mentor_teacher_and_lead(client, world):
    mentee = teacher_at(world.own.school, "Early Career Teacher")
    viewer, scope = as_lead(world)
    with scope:
        mentoring = coach_assign(
            viewer=viewer,
            school=world.own.school,
            coach=world.own.coach,
            teacher=mentee,
            kind=Kind.MENTORING,
            induction_starts_on=dt.date(2025, 9, 1),
            induction_ends_on=dt.date(2027, 7, 31),
            cadence_days=14,
        )
    expected = "Induction from 1 Sep 2025 to 31 Jul 2027"
    for person, url in (
        (world.own.coach, reverse("coaching:coach_home")),
        (world.own.coach, reverse("coaching:coachee", args=[mentoring.pk])),
        (mentee, reverse("coaching:teacher_home")),
        (world.people["coaching_lead"], reverse("coaching:lead_home", args=["a1"])),
    ):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert "Mentoring" in html and expected in html, url
        assert "Meeting every 14 days" in html, url
    client.force_login(mentee)
    assert "Mentored by Coach a1" in client.get(reverse("coaching:teacher_home")).content.decode()


def test_the_lead_sees_the_kind_of_coaching_but_no_notes(client, world):
    peer = teacher_at(world.own.school, "Peer Teacher")
    start_pair(world, peer)
    client.force_login(world.people["coaching_lead"])
    page = client.get(reverse("coaching:lead_home", args=["a1"])).content.decode()
    assert page.count("Co-coaching") >= 2
    assert SECRET_NOTE not in page
    with scopes_disabled():
        assert ActionStep.objects.count() >= 1
