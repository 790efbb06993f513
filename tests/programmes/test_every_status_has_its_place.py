"""Every status a submission can be in has its place wherever statuses are listed, so a new
one (as "with the programme lead" was) never reads as released to the teacher, nor slips out
of the lead's counts or the sample draw's."""

import types

import pytest
from django.core.exceptions import ValidationError

from coachloop.programmes.models import Submission
from coachloop.programmes.queries.partnership_pages import WorkRow
from coachloop.programmes.queries.staff_pages import ReleasePage
from coachloop.programmes.queries.student_pages import status_words
from tests.programmes.test_marking import fresh, mark, submit
from tests.programmes.test_moderation import draw

S = Submission.Status
BETWEEN_HAND_IN_AND_RELEASE = [s for s in S if s not in (S.DRAFTING, S.NOT_MARKED, S.RELEASED)]


@pytest.mark.parametrize("status", BETWEEN_HAND_IN_AND_RELEASE)
def test_the_teacher_reads_being_marked_for_every_status_before_release(status):
    submission = types.SimpleNamespace(status=status, released_at=None)
    assert status_words(submission) == "Being marked"
    row = WorkRow(assignment=None, submission_id=1, status=status, due_at=None, is_late=False)
    assert row.status_label == "Being marked"


@pytest.mark.parametrize("status", [s for s in BETWEEN_HAND_IN_AND_RELEASE if s != S.READY])
def test_the_release_page_counts_every_status_not_ready_as_not_ready(status):
    page = ReleasePage(assignment=None, tally={status: 1})
    assert (page.ready, page.not_ready) == (0, 1)


@pytest.mark.django_db
def test_work_with_the_programme_lead_counts_as_still_being_marked_in_a_draw(programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 80, 80)
    mark(programme, submission, programme.coach, 50, 50)
    Submission.objects.filter(pk=submission.pk).update(status=S.ADJUDICATION)
    with pytest.raises(ValidationError, match="1 submission is still being marked"):
        draw(programme)
    assert fresh(submission).status == S.ADJUDICATION
