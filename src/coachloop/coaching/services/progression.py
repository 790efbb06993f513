"""Progression: placing a teacher on the five-stage scale, and the steps a teacher proposes.

A teacher places themselves on any strand of their school's framework as often as they like;
the coach of running coaching may place them too, and ``assessed_by`` says who did. A teacher
proposes their own next step; the coach accepts it (which sets it as the current step, proposed
by the teacher) or asks to talk about it first. Each write is one audited transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.coaching.models import Stage, StageAssessment, StepProposal
from coachloop.coaching.rules.relationships import EVERYTHING, content_window
from coachloop.coaching.services.errors import locked_for
from coachloop.coaching.services.steps import action_step_set
from coachloop.common.audit import audit_record

NOTE_LIMIT = 2000


def _same_trust(viewer, thing):
    if thing is not None and thing.trust_id != viewer.trust.pk:
        raise PermissionDenied


@transaction.atomic
def stage_record(*, viewer, teacher, strand, stage, assessed_on=None, note="", relationship=None):
    """Place ``teacher`` on ``stage`` of ``strand``. The teacher places themselves; anyone
    else must be the active coach of ``relationship``, the teacher's coaching."""
    window = EVERYTHING
    if viewer.pk != teacher.pk:
        if relationship is None or relationship.teacher_id != teacher.pk:
            raise PermissionDenied
        window = content_window(viewer, locked_for("coaching.place_on_stage", viewer, relationship))
    _same_trust(viewer, strand)
    today = timezone.localdate()
    assessed_on = assessed_on or today
    problems = {}
    if window.since is not None and assessed_on < window.since:
        # The coach would not see it: they read stages from when their coaching began.
        problems["assessed_on"] = _(
            "Give a date from %(date)s, when your coaching began, or later."
        ) % {"date": date_format(window.since, "j F Y")}
    if stage not in Stage.values:
        problems["stage"] = _("Choose a stage from novice to expert.")
    if strand is None:
        problems["strand"] = _("Choose a strand of the framework.")
    if assessed_on > today:
        problems["assessed_on"] = _("The date cannot be in the future.")
    if len(note) > NOTE_LIMIT:
        problems["note"] = _("Keep the note to %(limit)s characters or fewer.") % {
            "limit": NOTE_LIMIT
        }
    if problems:
        raise ValidationError(problems)
    row = StageAssessment.objects.create(
        trust_id=viewer.trust.pk,
        teacher=teacher,
        strand=strand,
        strand_code=strand.code,
        strand_title=strand.title,
        stage=stage,
        assessed_on=assessed_on,
        assessed_by=viewer.user,
        note=note,
    )
    audit_record(
        actor=viewer.user,
        verb="stage.recorded",
        target=row,
        subject=teacher,
        summary=f"{strand.code}: {stage}",
    )
    return row


def _open(proposal):
    """The proposal as stored now (its row held), if it is still open; otherwise a clear
    error: someone answered or withdrew it a moment ago."""
    stored = StepProposal.objects.select_for_update().get(pk=proposal.pk)
    if stored.status != StepProposal.Status.OPEN:
        raise ValidationError(_("This proposal has already been answered or withdrawn."))
    return stored


@transaction.atomic
def step_proposal_submit(
    *, viewer, relationship, title, success_looks_like, why="", framework_step=None
):
    """The teacher proposes their own next step; one proposal waits at a time."""
    relationship = locked_for("coaching.propose_step", viewer, relationship)
    _same_trust(viewer, framework_step)
    if StepProposal.objects.filter(
        relationship=relationship, status=StepProposal.Status.OPEN
    ).exists():
        raise ValidationError(
            _("You already have a step waiting for your coach. Withdraw it to propose another.")
        )
    problems = {}
    if not title.strip():
        problems["title"] = _("Say what the step is.")
    if not success_looks_like.strip():
        problems["success_looks_like"] = _("Say what success looks like.")
    if problems:
        raise ValidationError(problems)
    proposal = StepProposal.objects.create(
        trust_id=relationship.trust_id,
        relationship=relationship,
        framework_step=framework_step,
        title=title.strip(),
        success_looks_like=success_looks_like.strip(),
        why=why.strip(),
        proposed_by=viewer.user,
        proposed_on=timezone.localdate(),
    )
    audit_record(
        actor=viewer.user,
        verb="step_proposal.submitted",
        target=proposal,
        subject=relationship.teacher,
    )
    return proposal


@transaction.atomic
def step_proposal_withdraw(*, viewer, proposal):
    relationship = locked_for("coaching.withdraw_proposal", viewer, proposal.relationship)
    stored = _open(proposal)
    stored.status = StepProposal.Status.WITHDRAWN
    stored.responded_on = timezone.localdate()
    stored.save(update_fields=["status", "responded_on"])
    audit_record(
        actor=viewer.user,
        verb="step_proposal.withdrawn",
        target=stored,
        subject=relationship.teacher,
    )
    return stored


@transaction.atomic
def step_proposal_accept(*, viewer, proposal, previous_outcome=""):
    """The coach accepts the teacher's proposal: it becomes the current step, proposed by the
    teacher (the step before it closes with ``previous_outcome``, as when a coach sets one)."""
    relationship = locked_for("coaching.answer_proposal", viewer, proposal.relationship)
    stored = _open(proposal)
    step = action_step_set(
        viewer=viewer,
        relationship=relationship,
        title=stored.title,
        success_looks_like=stored.success_looks_like,
        framework_step=stored.framework_step,
        previous_outcome=previous_outcome,
        proposed_by=relationship.teacher,
    )
    stored.status = StepProposal.Status.ACCEPTED
    stored.responded_on = timezone.localdate()
    stored.action_step = step
    stored.save(update_fields=["status", "responded_on", "action_step"])
    audit_record(
        actor=viewer.user,
        verb="step_proposal.accepted",
        target=stored,
        subject=relationship.teacher,
    )
    return stored


@transaction.atomic
def step_proposal_discuss(*, viewer, proposal, response):
    """The coach would rather talk the proposal through first, and says why."""
    relationship = locked_for("coaching.answer_proposal", viewer, proposal.relationship)
    stored = _open(proposal)
    response = response.strip()
    if not response:
        raise ValidationError({"response": _("Say what you would like to talk about.")})
    if len(response) > NOTE_LIMIT:
        raise ValidationError(
            {
                "response": _("Keep the reply to %(limit)s characters or fewer.")
                % {"limit": NOTE_LIMIT}
            }
        )
    stored.status = StepProposal.Status.TO_DISCUSS
    stored.response = response
    stored.responded_on = timezone.localdate()
    stored.save(update_fields=["status", "response", "responded_on"])
    audit_record(
        actor=viewer.user,
        verb="step_proposal.to_discuss",
        target=stored,
        subject=relationship.teacher,
    )
    return stored
