"""The teacher's module portfolio, read by their tutor only (and audited); the second marker
chosen by the lead; and funding, exact for the programme lead and as aggregates for a head."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from coachloop.coaching.models import Reflection
from coachloop.common.audit import READ
from coachloop.common.models import AuditEvent
from coachloop.people.models import Membership
from coachloop.people.queries import viewer_for
from coachloop.programmes.models import Enrolment, Mark, Programme, Submission
from coachloop.programmes.queries.funding import programme_funding, school_funding
from coachloop.programmes.queries.portfolio import portfolio_for
from coachloop.programmes.services.markers import marker_replace
from coachloop.programmes.services.portfolio import portfolio_item_add, portfolio_item_remove
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import mark, submit

pytestmark = pytest.mark.django_db


def reflection(teacher, trust, title="What the case study taught me"):
    return Reflection.objects.create(
        trust=trust,
        teacher=teacher,
        written_on=timezone.localdate(),
        title=title,
        body="Waiting longer after a question changed who answered.",
    )


def module_of(pw):
    return pw.assignment.module


def test_the_tutor_reads_only_what_the_teacher_put_in_the_portfolio(programme):
    enrolment = programme.enrolments[0]
    teacher = enrolment.teacher
    chosen = reflection(teacher, programme.trust)
    reflection(teacher, programme.trust, title="Private: not for the portfolio")
    portfolio_item_add(
        viewer=programme.as_(teacher), enrolment=enrolment, module=module_of(programme), item=chosen
    )
    seen = portfolio_for(
        programme.as_(programme.tutor), enrolment_id=enrolment.pk, module_id=module_of(programme).pk
    )
    assert [item.reflection for item in seen.items] == [chosen]
    event = AuditEvent.objects.get(verb=READ, actor=programme.tutor)
    assert event.subject == teacher and "portfolio" in event.summary


def test_taking_an_item_out_ends_the_tutors_access_to_it_at_once(programme):
    enrolment = programme.enrolments[0]
    entry = portfolio_item_add(
        viewer=programme.as_(enrolment.teacher),
        enrolment=enrolment,
        module=module_of(programme),
        item=reflection(enrolment.teacher, programme.trust),
    )
    portfolio_item_remove(viewer=programme.as_(enrolment.teacher), entry=entry)
    seen = portfolio_for(
        programme.as_(programme.tutor), enrolment_id=enrolment.pk, module_id=module_of(programme).pk
    )
    assert seen.items == []


def test_submitted_work_can_go_in_the_portfolio_once(programme):
    enrolment = programme.enrolments[0]
    version = submit(programme).versions.get()
    teacher = programme.as_(enrolment.teacher)
    portfolio_item_add(
        viewer=teacher, enrolment=enrolment, module=module_of(programme), item=version
    )
    with pytest.raises(ValidationError, match="already"):
        portfolio_item_add(
            viewer=teacher, enrolment=enrolment, module=module_of(programme), item=version
        )


def test_only_the_teachers_own_work_goes_in_their_portfolio(programme, world):
    enrolment = programme.enrolments[0]
    someone_elses = reflection(world.other_school.teacher, programme.trust)
    with pytest.raises(ValidationError, match="Only your own work"):
        portfolio_item_add(
            viewer=programme.as_(enrolment.teacher),
            enrolment=enrolment,
            module=module_of(programme),
            item=someone_elses,
        )
    with pytest.raises(ValidationError):
        portfolio_item_add(
            viewer=programme.as_(programme.coach),
            enrolment=enrolment,
            module=module_of(programme),
            item=reflection(enrolment.teacher, programme.trust),
        )


def test_nobody_but_the_teacher_and_their_tutor_reads_the_portfolio(programme, world):
    enrolment = programme.enrolments[0]
    for person in (
        programme.other_tutor,
        programme.coach,
        programme.lead,
        world.people["headteacher"],
    ):
        with pytest.raises(Http404):
            portfolio_for(
                programme.as_(person),
                enrolment_id=enrolment.pk,
                module_id=module_of(programme).pk,
            )


# -- the second marker ------------------------------------------------------------------------


def second_is(pw, submission, person, *, by=None):
    return marker_replace(
        viewer=pw.as_(by or pw.lead),
        submission=submission,
        position=Mark.Position.SECOND,
        person=person,
    )


def test_the_lead_chooses_another_tutor_to_mark_second(world, scoped):
    pw = build_programme(world, second_marker=Programme.SecondMarker.TUTOR)
    submission = submit(pw)
    with pytest.raises(ValidationError, match="in another place"):
        second_is(pw, submission, pw.tutor)
    with pytest.raises(ValidationError, match="neither a tutor on this programme nor a coach"):
        second_is(pw, submission, world.people["headteacher"])
    with pytest.raises(PermissionDenied):
        second_is(pw, submission, pw.other_tutor, by=pw.tutor)
    second_is(pw, submission, pw.other_tutor)
    mark(pw, submission, pw.tutor, 60, 60)
    mark(pw, submission, pw.other_tutor, 62, 62)
    submission.refresh_from_db()
    assert submission.agreed_mark == 61


def test_where_the_coach_marks_second_the_lead_may_still_give_it_to_a_tutor(programme):
    # Rewritten for issue 18: a coach second marker can be replaced too (before: refused).
    submission = submit(programme)
    second_is(programme, submission, programme.other_tutor)
    assert Submission.objects.get(pk=submission.pk).second_marker == programme.other_tutor


# -- funding ----------------------------------------------------------------------------------


def test_the_programme_lead_sees_the_funding_and_its_split_school_by_school(world, scoped):
    pw = build_programme(world, teachers=3, school_share_percent=60)
    Enrolment.objects.filter(pk=pw.enrolments[2].pk).update(
        school=world.other_school.school, fee=Decimal("2500.00"), school_share_percent=50
    )
    whole, rows = programme_funding(pw.as_(pw.lead), pw.programme.pk)
    assert (whole.enrolments, whole.total, whole.to_schools) == (
        3,
        Decimal("8500.00"),
        Decimal("4850.00"),
    )
    assert whole.to_university == Decimal("3650.00")
    by_school = {r.label: (r.enrolments, r.total, r.to_schools) for r in rows}
    assert by_school == {
        world.own.school.name: (2, Decimal("6000.00"), Decimal("3600.00")),
        world.other_school.school.name: (1, Decimal("2500.00"), Decimal("1250.00")),
    }


def test_funding_is_the_programme_leads_to_read(programme):
    for person in (programme.tutor, programme.moderator, programme.coach):
        with pytest.raises(Http404):
            programme_funding(programme.as_(person), programme.programme.pk)


def _head(world):
    return viewer_for(world.people["headteacher"], trust_id=world.trust.pk)


def test_a_head_sees_no_count_and_no_money_when_fewer_than_five_are_enrolled(world, scoped):
    few = build_programme(world, teachers=3)
    rows = school_funding(_head(world), world.own.school)
    assert [(r.programme, r.enrolments.suppressed, r.total, r.to_school) for r in rows] == [
        (few.programme.title, True, None, None)
    ]


def test_a_head_sees_their_schools_programme_totals_when_five_or_more_are_enrolled(world, scoped):
    build_programme(world, teachers=5)
    rows = school_funding(_head(world), world.own.school)
    assert [(r.enrolments.value, r.total, r.to_school) for r in rows] == [
        (5, Decimal("15000.00"), Decimal("9000.00"))
    ]


def test_a_head_cannot_read_another_schools_funding(programme, world):
    assert Membership.objects.filter(user=world.people["headteacher"]).exists()
    with pytest.raises(Http404):
        school_funding(_head(world), world.other_school.school)


def test_dates_are_kept_as_given(programme):
    assert programme.enrolments[0].started_on == dt.date(2025, 9, 1)
