"""Reads for agreeing a mark.

- The two markers see the reconcile page (both marks, the open proposal and what became of the
  earlier ones) through ``marking_pages.marker_page_for``, so blind marking holds.
- The programme lead sees the submission's marks, proposals and comments to adjudicate or to
  appoint a third marker (a 403 for the programme's other staff, a 404 for anyone else).
- The third marker sees the work to mark it, and the two earlier marks only once their own is
  in (``queries.assessment.assessment_for``); a 404 for anyone else.

Every read of a teacher's work or marks by someone else is in the teacher's audit trail.
"""

from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.http import Http404

from coachloop.common.audit import audit_read
from coachloop.people.models import User
from coachloop.programmes.models import (
    Mark,
    ProgrammeStaff,
    ReconciliationProposal,
    Submission,
    SubmissionVersion,
)
from coachloop.programmes.queries.assessment import assessment_for
from coachloop.programmes.queries.marking_pages import marker_page_for
from coachloop.programmes.queries.staff_pages import submission_for_lead
from coachloop.programmes.services.marking import (
    bands_apart,
    beyond_tolerance,
    needs_reconciling,
    waiting_to_agree,
)

TWO = (Mark.Position.FIRST, Mark.Position.SECOND)


@dataclass
class AgreementPage:
    """One submission's marks as the person agreeing or settling them sees them."""

    submission: Submission
    criteria: list
    bands: list
    marks: list  # the marks this person may see, in position order
    rows: list  # (criterion, [each shown mark's score])
    needs_reconciling: bool = False
    reopened: bool = False  # the lead reopened an agreement of marks that were close
    bands_apart: tuple | None = None
    proposals: list = field(default_factory=list)  # latest first
    final: SubmissionVersion | None = None  # the work, for the third marker
    own_mark: Mark | None = None
    assessment: object = None

    @property
    def programme(self):
        return self.submission.assignment.module.programme

    @property
    def open_proposal(self):
        return next(
            (p for p in self.proposals if p.outcome == ReconciliationProposal.Outcome.OPEN), None
        )

    @property
    def earlier_proposals(self):
        """The proposals answered, withdrawn or replaced, latest first."""
        return [p for p in self.proposals if p.outcome != ReconciliationProposal.Outcome.OPEN]

    @property
    def range(self):
        """The lowest and highest of the two marks: a proposal lies between them."""
        overall = sorted(m.overall for m in self.marks if m.position in TWO)
        return (overall[0], overall[-1]) if len(overall) == 2 else (None, None)


def _proposals(submission):
    return list(
        ReconciliationProposal.objects.filter(submission=submission)
        .select_related("proposed_by", "answered_by")
        .order_by("-proposed_at", "-pk")
    )


def _page(viewer, assessment, *, summary, with_work=False):
    submission = assessment.submission
    prefetch_related_objects([submission.assignment], "criteria", "bands")
    criteria = list(submission.assignment.criteria.all())
    marks = assessment.marks
    for mark in marks:
        mark.rows = [(c, mark.scores.get(str(c.pk))) for c in criteria]
    two = {m.position: m for m in marks if m.position in TWO}
    reconciling = waiting_to_agree(submission, two)
    page = AgreementPage(
        submission=submission,
        criteria=criteria,
        bands=list(submission.assignment.bands.all()),
        marks=marks,
        rows=[(c, [m.scores.get(str(c.pk)) for m in marks]) for c in criteria],
        needs_reconciling=reconciling,
        reopened=reconciling and not needs_reconciling(submission, two),
        bands_apart=(
            bands_apart(submission, two)
            if reconciling and not beyond_tolerance(submission, two)
            else None
        ),
        proposals=_proposals(submission),
        final=(
            SubmissionVersion.objects.filter(
                submission=submission, kind=SubmissionVersion.Kind.FINAL
            )
            .prefetch_related("files")
            .first()
            if with_work
            else None
        ),
        own_mark=next((m for m in marks if m.marker_id == viewer.pk), None),
        assessment=assessment,
    )
    audit_read(
        viewer=viewer.user,
        target=submission,
        subject=submission.enrolment.teacher,
        summary=summary,
    )
    return page


def reconcile_page_for(viewer, submission_id):
    """For the first and second markers: both marks and the proposals (404 for anyone else)."""
    marker_page = marker_page_for(viewer, submission_id, with_work=False)
    page = AgreementPage(
        submission=marker_page.submission,
        criteria=marker_page.criteria,
        bands=marker_page.bands,
        marks=marker_page.assessment.marks,
        rows=[
            (c, [m.scores.get(str(c.pk)) for m in marker_page.assessment.marks])
            for c in marker_page.criteria
        ],
        needs_reconciling=marker_page.needs_reconciling,
        bands_apart=marker_page.bands_apart,
        own_mark=marker_page.own_mark,
        assessment=marker_page.assessment,
    )
    if not marker_page.assessment.hidden:
        page.proposals = _proposals(page.submission)
    return page


def adjudication_page_for(viewer, submission_id):
    """For the programme's lead: the marks, proposals and comments (a 403 for the programme's
    other staff, a 404 for anyone else)."""
    submission_for_lead(viewer, submission_id)
    return _page(viewer, assessment_for(viewer, submission_id), summary="marks, for adjudicating")


def third_mark_page_for(viewer, submission_id):
    """For the third marker: the work, and the earlier marks once their own is in."""
    assessment = assessment_for(viewer, submission_id)
    if assessment.submission.third_marker_id != viewer.pk:
        raise Http404
    return _page(viewer, assessment, summary="final version, for third marking", with_work=True)


def third_marker_choices(submission):
    """The programme's tutors other than the submission's two markers and the teacher."""
    tutor_ids = ProgrammeStaff.objects.filter(
        programme_id=submission.assignment.module.programme_id,
        role=ProgrammeStaff.Role.TUTOR,
    ).values("person_id")
    excluded = [
        submission.first_marker_id,
        submission.second_marker_id,
        submission.enrolment.teacher_id,
    ]
    return (
        User.objects.filter(pk__in=tutor_ids)
        .exclude(pk__in=[pk for pk in excluded if pk is not None])
        .order_by("full_name", "pk")
    )
