"""The programme lead's page for opening a resubmission of a released fail."""

from dataclasses import dataclass

from coachloop.common.audit import audit_read
from coachloop.programmes.models import Band, Submission
from coachloop.programmes.queries.staff_pages import submission_for_lead


@dataclass
class ResubmissionPage:
    submission: Submission
    band: Band | None
    later: Submission | None  # the attempt opened already, if there is one

    @property
    def programme(self):
        return self.submission.assignment.module.programme

    @property
    def is_fail(self):
        mark = self.submission.final_mark
        return mark is not None and mark < self.programme.pass_mark

    @property
    def can_open(self):
        """Whether a resubmission can be opened: the current attempt, released, a fail."""
        return (
            self.submission.is_current
            and self.submission.status == Submission.Status.RELEASED
            and self.is_fail
        )


def resubmission_page(viewer, submission_id):
    """A submission of a programme the viewer leads, with its final mark (404 if the viewer is
    not on the programme's staff, else 403); the read is in the teacher's trail."""
    submission = submission_for_lead(viewer, submission_id)
    later = (
        Submission.objects.filter(
            enrolment_id=submission.enrolment_id,
            assignment_id=submission.assignment_id,
            attempt__gt=submission.attempt,
        )
        .order_by("-attempt")
        .first()
    )
    audit_read(
        viewer=viewer.user,
        target=submission,
        subject=submission.enrolment.teacher,
        summary="mark, for a resubmission",
    )
    return ResubmissionPage(
        submission=submission,
        band=Band.containing(submission.assignment.bands.all(), submission.final_mark),
        later=later,
    )
