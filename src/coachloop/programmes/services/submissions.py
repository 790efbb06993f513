"""A teacher's work on an assignment: drafts for feedback, one final version for marking,
extensions granted by their tutor, and formative feedback from their coach and tutor."""

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.common.uploads import check_upload
from coachloop.programmes.models import (
    Extension,
    Feedback,
    Programme,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from coachloop.programmes.services.common import (
    check,
    locked_submission,
    now_or,
    refuse,
    refuse_if_ended,
)

WORD = re.compile(r"\w+(?:['’-]\w+)*")
MAX_FILES = 5  # files on one version


def word_count(text):
    return len(WORD.findall(text))


def _submission_for(enrolment, assignment):
    """The teacher's current attempt at the assignment (the first, made now if need be; a
    resubmission's once the lead opens one)."""
    submission, _created = Submission.objects.get_or_create(
        trust_id=enrolment.trust_id,
        enrolment=enrolment,
        assignment=assignment,
        is_current=True,
        defaults={"attempt": 1},
    )
    return locked_submission(submission)


def _checked_files(files):
    """Each upload checked by content (``common.uploads.check_upload``) before anything is
    written; a refusal is keyed ``files`` and names what is wrong."""
    files = [f for f in files or () if f is not None]
    if len(files) > MAX_FILES:
        refuse("files", _("Attach at most %(count)d files to one version.") % {"count": MAX_FILES})
    checked = []
    for upload in files:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as error:
            raise ValidationError({"files": error.message_dict["file"]}) from None
    return checked


def _forget(stored):
    for entry in stored:
        entry.file.storage.delete(entry.file.name)


def _store_files(version, checked):
    """Store the checked files under random names; if one fails, none is left behind."""
    stored = []
    try:
        for upload, found in checked:
            entry = SubmissionFile(
                trust_id=version.trust_id,
                version=version,
                original_name=found.original_name,
                content_type=found.content_type,
                size=found.size,
            )
            entry.stored_name = f"{uuid.uuid4().hex}{found.suffix}"
            upload.seek(0)
            entry.file.save(found.original_name, upload, save=False)
            stored.append(entry)
            entry.save()
    except BaseException:
        _forget(stored)
        raise
    return stored


@transaction.atomic
def submission_version_add(*, viewer, enrolment, assignment, text, final, files=(), now=None):
    """Add a version of the teacher's work, with any files attached (``files``: uploads, each
    checked by its content first; the version and its files are saved together or not at
    all). A draft can be added at any time before the final version; the final version goes
    for marking, flagged late if it is after the due time."""
    now = now_or(now)
    if enrolment.teacher_id != viewer.pk:
        refuse("text", _("Only the teacher enrolled can submit their work."))
    refuse_if_ended(
        enrolment, "text", _("Your place on this programme has ended, so no work can be added.")
    )
    if assignment.module.programme_id != enrolment.cohort.programme_id:
        refuse("text", _("This assignment is not part of your programme."))
    submission = _submission_for(enrolment, assignment)
    if submission.status != Submission.Status.DRAFTING:
        refuse(
            "text",
            _("Your final version is already in, so nothing more can be added.")
            if submission.status != Submission.Status.RELEASED
            else _("This assignment has been marked and released: nothing more can be added."),
        )
    text = text.strip()
    if not text:
        refuse("text", _("Write or paste your work before you submit it."))
    checked = _checked_files(files)
    words = word_count(text)
    number = submission.versions.count() + 1
    version = SubmissionVersion.objects.create(
        trust_id=submission.trust_id,
        submission=submission,
        number=number,
        kind=SubmissionVersion.Kind.FINAL if final else SubmissionVersion.Kind.DRAFT,
        text=text,
        word_count=words,
        created_at=now,
    )
    stored = _store_files(version, checked)
    try:
        if final:
            programme = assignment.module.programme
            submission.status = Submission.Status.NOT_MARKED
            submission.submitted_at = now
            # The due time that holds now: the assignment's as it stands (it may have moved
            # since the first draft), or the teacher's own extension.
            submission.is_late = now > submission.due_at
            submission.first_marker_id = enrolment.tutor_id
            if programme.second_marker == Programme.SecondMarker.COACH:
                submission.second_marker_id = enrolment.coach_id
            submission.version += 1
            submission.save()
        audit_record(
            actor=viewer.user,
            verb="submission.final_added" if final else "submission.draft_added",
            target=version,
            subject=viewer.user,
            summary=f"version {number}, {words} words"
            + (f", {len(stored)} files" if stored else "")
            + (", late" if submission.is_late else ""),
        )
    except BaseException:
        _forget(stored)
        raise
    return version


@transaction.atomic
def submission_open(*, viewer, enrolment, assignment):
    """The teacher's submission of ``assignment``, opened by their tutor before any work is
    saved, so that an extension can be granted to a teacher who has not started."""
    check("programmes.grant_extension", viewer, enrolment)
    if assignment.module.programme_id != enrolment.cohort.programme_id:
        refuse("assignment", _("This assignment is not part of the teacher's programme."))
    return _submission_for(enrolment, assignment)


@transaction.atomic
def extension_grant(*, viewer, submission, due_at, reason, now=None):
    """The teacher's tutor moves the due time on, past the one that holds now (an earlier
    extension's, else the assignment's); every extension is kept."""
    now = now_or(now)
    submission = locked_submission(submission)
    check("programmes.grant_extension", viewer, submission.enrolment)
    if submission.status != Submission.Status.DRAFTING:
        refuse("due_at", _("The final version is in already: an extension would change nothing."))
    if due_at <= submission.due_at:  # the extension's or, if none is later, the assignment's
        refuse("due_at", _("An extension must move the due date later than it is now."))
    if not reason.strip():
        refuse("reason", _("Say why the extension is granted: the teacher and the board see it."))
    extension = Extension.objects.create(
        trust_id=submission.trust_id,
        submission=submission,
        due_at=due_at,
        reason=reason.strip(),
        granted_by=viewer.user,
        granted_at=now,
    )
    submission.extended_due_at = due_at
    submission.version += 1
    submission.save(update_fields=["extended_due_at", "version"])
    audit_record(
        actor=viewer.user,
        verb="submission.extension_granted",
        target=extension,
        subject=submission.enrolment.teacher,
        summary=f"due {due_at:%Y-%m-%d %H:%M}",
    )
    return extension


@transaction.atomic
def feedback_give(*, viewer, version, body, now=None):
    """Formative feedback on a draft, from the teacher's coach or tutor."""
    enrolment = version.submission.enrolment
    check("programmes.give_feedback", viewer, enrolment)
    if version.kind != SubmissionVersion.Kind.DRAFT:
        refuse("body", _("Feedback on the final version comes with its mark, not here."))
    if not body.strip():
        refuse("body", _("Write your feedback before you send it."))
    feedback = Feedback.objects.create(
        trust_id=version.trust_id,
        version=version,
        author=viewer.user,
        body=body.strip(),
        created_at=now_or(now),
    )
    audit_record(
        actor=viewer.user,
        verb="submission.feedback_given",
        target=feedback,
        subject=enrolment.teacher,
    )
    return feedback
