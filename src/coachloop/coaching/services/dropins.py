"""Drop-ins: kept as a draft while the coach types, recorded once, edited without losing
anyone's words."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.coaching.models import ActionStep, DropIn
from coachloop.coaching.services.errors import EditConflict, locked_for
from coachloop.common.audit import audit_record
from coachloop.common.tenancy import scopes_disabled

TEXT_FIELDS = ("class_or_group", "strengths", "noticed", "evidence", "followup")
DROPIN_FIELDS = ("visited_on", "minutes", *TEXT_FIELDS)


def _check_visit_date(visited_on, relationship):
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The date of the visit cannot be in the future.")})
    if visited_on < relationship.started_on:
        raise ValidationError(
            {"visited_on": _("The date of the visit is before this coaching began.")}
        )


def _by_uuid(uuid):
    """The drop-in with this id in any trust: ids are unique across all of them, so a clash
    must be found wherever it is, and never shown to the caller."""
    with scopes_disabled():
        return DropIn._default_manager.filter(uuid=uuid).first()


def _unused_uuid():
    return DropIn._meta.get_field("uuid").default()


def _step_to_follow_up(relationship, visited_on):
    """The step the visit could look for: the current one, if it was set by then."""
    step = (
        ActionStep.objects.select_for_update()
        .filter(relationship=relationship, closed_on__isnull=True)
        .first()
    )
    return step if step is not None and step.set_on <= visited_on else None


@dataclass(frozen=True)
class DraftOutcome:
    """What became of an autosave: the draft kept, or nothing because that drop-in is
    already recorded; and the id the page should carry on under."""

    uuid: object
    draft: DropIn | None


@transaction.atomic
def dropin_draft_save(*, viewer, relationship, uuid, fields):
    """Keep what the coach has typed so far. Lenient: a draft may be half-finished.

    An autosave never touches a recorded drop-in. One that arrives for a drop-in this coaching
    has already recorded (it was on its way when the coach pressed save) saves nothing. An id
    belonging to anyone else is never written to: the text is kept under a new id instead.
    """
    relationship = locked_for("coaching.write_content", viewer, relationship)
    values = {key: fields[key] for key in DROPIN_FIELDS if key in fields}
    existing = _by_uuid(uuid)
    if existing is not None and existing.relationship_id == relationship.pk:
        still_a_draft = DropIn.objects.filter(pk=existing.pk, is_draft=True).update(
            updated_at=timezone.now(), **values
        )
        if still_a_draft:
            existing.refresh_from_db()
            return DraftOutcome(uuid=existing.uuid, draft=existing)
        return DraftOutcome(uuid=_unused_uuid(), draft=None)
    draft = DropIn(
        uuid=uuid if existing is None else _unused_uuid(),
        trust_id=relationship.trust_id,
        relationship=relationship,
        is_draft=True,
        visited_on=timezone.localdate(),
        class_or_group="",
        minutes=0,
        strengths="",
    )
    for key, value in values.items():
        setattr(draft, key, value)
    draft.save()
    # Each draft's start is audited; the autosaves that follow within it are not, or the
    # trail would hold a line for every pause in the coach's typing.
    audit_record(
        actor=viewer.user, verb="dropin.draft_started", target=draft, subject=relationship.teacher
    )
    return DraftOutcome(uuid=draft.uuid, draft=draft)


@transaction.atomic
def dropin_draft_discard(*, viewer, relationship):
    """Throw away the coach's unfinished drop-in for this teacher (a visit started by mistake).

    Drafts are the coach's working copies, not yet part of the teacher's record, so they go.
    """
    relationship = locked_for("coaching.write_content", viewer, relationship)
    drafts = list(DropIn.objects.filter(relationship=relationship, is_draft=True))
    for draft in drafts:
        audit_record(
            actor=viewer.user,
            verb="dropin.draft_discarded",
            target=draft,
            subject=relationship.teacher,
        )
    DropIn.objects.filter(pk__in=[draft.pk for draft in drafts]).delete()
    return len(drafts)


def _is_retry_of(dropin, values):
    """The same drop-in posted again (a retry after a dropped connection), not a new one."""
    return all(getattr(dropin, key) == value for key, value in values.items())


@transaction.atomic
def dropin_record(
    *,
    viewer,
    relationship,
    uuid,
    visited_on,
    class_or_group,
    minutes,
    strengths,
    noticed="",
    evidence="",
    followup="",
):
    """Record a drop-in. Posting the same drop-in twice (an offline retry) records it once;
    a different drop-in that arrives with a used id (an old copy on another device) is
    recorded as a new one."""
    relationship = locked_for("coaching.write_content", viewer, relationship)
    _check_visit_date(visited_on, relationship)
    values = {
        "visited_on": visited_on,
        "class_or_group": class_or_group,
        "minutes": minutes,
        "strengths": strengths,
        "noticed": noticed,
        "evidence": evidence,
    }
    existing = _by_uuid(uuid)
    mine = existing is not None and existing.relationship_id == relationship.pk
    if mine and not existing.is_draft and _is_retry_of(existing, values):
        return existing
    dropin = existing if mine and existing.is_draft else None
    if dropin is None:
        dropin = DropIn(
            uuid=uuid if existing is None else _unused_uuid(),
            trust_id=relationship.trust_id,
            relationship=relationship,
        )
    step = _step_to_follow_up(relationship, visited_on)
    for key, value in values.items():
        setattr(dropin, key, value)
    dropin.followup_step = step
    dropin.followup = followup if step else ""
    dropin.is_draft = False
    try:
        with transaction.atomic():
            dropin.save()
    except IntegrityError:
        # Another request took this id between our look and our write: keep both.
        dropin.pk, dropin.uuid = None, _unused_uuid()
        dropin._state.adding = True
        dropin.save()
    if step and followup == DropIn.FollowUp.HABIT and step.status != ActionStep.Status.EMBEDDED:
        step.status = ActionStep.Status.EMBEDDED
        step.save(update_fields=["status"])
    audit_record(
        actor=viewer.user, verb="dropin.recorded", target=dropin, subject=relationship.teacher
    )
    return dropin


@transaction.atomic
def dropin_update(*, viewer, dropin, expected_version, **fields):
    """Change a recorded drop-in, unless someone saved it since ``expected_version``."""
    locked_for("coaching.write_content", viewer, dropin.relationship)
    if "visited_on" in fields:
        _check_visit_date(fields["visited_on"], dropin.relationship)
        step = dropin.followup_step
        if step is not None and step.closed_on and fields["visited_on"] > step.closed_on:
            raise ValidationError(
                {
                    "visited_on": _(
                        "This drop-in looked for a step that ended on %(date)s; the visit "
                        "cannot be dated after it."
                    )
                    % {"date": date_format(step.closed_on, "j F Y")}
                }
            )
        if step is not None and fields["visited_on"] < step.set_on:
            raise ValidationError(
                {
                    "visited_on": _(
                        "This drop-in looked for a step set on %(date)s; the visit cannot be "
                        "dated before it."
                    )
                    % {"date": date_format(step.set_on, "j F Y")}
                }
            )
    values = {key: fields[key] for key in DROPIN_FIELDS if key in fields}
    if dropin.followup_step_id is None:
        values.pop("followup", None)
    changed = DropIn.objects.filter(pk=dropin.pk, version=expected_version, is_draft=False).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if not changed:
        raise EditConflict(DropIn.objects.select_related("followup_step").get(pk=dropin.pk))
    dropin.refresh_from_db()
    step = dropin.followup_step
    if (
        step is not None
        and step.closed_on is None
        and dropin.followup == DropIn.FollowUp.HABIT
        and step.status != ActionStep.Status.EMBEDDED
    ):
        step.status = ActionStep.Status.EMBEDDED
        step.save(update_fields=["status"])
    audit_record(
        actor=viewer.user, verb="dropin.edited", target=dropin, subject=dropin.relationship.teacher
    )
    return dropin
