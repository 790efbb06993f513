"""Moderation and release: the programme lead draws a sample of an assignment's marked
submissions, a moderator agrees or changes each sampled mark, and the lead releases marks to
the teachers. Nothing about a mark reaches the teacher before release."""

import math
import random

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.common.audit import audit_record
from coachloop.programmes.models import MarkEvent, ProgrammeStaff, Submission
from coachloop.programmes.services.claims import MARKING
from coachloop.programmes.services.common import (
    check,
    locked_submission,
    now_or,
    refuse,
    whole_mark,
)
from coachloop.programmes.services.history import mark_event_add, mark_events_add


def sample_for(submissions, programme, *, top_band_from=None, rng=None):
    """Which submissions a moderator reviews: every fail and every top-band mark when the
    programme says so, then others at random until the sample is the programme's share
    (rounded up) of all of them."""
    rng = rng or random.SystemRandom()
    chosen = []
    for submission in submissions:
        fails = submission.agreed_mark < programme.pass_mark
        top = top_band_from is not None and submission.agreed_mark >= top_band_from
        if (programme.moderate_all_fails and fails) or (programme.moderate_top_band and top):
            chosen.append(submission)
    wanted = math.ceil(len(submissions) * programme.moderation_percent / 100)
    chosen_pks = {s.pk for s in chosen}
    others = [s for s in submissions if s.pk not in chosen_pks]
    rng.shuffle(others)
    chosen += others[: max(0, wanted - len(chosen))]
    return chosen


@transaction.atomic
def moderation_sample_draw(*, viewer, assignment, rng=None, now=None):
    """Draw the moderation sample from the assignment's submissions whose marking is done
    (agreed mark in) since the last draw: the sample goes to the moderator, the rest are ready
    for release. Work still being marked is left out, not waited for: it is drawn in a later
    draw of the same assignment, as is work handed in later (after an extension).

    Each draw applies the programme's sample rule to what it takes, so over several draws
    "percent sampled" means: every draw samples every fail and every top-band mark (when the
    programme says so), and at least the programme's percentage, rounded up, of the work it
    takes. Rounding up in each draw means several small draws may sample a little more than
    one draw of everything would. Refused only when no work is ready, saying how many
    submissions are still being marked."""
    programme = assignment.module.programme
    check("programmes.lead", viewer, programme)
    submitted = list(
        Submission.objects.select_for_update()
        .filter(assignment=assignment)
        .filter(
            status__in=(*MARKING, Submission.Status.ADJUDICATION, Submission.Status.MARKING_DONE)
        )
        .order_by("pk")
    )
    done = [s for s in submitted if s.status == Submission.Status.MARKING_DONE]
    still_marking = len(submitted) - len(done)
    if not done:
        refuse("assignment", _nothing_ready(still_marking))
    top_band = assignment.bands.order_by("-lowest").first()
    sample = sample_for(
        done,
        programme,
        top_band_from=top_band.lowest if top_band else None,
        rng=rng,
    )
    sampled = {s.pk for s in sample}
    for submission in done:
        submission.in_sample = submission.pk in sampled
        submission.status = (
            Submission.Status.IN_REVIEW if submission.in_sample else Submission.Status.READY
        )
        submission.version += 1
    Submission.objects.bulk_update(done, ["in_sample", "status", "version"])
    mark_events_add(
        sample,
        actor=viewer,
        kind=MarkEvent.Kind.SAMPLED,
        at=now_or(now),
        mark_of=lambda s: s.agreed_mark,
    )
    audit_record(
        actor=viewer.user,
        verb="assignment.sample_drawn",
        target=assignment,
        summary=f"{len(sample)} of {len(done)} submissions to moderate"
        + (f", {still_marking} still being marked left out" if still_marking else ""),
    )
    return sample


def _nothing_ready(still_marking):
    """Why a draw finds nothing to take."""
    if not still_marking:
        return _("No work is waiting for the moderation sample.")
    return ngettext(
        "No work is ready for the moderation sample yet: %(n)s submission is still being marked.",
        "No work is ready for the moderation sample yet: %(n)s submissions are still being marked.",
        still_marking,
    ) % {"n": still_marking}


def _outcome(moderated_mark):
    return "agreed" if moderated_mark is None else f"changed to {moderated_mark}"


@transaction.atomic
def moderation_record(*, viewer, submission, agree, mark=None, note="", now=None):
    """The moderator agrees the mark, or changes it (with a note); either way the submission
    is then ready for release, and a changed mark is the one released. Until release the
    moderator can change their decision; the revision is audited with both outcomes."""
    submission = locked_submission(submission)
    check("programmes.moderate", viewer, submission.assignment.module.programme)
    if submission.status == Submission.Status.RELEASED:
        refuse(
            "mark",
            _(
                "The marks are released, so the moderation can no longer change: the teacher "
                "has their mark."
            ),
        )
    revising = (
        submission.status == Submission.Status.READY
        and submission.in_sample
        and submission.moderated_at is not None
    )
    if submission.status != Submission.Status.IN_REVIEW and not revising:
        refuse("mark", _("This submission is not waiting for moderation."))
    if viewer.pk in (
        submission.first_marker_id,
        submission.second_marker_id,
        submission.third_marker_id,
    ):
        refuse("mark", _("A marker cannot moderate their own marking."))
    if submission.moderator_id not in (None, viewer.pk):
        refuse(
            "mark",
            _("Another moderator moderates this submission: the programme lead chose them."),
        )
    previous = _outcome(submission.moderated_mark)
    previous_mark = submission.final_mark
    if not agree:
        whole_mark(mark, "mark", _("The moderated mark must be a whole number from 0 to 100."))
        if not note.strip():
            refuse("note", _("Say why the mark changes: the markers read it."))
    submission.moderated_mark = None if agree else mark
    submission.moderation_note = note.strip()
    submission.moderator = viewer.user
    submission.moderated_at = now_or(now)
    submission.status = Submission.Status.READY
    submission.version += 1
    submission.save()
    outcome = _outcome(submission.moderated_mark)
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.MODERATION_REVISED if revising else MarkEvent.Kind.MODERATED,
        at=submission.moderated_at,
        mark=submission.final_mark,
        previous_mark=previous_mark,
        reason=submission.moderation_note,
    )
    audit_record(
        actor=viewer.user,
        verb="submission.moderation_revised" if revising else "submission.moderated",
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"{previous}, now {outcome}" if revising else outcome,
    )
    return submission


