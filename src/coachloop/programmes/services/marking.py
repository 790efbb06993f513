"""Summative marking by two markers: each marker (holding their own slot, ``services.claims``)
marks criterion by criterion, and the two marks become the agreed mark, automatically when they are
within the programme's tolerance (and, unless the programme says otherwise, in the same band),
or, when not, as the markers agree them (``services.agreement``)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.programmes.models import Band, Mark, MarkClaim, MarkEvent, Programme, Submission
from coachloop.programmes.services.claims import ready_to_mark
from coachloop.programmes.services.common import (
    locked_submission,
    now_or,
    refuse,
    whole_mark,
)
from coachloop.programmes.services.history import mark_event_add

OUT_OF_RANGE = _("Each mark must be a whole number from 0 to 100.")


def _half_up(value):
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def weighted_overall(criteria, scores):
    """The overall mark: each criterion's mark weighted, rounded to a whole mark (half up)."""
    total_weight = sum(c.weight for c in criteria)
    weighted = sum(Decimal(scores[str(c.pk)]) * c.weight for c in criteria)
    return _half_up(weighted / total_weight)


@transaction.atomic
def mark_record(*, viewer, submission, scores, comments, now=None):
    """Record the viewer's mark (first or second, as the submission names them).

    ``scores`` maps each criterion's id to a whole mark from 0 to 100. Nobody else may hold a
    live claim on the viewer's slot; the viewer's own claim (and what it kept) goes. When
    both marks are in, the agreed mark follows from the programme's rule if they are within
    tolerance; otherwise the submission waits for the markers to reconcile.
    """
    now = now_or(now)
    submission = locked_submission(submission)
    position = ready_to_mark(viewer, submission, "scores", now)
    if position == Mark.Position.THIRD:
        refuse("scores", _("This submission is not waiting to be marked."))
    criteria = list(submission.assignment.criteria.all())
    if not sum(c.weight for c in criteria):
        refuse(
            "scores",
            _("This assignment has no weighted marking criteria yet: ask the programme lead."),
        )
    if not isinstance(scores, dict) or {str(k) for k in scores} != {str(c.pk) for c in criteria}:
        refuse("scores", _("Give a mark for every criterion."))
    scores = {str(k): whole_mark(v, "scores", OUT_OF_RANGE) for k, v in scores.items()}
    if not comments.strip():
        refuse("comments", _("Write the feedback the teacher will read with the mark."))
    mark = Mark.objects.create(
        trust_id=submission.trust_id,
        submission=submission,
        position=position,
        marker=viewer.user,
        scores=scores,
        overall=weighted_overall(criteria, scores),
        comments=comments.strip(),
        submitted_at=now,
    )
    submission.status = Submission.Status.IN_MARKING
    MarkClaim.objects.filter(submission=submission, position=position, marker_id=viewer.pk).delete()
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.MARKED,
        at=now,
        position=position,
        mark=mark.overall,
    )
    marks = {m.position: m for m in submission.marks.all()}
    if len(marks) == 2:
        _agree_within_tolerance(submission, marks, actor=viewer, now=now)
    submission.version += 1
    submission.save()
    audit_record(
        actor=viewer.user,
        verb="submission.marked",
        target=mark,
        subject=submission.enrolment.teacher,
        summary=f"{position} mark",
    )
    return mark


def bands_apart(submission, marks):
    """The two bands the marks fall in, (first marker's, second marker's), when the programme
    wants bands to agree and they differ; else None. Reads the assignment's bands (prefetched
    ones when there are)."""
    programme = submission.assignment.module.programme
    if len(marks) != 2 or not programme.bands_must_agree:
        return None
    bands = list(submission.assignment.bands.all())
    first = Band.containing(bands, marks[Mark.Position.FIRST].overall)
    second = Band.containing(bands, marks[Mark.Position.SECOND].overall)
    return (first, second) if first != second else None


def beyond_tolerance(submission, marks):
    """Both marks are in and further apart than the programme's tolerance."""
    programme = submission.assignment.module.programme
    return len(marks) == 2 and (
        abs(marks[Mark.Position.FIRST].overall - marks[Mark.Position.SECOND].overall)
        > programme.tolerance
    )


def needs_reconciling(submission, marks):
    """Both marks are in and further apart than the programme allows, or (unless the
    programme says otherwise) in different bands of the assignment."""
    return beyond_tolerance(submission, marks) or bands_apart(submission, marks) is not None


def waiting_to_agree(submission, marks):
    """Both marks are in but not agreed: further apart than the programme allows, or the
    programme lead reopened the agreement, so the markers agree a mark again."""
    return (
        submission.status == Submission.Status.IN_MARKING
        and submission.agreed_mark is None
        and Mark.Position.FIRST in marks
        and Mark.Position.SECOND in marks
    )


def _agree_within_tolerance(submission, marks, *, actor, now):
    if needs_reconciling(submission, marks):
        return
    programme = submission.assignment.module.programme
    first, second = marks[Mark.Position.FIRST].overall, marks[Mark.Position.SECOND].overall
    if programme.agree_by == Programme.AgreeBy.MEAN:
        submission.agreed_mark = _half_up(Decimal(first + second) / 2)
        submission.agreed_by = Submission.AgreedBy.MEAN
    else:
        submission.agreed_mark = first
        submission.agreed_by = Submission.AgreedBy.FIRST_MARKER
    # The teacher reads the first marker's comments unless the markers change them.
    submission.agreed_feedback = marks[Mark.Position.FIRST].comments
    submission.agreed_at = now
    submission.status = Submission.Status.MARKING_DONE
    mark_event_add(
        submission=submission,
        actor=actor,
        kind=MarkEvent.Kind.AGREED,
        at=now,
        mark=submission.agreed_mark,
        reason=submission.get_agreed_by_display(),
    )
