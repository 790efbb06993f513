"""Issue 18's "done when", end to end through the services: a cohort whose coach, the second
marker, leaves mid-marking is still moderated and released in full once the programme lead
replaces them; and the exam board's record of it lists every step."""

import csv
import io
import random

import pytest
from django.urls import reverse

from coachloop.programmes.models import MarkClaim, MarkEvent, Submission
from coachloop.programmes.services.claims import mark_draft_save
from coachloop.programmes.services.markers import marker_replace
from coachloop.programmes.services.moderation import (
    marks_release,
    moderation_record,
    moderation_sample_draw,
)
from tests.programmes.test_markers import coach_leaves
from tests.programmes.test_marking import ON_TIME, agree, fresh, mark, submit
from tests.programmes.test_pages_marking import staff_member

pytestmark = pytest.mark.django_db

S = Submission.Status
SECOND = "second"


def draw(pw, seed):
    return moderation_sample_draw(
        viewer=pw.as_(pw.lead), assignment=pw.assignment, rng=random.Random(seed)
    )


def moderate_what_is_sampled(pw):
    for submission in Submission.objects.filter(assignment=pw.assignment, status=S.IN_REVIEW):
        moderation_record(viewer=pw.as_(pw.moderator), submission=submission, agree=True)


@pytest.fixture
def cohort(world, scoped):
    """Four teachers, all handed in and marked first by their tutor; the coach marked two,
    was part-way through the third (claimed, with a draft) and then left the school."""
    from tests.programmes.fixtures import build_programme

    pw = build_programme(world, teachers=4)
    pw.submissions = [submit(pw, e) for e in pw.enrolments]
    for submission in pw.submissions:
        mark(pw, submission, pw.tutor, 64, 64)
    mark(pw, pw.submissions[0], pw.coach, 66, 66)
    mark(pw, pw.submissions[1], pw.coach, 62, 62)
    mark_draft_save(
        viewer=pw.as_(pw.coach),
        submission=pw.submissions[2],
        scores={str(pw.criteria[0].pk): 60},
        comments="Half way through.",
        now=ON_TIME,
    )
    coach_leaves(world, pw.coach)
    return pw


def test_a_cohort_whose_coach_left_mid_marking_is_released_once_the_marker_is_replaced(
    world, cohort
):
    pw = cohort
    first, second, third, fourth = pw.submissions
    # What was marked goes ahead without waiting for the rest.
    draw(pw, seed=1)
    assert [fresh(s).status for s in (third, fourth)] == [S.IN_MARKING, S.IN_MARKING]
    # The lead replaces the coach: another coach at the school, and a tutor.
    newcomer = world.people["other_coach"]
    marker_replace(
        viewer=pw.as_(pw.lead), submission=third, position=SECOND, person=newcomer, now=ON_TIME
    )
    marker_replace(
        viewer=pw.as_(pw.lead),
        submission=fourth,
        position=SECOND,
        person=pw.other_tutor,
        now=ON_TIME,
    )
    assert not MarkClaim.objects.filter(
        submission=third, marker=pw.coach, claimed_until__gt=ON_TIME
    ).exists(), "the leaver's claim ended"
    mark(pw, third, newcomer, 65, 65)
    mark(pw, fourth, pw.other_tutor, 72, 72)  # 8 apart: the two markers agree a mark
    assert fresh(fourth).status == S.IN_MARKING
    agree(pw, fourth, 68, "We read it again.", proposer=pw.other_tutor, confirmer=pw.tutor)
    draw(pw, seed=2)
    moderate_what_is_sampled(pw)
    released = marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    assert len(released) == 4
    assert {fresh(s).status for s in pw.submissions} == {S.RELEASED}
    assert [fresh(s).final_mark for s in pw.submissions] == [65, 63, 65, 68]
    replaced = MarkEvent.objects.filter(kind=MarkEvent.Kind.MARKER_REPLACED)
    assert sorted(e.submission_id for e in replaced) == sorted([third.pk, fourth.pk])


def test_the_exam_board_record_of_that_cohort_lists_every_teacher_and_every_step(
    client, world, cohort
):
    pw = cohort
    test_a_cohort_whose_coach_left_mid_marking_is_released_once_the_marker_is_replaced(world, pw)
    staff_member(pw, pw.lead)
    client.force_login(pw.lead)
    url = reverse("programmes:exam_board_csv", args=[pw.assignment.pk])
    marks = list(csv.DictReader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert len(marks) == 4
    history = list(
        csv.DictReader(io.StringIO(client.get(url + "?table=history").content.decode("utf-8-sig")))
    )
    fourth = pw.enrolments[3].teacher.full_name
    steps = [row["What"] for row in history if row["Teacher"] == fourth]
    assert steps[:4] == [
        "Marked",
        f"Marker replaced: {pw.other_tutor.full_name}",
        "Marked",
        "Agreed mark proposed",
    ]
    assert steps[4].startswith("Agreed mark confirmed") and steps[-1] == "Released"
