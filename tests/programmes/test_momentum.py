"""Momentum flags for the programme lead and the tutor: they appear and clear as the rules say,
with the clock driven by the tests."""

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coachloop.programmes.models import CoachQualification, Enrolment
from coachloop.programmes.queries.momentum import (
    GONE_QUIET,
    MISSED_DEADLINE,
    NOT_MET,
    momentum,
)
from coachloop.programmes.services.meetings import meeting_record, meeting_schedule
from coachloop.programmes.services.submissions import (
    extension_grant,
    feedback_give,
    submission_version_add,
)
from coachloop.rollout.models import CoachTraining
from tests.programmes.fixtures import DUE, build_programme

pytestmark = pytest.mark.django_db

STARTED = dt.date(2025, 9, 1)  # when the fixture's teachers enrolled


def at(day, hour=12):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def reasons(pw, *, now, enrolment=None, viewer=None):
    enrolment = enrolment or pw.enrolments[0]
    found = momentum(viewer or pw.as_(pw.lead), pw.programme.pk, now=now)
    return next(t for t in found.teachers if t.enrolment == enrolment).reasons


def meet(pw, enrolment, held_on):
    meeting = meeting_schedule(
        viewer=pw.as_(pw.coach),
        enrolment=enrolment,
        scheduled_for=at(held_on),
        agenda="The case study plan.",
    )
    meeting_record(
        viewer=pw.as_(pw.tutor),
        meeting=meeting,
        held_on=held_on,
        notes="Agreed the evidence to gather.",
        now=at(held_on, 18),
    )


def draft(pw, enrolment, day, *, final=False):
    return submission_version_add(
        viewer=pw.as_(enrolment.teacher),
        enrolment=enrolment,
        assignment=pw.assignment,
        text="Work in progress.",
        final=final,
        now=at(day),
    )


def test_a_new_teacher_is_not_flagged_before_the_quiet_period_has_passed(programme):
    assert reasons(programme, now=at(STARTED + dt.timedelta(days=20))) == []


def test_a_teacher_not_met_for_longer_than_the_programme_allows_is_flagged_until_they_meet(
    programme,
):
    day = STARTED + dt.timedelta(days=40)
    assert NOT_MET in reasons(programme, now=at(day))
    meet(programme, programme.enrolments[0], day - dt.timedelta(days=1))
    assert NOT_MET not in reasons(programme, now=at(day))
    # Twenty-nine days after that meeting, the prompt is back.
    assert NOT_MET in reasons(programme, now=at(day + dt.timedelta(days=28)))


def test_a_teacher_who_has_added_nothing_lately_has_gone_quiet_until_they_add_a_draft(
    programme,
):
    day = STARTED + dt.timedelta(days=60)
    assert GONE_QUIET in reasons(programme, now=at(day))
    draft(programme, programme.enrolments[0], day - dt.timedelta(days=2))
    assert GONE_QUIET not in reasons(programme, now=at(day))
    assert GONE_QUIET in reasons(programme, now=at(day + dt.timedelta(days=30)))


def test_a_missed_deadline_is_flagged_until_the_final_work_is_in(programme):
    enrolment = programme.enrolments[0]
    assert MISSED_DEADLINE not in reasons(programme, now=DUE - dt.timedelta(minutes=1))
    after = DUE + dt.timedelta(days=1)
    found = momentum(programme.as_(programme.lead), programme.programme.pk, now=after)
    row = found.teachers[0]
    assert MISSED_DEADLINE in row.reasons and row.missed == [programme.assignment]
    draft(programme, enrolment, after.date(), final=True)
    assert MISSED_DEADLINE not in reasons(programme, now=after + dt.timedelta(hours=1))


def test_an_extension_holds_the_missed_deadline_flag_off_until_the_new_date(programme):
    enrolment = programme.enrolments[0]
    version = draft(programme, enrolment, DUE.date() - dt.timedelta(days=3))
    extension_grant(
        viewer=programme.as_(programme.tutor),
        submission=version.submission,
        due_at=DUE + dt.timedelta(days=7),
        reason="Illness.",
    )
    assert MISSED_DEADLINE not in reasons(programme, now=DUE + dt.timedelta(days=1))
    assert MISSED_DEADLINE in reasons(programme, now=DUE + dt.timedelta(days=8))


