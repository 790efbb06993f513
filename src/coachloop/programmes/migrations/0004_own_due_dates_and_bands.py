"""A submission keeps only its own extension; marks in different bands are reconciled.

- ``Submission.due_at`` was the assignment's due time copied when the first draft was saved,
  so moving the assignment's deadline left those teachers on the old one. It becomes
  ``extended_due_at``: empty unless the teacher's tutor granted an extension (an
  ``Extension`` row exists). A teacher is due when the assignment is, or at their extension
  if that is later.
- Work handed in but not yet released that was marked late only against a stale copied date
  (it was in by the time that holds now) is no longer late. Nobody is newly marked late:
  lateness was decided at hand-in by the rules then. Released work is left as it was.
- ``Programme.bands_must_agree`` (on for every programme): two marks within tolerance in
  different bands of the assignment go to the markers to reconcile.

Going back gives every submission its due time again (its extension's, else the
assignment's as it stands) and leaves the lateness as the forward step made it.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH_SIZE = 1000
UNRELEASED_HANDED_IN = ("not_marked", "in_marking", "marking_done", "in_review", "ready")


def _due(extended_due_at, assignment_due_at):
    if extended_due_at is not None and extended_due_at > assignment_due_at:
        return extended_due_at
    return assignment_due_at


def own_due_dates_only(apps, schema_editor):
    """Keep an extended date only where an extension was granted; clear the lateness that a
    stale copied date caused on work not yet released."""
    Submission = apps.get_model("programmes", "Submission")
    Extension = apps.get_model("programmes", "Extension")
    submissions = Submission._base_manager
    granted = Extension._base_manager.values("submission_id")
    submissions.exclude(pk__in=granted).exclude(extended_due_at=None).update(
        extended_due_at=None
    )
    late = (
        submissions.filter(is_late=True, status__in=UNRELEASED_HANDED_IN)
        .exclude(submitted_at=None)
        .select_related("assignment")
        .only("pk", "submitted_at", "extended_due_at", "is_late", "assignment__due_at")
    )
    batch = []
    for submission in late.iterator(chunk_size=BATCH_SIZE):
        if submission.submitted_at <= _due(
            submission.extended_due_at, submission.assignment.due_at
        ):
            submission.is_late = False
            batch.append(submission)
        if len(batch) >= BATCH_SIZE:
            submissions.bulk_update(batch, ["is_late"])
            batch = []
    if batch:
        submissions.bulk_update(batch, ["is_late"])


def copied_due_dates(apps, schema_editor):
    """Every submission carries its due time again: its extension's if later, else the
    assignment's."""
    Submission = apps.get_model("programmes", "Submission")
    Assignment = apps.get_model("programmes", "Assignment")
    submissions = Submission._base_manager
    assignment_due = Assignment._base_manager.filter(pk=OuterRef("assignment_id")).values(
        "due_at"
    )[:1]
    submissions.filter(extended_due_at=None).update(extended_due_at=Subquery(assignment_due))
    earlier = (
        submissions.select_related("assignment")
        .only("pk", "extended_due_at", "assignment__due_at")
        .iterator(chunk_size=BATCH_SIZE)
    )
    batch = []
    for submission in earlier:
        if submission.extended_due_at < submission.assignment.due_at:
            submission.extended_due_at = submission.assignment.due_at
            batch.append(submission)
        if len(batch) >= BATCH_SIZE:
            submissions.bulk_update(batch, ["extended_due_at"])
            batch = []
    if batch:
        submissions.bulk_update(batch, ["extended_due_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0003_reconciled_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="bands_must_agree",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "If the two marks are in different bands (for example 68 and 72), the "
                    "markers reconcile them even when they are within tolerance. This stops a "
                    "teacher getting a band neither marker gave."
                ),
                verbose_name="marks in different bands are reconciled by the markers",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="due_at",
            field=models.DateTimeField(
                help_text=(
                    "Moving it moves every teacher's due date, except for teachers with a "
                    "later extension from their tutor."
                ),
                verbose_name="due",
            ),
        ),
        migrations.RenameField(
            model_name="submission", old_name="due_at", new_name="extended_due_at"
        ),
        migrations.AlterField(
            model_name="submission",
            name="extended_due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(own_due_dates_only, copied_due_dates),
    ]
