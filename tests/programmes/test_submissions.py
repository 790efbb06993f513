"""A teacher's work: drafts with formative feedback, a final version flagged when late, and
extensions from their tutor; and enrolment on a cohort."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import Cohort, Enrolment, Feedback, Submission
from coachloop.programmes.services.enrolments import enrolment_add
from coachloop.programmes.services.submissions import (
    extension_grant,
    feedback_give,
    submission_version_add,
    word_count,
)
from tests.factories import MembershipFactory, UserFactory
from tests.programmes.fixtures import DUE
from tests.programmes.test_marking import ON_TIME

pytestmark = pytest.mark.django_db


def add(pw, *, final, now=ON_TIME, text="A first go at the case study."):
    enrolment = pw.enrolments[0]
    return submission_version_add(
        viewer=pw.as_(enrolment.teacher),
        enrolment=enrolment,
        assignment=pw.assignment,
        text=text,
        final=final,
        now=now,
    )


def test_drafts_and_the_final_version_are_all_kept_in_order(programme):
    first = add(programme, final=False, text="Draft one.")
    second = add(programme, final=False, text="Draft two, longer now.")
    final = add(programme, final=True, text="The final case study.")
    assert [v.number for v in (first, second, final)] == [1, 2, 3]
    assert [v.kind for v in final.submission.versions.all()] == ["draft", "draft", "final"]
    assert second.word_count == 4
    assert final.submission.status == Submission.Status.NOT_MARKED


def test_words_are_counted_as_a_reader_would():
    assert word_count("The pupils’ work — well-organised, and done. 3 times!") == 8


def test_a_final_version_after_the_due_time_is_flagged_late(programme):
    late = add(programme, final=True, now=DUE + dt.timedelta(minutes=1))
    assert late.submission.is_late


def test_a_final_version_on_time_is_not_flagged(programme):
    assert not add(programme, final=True, now=DUE).submission.is_late


def test_an_extension_moves_the_due_time_so_the_work_is_not_late(programme):
    draft = add(programme, final=False)
    new_due = DUE + dt.timedelta(days=7)
    extension = extension_grant(
        viewer=programme.as_(programme.tutor),
        submission=draft.submission,
        due_at=new_due,
        reason="A family emergency in the week before the deadline.",
    )
    assert extension.granted_by == programme.tutor
    final = add(programme, final=True, now=DUE + dt.timedelta(days=3))
    assert final.submission.due_at == new_due and not final.submission.is_late


def test_only_the_tutor_grants_an_extension_later_than_now_and_with_a_reason(programme):
    submission = add(programme, final=False).submission
    with pytest.raises(PermissionDenied):
        extension_grant(
            viewer=programme.as_(programme.coach),
            submission=submission,
            due_at=DUE + dt.timedelta(days=7),
            reason="Asked nicely.",
        )
    tutor = programme.as_(programme.tutor)
    with pytest.raises(ValidationError, match="later"):
        extension_grant(
            viewer=tutor, submission=submission, due_at=DUE - dt.timedelta(days=1), reason="x"
        )
    with pytest.raises(ValidationError) as refused:
        extension_grant(
            viewer=tutor, submission=submission, due_at=DUE + dt.timedelta(days=1), reason=" "
        )
    assert "reason" in refused.value.message_dict
    assert Submission.objects.get(pk=submission.pk).due_at == DUE


def test_nothing_can_be_added_after_the_final_version(programme):
    add(programme, final=True)
    with pytest.raises(ValidationError, match="final version is already in"):
        add(programme, final=False)


def test_empty_work_is_refused(programme):
    with pytest.raises(ValidationError, match="Write or paste"):
        add(programme, final=True, text="   ")
    assert not Submission.objects.exclude(status="drafting").exists()


def test_only_the_teacher_submits_their_own_work(programme):
    with pytest.raises(ValidationError, match="Only the teacher"):
        submission_version_add(
            viewer=programme.as_(programme.coach),
            enrolment=programme.enrolments[0],
            assignment=programme.assignment,
            text="Written for them.",
            final=True,
        )


def test_the_coach_and_the_tutor_give_feedback_on_a_draft_but_not_on_the_final(programme):
    draft = add(programme, final=False)
    for person in (programme.coach, programme.tutor):
        feedback_give(viewer=programme.as_(person), version=draft, body="Cite the drop-in notes.")
    assert Feedback.objects.filter(version=draft).count() == 2
    with pytest.raises(PermissionDenied):
        feedback_give(viewer=programme.as_(programme.other_tutor), version=draft, body="Hi.")
    final = add(programme, final=True)
    with pytest.raises(ValidationError, match="comes with its mark"):
        feedback_give(viewer=programme.as_(programme.tutor), version=final, body="Good.")


# -- enrolment --------------------------------------------------------------------------------


def _new_teacher(world):
    with scopes_disabled():
        teacher = UserFactory(full_name="Nadia Brook")
        MembershipFactory(user=teacher, school=world.own.school, role="teacher")
    return teacher


def test_the_lead_enrols_a_teacher_with_the_programmes_fee_and_split(programme, world):
    teacher = _new_teacher(world)
    enrolment = enrolment_add(
        viewer=programme.as_(programme.lead),
        cohort=programme.enrolments[0].cohort,
        teacher=teacher,
        school=world.own.school,
        coach=world.own.coach,
        tutor=programme.tutor,
        started_on=dt.date.today(),
    )
    assert (enrolment.fee, enrolment.school_share_percent) == (Decimal("3000.00"), 60)


def test_an_enrolment_in_a_cohort_of_another_trust_is_refused(programme, world):
    teacher = _new_teacher(world)
    with scopes_disabled():
        elsewhere = Cohort.objects.create(
            trust=world.other_trust,
            programme=programme.programme,  # even a tampered link to this trust's programme
            name="Their cohort",
            starts_on=dt.date(2025, 9, 1),
        )
    before = Enrolment.objects.count()
    with pytest.raises(ValidationError, match="no such cohort"):
        enrolment_add(
            viewer=programme.as_(programme.lead),
            cohort=elsewhere,
            teacher=teacher,
            school=world.own.school,
            coach=world.own.coach,
            tutor=programme.tutor,
            started_on=dt.date.today(),
        )
    assert Enrolment.objects.count() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("a coach who does not coach there", "coach"),
        ("a tutor not on the programme", "tutor"),
        ("someone who does not teach there", "teacher"),
        ("the same teacher twice", "teacher"),
    ],
)
def test_a_bad_enrolment_is_refused_with_its_reason(programme, world, change, field):
    teacher = _new_teacher(world)
    values = {
        "teacher": teacher,
        "school": world.own.school,
        "coach": world.own.coach,
        "tutor": programme.tutor,
    }
    if change == "a coach who does not coach there":
        values["coach"] = world.other_school.coach
    elif change == "a tutor not on the programme":
        values["tutor"] = world.own.coach
    elif change == "someone who does not teach there":
        values["teacher"] = world.other_school.teacher
    else:
        values["teacher"] = programme.enrolments[0].teacher
    before = Enrolment.objects.count()
    with pytest.raises(ValidationError) as refused:
        enrolment_add(
            viewer=programme.as_(programme.lead),
            cohort=programme.enrolments[0].cohort,
            started_on=dt.date.today(),
            **values,
        )
    assert field in refused.value.message_dict
    assert Enrolment.objects.count() == before


def test_only_the_programme_lead_enrols(programme, world):
    with pytest.raises(PermissionDenied):
        enrolment_add(
            viewer=programme.as_(programme.tutor),
            cohort=programme.enrolments[0].cohort,
            teacher=_new_teacher(world),
            school=world.own.school,
            coach=world.own.coach,
            tutor=programme.tutor,
            started_on=dt.date.today(),
        )
