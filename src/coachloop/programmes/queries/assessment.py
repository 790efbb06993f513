"""Reading a submission's assessment, as the person asking may see it.

- The teacher sees their marks and the markers' feedback only once the marks are released.
- With blind marking, a marker sees only their own mark until both marks are in.
- A third marker sees the two earlier marks only once their own is in (always blind).
- The programme's lead and moderators see every mark, unless they are marking it themselves.
- The teacher is a student first: whatever else they are on the programme, they see nothing
  of their own marks before release.
- The teacher's coach and tutor, when not marking it, see it as the teacher does.
- What the teacher reads follows the programme: one piece of feedback (the agreed feedback,
  or the first marker's comments), each marker's marks and comments only if the programme
  shows individual marking, and a notice of any correction after release. The moderator's
  note is for the markers and the lead (it explains a moderation, it is not feedback on the
  work), so the teacher never reads it; a moderated mark reaches them as the final mark.
"""

from dataclasses import dataclass, field

import rules
from django.http import Http404

from coachloop.programmes.models import Mark, MarkEvent, Programme, ProgrammeStaff, Submission


@dataclass
class Assessment:
    submission: Submission
    marks: list  # the marks this person may see
    final_mark: int | None  # the released mark, for the teacher; the current one for staff
    hidden: bool  # some of the assessment exists but is not shown to this person yet
    # The one piece of feedback the teacher reads (empty for staff, who read every marker's).
    feedback: str = ""
    # Corrections after release, oldest first (``MarkEvent`` of kind CORRECTED).
    corrections: list = field(default_factory=list)
    as_teacher: bool = False  # shown as the teacher sees it


def leads_or_moderates(viewer, programme):
    """The programme's lead or a moderator of it (``programmes.lead`` or
    ``programmes.moderate``), asked in one query."""
    return ProgrammeStaff.objects.filter(
        programme_id=programme.pk,
        person_id=viewer.pk,
        role__in=(ProgrammeStaff.Role.LEAD, ProgrammeStaff.Role.MODERATOR),
    ).exists()


def assessment_for(viewer, submission_id):
    """The assessment of one submission, or 404 for someone with no part in it."""
    submission = (
        Submission.objects.select_related(
            "assignment__module__programme",
            "enrolment__teacher",
            "reconciled_by",
            "confirmed_by",
            "third_marker",
            "moderator",
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        raise Http404
    programme = submission.assignment.module.programme
    marks = list(submission.marks.select_related("marker").order_by("position"))
    enrolment = submission.enrolment
    if enrolment.teacher_id == viewer.pk:
        # Before the staff check: a teacher who also works on their programme is still a
        # student of it, and sees nothing of their own marks before release.
        return as_the_teacher_sees_it(submission, marks)
    is_marker = rules.test_rule("programmes.mark", viewer, submission)
    if is_marker or leads_or_moderates(viewer, programme):
        # A marker is blind whatever else they are on the programme (lead, moderator).
        blind = programme.blind_marking and len(marks) < 2 and is_marker
        # A third marker marks blind whatever the programme says: the two earlier marks
        # are theirs to see only once their own is in.
        third_blind = viewer.pk == submission.third_marker_id and not any(
            m.position == Mark.Position.THIRD for m in marks
        )
        own_only = blind or third_blind
        shown = [m for m in marks if m.marker_id == viewer.pk] if own_only else marks
        return Assessment(
            submission=submission,
            marks=shown,
            final_mark=submission.final_mark,
            hidden=len(shown) < len(marks),
        )
    if viewer.pk in (enrolment.coach_id, enrolment.tutor_id):
        return as_the_teacher_sees_it(submission, marks)
    raise Http404


def teacher_feedback(submission, marks):
    """The one piece of feedback the teacher reads: the agreed feedback when the programme
    gives it (the first marker's comments while it is blank), else the first marker's."""
    first = next((m.comments for m in marks if m.position == m.Position.FIRST), "")
    programme = submission.assignment.module.programme
    if programme.teacher_feedback == Programme.TeacherFeedback.AGREED:
        return submission.agreed_feedback.strip() or first
    return first


def corrections_of(submission):
    """The corrections made after release, oldest first (none asked for when the mark was
    never corrected: a correction always sets ``corrected_mark``)."""
    if submission.corrected_mark is None:
        return []
    return list(
        MarkEvent.objects.filter(submission=submission, kind=MarkEvent.Kind.CORRECTED).order_by(
            "at", "pk"
        )
    )


def as_the_teacher_sees_it(submission, marks):
    """The submission's assessment as its teacher may read it: nothing before release; then
    the final mark, one piece of feedback, each marker's marks only if the programme shows
    them, and any correction."""
    released = submission.status == Submission.Status.RELEASED
    if not released:
        return Assessment(
            submission=submission,
            marks=[],
            final_mark=None,
            hidden=bool(marks),
            as_teacher=True,
        )
    programme = submission.assignment.module.programme
    shown = marks if programme.show_individual_marking else []
    return Assessment(
        submission=submission,
        marks=shown,
        final_mark=submission.final_mark,
        hidden=False,
        feedback=teacher_feedback(submission, marks),
        corrections=corrections_of(submission),
        as_teacher=True,
    )