def test_a_coach_whose_teachers_had_no_meeting_or_feedback_is_flagged_with_how_many(world, scoped):
    pw = build_programme(world, teachers=3)
    day = STARTED + dt.timedelta(days=50)
    met, fed_back, left = pw.enrolments
    meet(pw, met, day - dt.timedelta(days=5))
    version = draft(pw, fed_back, day - dt.timedelta(days=4))
    feedback_give(
        viewer=pw.as_(pw.coach),
        version=version,
        body="Good start.",
        now=at(day - dt.timedelta(days=3)),
    )
    coach = momentum(pw.as_(pw.lead), pw.programme.pk, now=at(day)).coaches[0]
    assert (coach.coach, coach.caseload, coach.without_support) == (pw.coach, 3, 1)
    assert coach.needs_contact
    meet(pw, left, day - dt.timedelta(days=1))
    coach = momentum(pw.as_(pw.lead), pw.programme.pk, now=at(day)).coaches[0]
    assert coach.without_support == 0 and not coach.needs_contact


def test_the_tutors_feedback_does_not_count_as_the_coachs(world, scoped):
    pw = build_programme(world, teachers=1)
    day = STARTED + dt.timedelta(days=50)
    version = draft(pw, pw.enrolments[0], day - dt.timedelta(days=4))
    feedback_give(viewer=pw.as_(pw.tutor), version=version, body="Fine.", now=at(day))
    coach = momentum(pw.as_(pw.lead), pw.programme.pk, now=at(day)).coaches[0]
    assert coach.without_support == 1


def test_a_caseload_above_the_programmes_limit_warns(world, scoped):
    pw = build_programme(world, teachers=3, caseload_limit=2)
    coach = momentum(pw.as_(pw.lead), pw.programme.pk, now=at(STARTED)).coaches[0]
    assert coach.caseload == 3 and coach.over_caseload
    at_limit = build_programme(world, teachers=2, caseload_limit=2)
    coach = momentum(at_limit.as_(at_limit.lead), at_limit.programme.pk, now=at(STARTED)).coaches
    assert not coach[0].over_caseload


def test_the_coachs_latest_qualification_is_shown(programme):
    for level, day in (("pgcert", dt.date(2024, 1, 1)), ("masters", dt.date(2025, 6, 1))):
        CoachQualification.objects.create(
            trust=programme.trust,
            coach=programme.coach,
            level=level,
            recorded_on=day,
            recorded_by=programme.lead,
        )
    coach = momentum(programme.as_(programme.lead), programme.programme.pk).coaches[0]
    assert coach.qualification.level == "masters" and coach.qualification.holds_masters


def test_the_coachs_recorded_training_is_shown_with_the_latest_course(programme):
    coach = momentum(programme.as_(programme.lead), programme.programme.pk).coaches[0]
    assert (coach.courses, coach.trained_on) == (0, None)
    for course, day in (("Instructional coaching", dt.date(2024, 3, 1)), ("Rehearsal", None)):
        CoachTraining.objects.create(
            trust=programme.trust,
            coach=programme.coach,
            course=course,
            completed_on=day or dt.date(2025, 5, 9),
            delivered_by="The trust's coaching lead",
            recorded_by=programme.lead,
        )
    coach = momentum(programme.as_(programme.lead), programme.programme.pk).coaches[0]
    assert (coach.courses, coach.trained_on) == (2, dt.date(2025, 5, 9))


def test_a_tutor_sees_only_their_own_teachers(world, scoped):
    pw = build_programme(world, teachers=2)
    Enrolment.objects.filter(pk=pw.enrolments[1].pk).update(tutor=pw.other_tutor)
    seen = momentum(pw.as_(pw.tutor), pw.programme.pk, now=at(STARTED))
    assert [t.enrolment for t in seen.teachers] == [pw.enrolments[0]]
    assert len(momentum(pw.as_(pw.lead), pw.programme.pk, now=at(STARTED)).teachers) == 2


def test_someone_not_on_the_programme_staff_gets_a_404(programme, world):
    for person in (programme.coach, programme.enrolments[0].teacher, world.people["headteacher"]):
        with pytest.raises(Http404):
            momentum(programme.as_(person), programme.programme.pk)


def _queries(pw):
    with CaptureQueriesContext(connection) as queries:
        momentum(pw.as_(pw.lead), pw.programme.pk, now=DUE + dt.timedelta(days=1))
    return len(queries)


@pytest.mark.queries
def test_momentum_reads_the_same_number_of_queries_for_three_teachers_or_thirty(world, scoped):
    small = build_programme(world, teachers=3)
    large = build_programme(world, teachers=30)
    for pw in (small, large):
        for enrolment in pw.enrolments[:2]:
            meet(pw, enrolment, STARTED + dt.timedelta(days=10))
            draft(pw, enrolment, STARTED + dt.timedelta(days=11))
    assert _queries(small) == _queries(large) <= 10