@transaction.atomic
def moderation_sample_add(*, viewer, submission, now=None):
    """The programme lead adds a submission to the moderation sample by hand: one whose marking
    is done, not yet released nor already in the sample. It goes to the moderator for review."""
    submission = locked_submission(submission)
    check("programmes.lead", viewer, submission.assignment.module.programme)
    if submission.status == Submission.Status.RELEASED:
        refuse("submission", _("The marks are released, so this submission cannot be moderated."))
    if submission.in_sample:
        refuse("submission", _("This submission is already in the moderation sample."))
    if submission.status not in (Submission.Status.MARKING_DONE, Submission.Status.READY):
        refuse(
            "submission",
            _(
                "This submission is still being marked: it can join the sample once it has "
                "its agreed mark."
            ),
        )
    submission.in_sample = True
    submission.status = Submission.Status.IN_REVIEW
    submission.version += 1
    submission.save(update_fields=["in_sample", "status", "version"])
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.SAMPLED_BY_HAND,
        at=now_or(now),
        mark=submission.final_mark,
    )
    audit_record(
        actor=viewer.user,
        verb="submission.sample_added",
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"added to the moderation sample by hand (agreed {submission.agreed_mark})",
    )
    return submission


@transaction.atomic
def moderator_replace(*, viewer, submission, moderator, reason="", now=None):
    """The programme lead chooses who moderates a sampled submission: one of the programme's
    moderators who marked none of it. Once a moderator has decided, replacing them needs a
    reason and clears their decision, so the new moderator decides afresh."""
    submission = locked_submission(submission)
    check("programmes.lead_submission", viewer, submission)
    if submission.status == Submission.Status.RELEASED:
        refuse("moderator", _("The marks are released, so the moderation can no longer change."))
    if not submission.in_sample:
        refuse("moderator", _("This submission is not in the moderation sample."))
    moderates = ProgrammeStaff.objects.filter(
        programme_id=submission.assignment.module.programme_id,
        person_id=moderator.pk,
        role=ProgrammeStaff.Role.MODERATOR,
    ).exists()
    if not moderates:
        refuse("moderator", _("Choose one of the programme's moderators."))
    if moderator.pk in (
        submission.first_marker_id,
        submission.second_marker_id,
        submission.third_marker_id,
        submission.enrolment.teacher_id,
    ):
        refuse("moderator", _("A marker cannot moderate their own marking."))
    if moderator.pk == submission.moderator_id:
        refuse("moderator", _("They moderate this submission already."))
    decided = submission.moderated_at is not None
    reason = (reason or "").strip()
    if decided and not reason:
        refuse(
            "reason",
            _("Say why: the moderator has decided, and their decision is cleared."),
        )
    now = now_or(now)
    previous_mark = submission.final_mark
    outgoing = submission.moderator
    submission.moderator = moderator
    if decided:
        submission.moderated_mark = None
        submission.moderation_note = ""
        submission.moderated_at = None
        submission.status = Submission.Status.IN_REVIEW
    submission.version += 1
    submission.save()
    mark_event_add(
        submission=submission,
        actor=viewer,
        kind=MarkEvent.Kind.MODERATOR_REPLACED,
        at=now,
        mark=submission.final_mark if decided else None,
        previous_mark=previous_mark if decided else None,
        reason=reason,
        person=moderator,
        detail={"replaced": outgoing.pk if outgoing else None, "decision_cleared": decided},
    )
    audit_record(
        actor=viewer.user,
        verb="submission.moderator_replaced",
        target=submission,
        subject=submission.enrolment.teacher,
        summary=f"moderator now {moderator.pk}"
        + (f", decision cleared: {reason}" if decided else ""),
    )
    return submission


@transaction.atomic
def marks_release(*, viewer, assignment, now=None):
    """Release every submission of the assignment that is ready: the teachers see their marks
    and feedback from now on."""
    programme = assignment.module.programme
    check("programmes.lead", viewer, programme)
    now = now_or(now)
    ready = list(
        Submission.objects.select_for_update().filter(
            assignment=assignment, status=Submission.Status.READY
        )
    )
    if not ready:
        refuse("assignment", _("No marks are ready for release."))
    for submission in ready:
        submission.status = Submission.Status.RELEASED
        submission.released_at = now
        submission.version += 1
    Submission.objects.bulk_update(ready, ["status", "released_at", "version"])
    mark_events_add(
        ready, actor=viewer, kind=MarkEvent.Kind.RELEASED, at=now, mark_of=lambda s: s.final_mark
    )
    audit_record(
        actor=viewer.user,
        verb="assignment.marks_released",
        target=assignment,
        summary=f"{len(ready)} marks released",
    )
    return ready
