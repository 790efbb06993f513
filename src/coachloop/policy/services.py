"""Writes to a school's coaching model and the trust's coaching policy."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.people.models import Membership, Role
from coachloop.people.queries import holds_role
from coachloop.policy.grid import SETTING_GROUPS
from coachloop.policy.models import FrameworkPolicy, SchoolModel, TrustPolicy

MODEL_UPDATED = "rollout.school_model_updated"
POLICY_UPDATED = "rollout.trust_policy_updated"
STALE = _(
    "Someone else changed these settings while you were editing them. "
    "Check them again below, then save."
)


def _check_version(row, version):
    if version is not None and row.version != version:
        raise ValidationError(STALE)


def _apply(row, values):
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def school_model_update(*, school, actor, values: dict, version=None) -> SchoolModel:
    """Save a school's choices. Settings the trust has standardised cannot be changed here;
    ``version`` is the one the editor opened, so two leads never overwrite each other."""
    if not holds_role(actor, school=school, role=Role.COACHING_LEAD):
        raise PermissionDenied
    policy = TrustPolicy.objects.filter(trust=school.trust).first()
    row, _created = SchoolModel.objects.select_for_update().get_or_create(
        trust=school.trust, school=school
    )
    _check_version(row, None if _created else version)
    standardised = {
        name: group.label
        for group in SETTING_GROUPS
        if policy and getattr(policy, group.level_field) == "standardised"
        for name in group.fields
    }
    refused = {
        name: _("The trust has standardised “%(setting)s”, so the school cannot change it.")
        % {"setting": standardised[name]}
        for name, value in values.items()
        if name in standardised and value != getattr(policy, name)
    }
    if refused:
        raise ValidationError(refused)
    if values.get("caseload_limit") is not None and values["caseload_limit"] < 1:
        raise ValidationError({"caseload_limit": _("A coach needs room for at least 1 teacher.")})
    modes = ("meets_in_person", "meets_by_phone", "meets_by_video")
    if any(name in values for name in modes) and not any(
        values.get(name, getattr(row, name)) for name in modes
    ):
        raise ValidationError({"meeting_modes": _("Choose at least one way coaching meets.")})
    policy_choice = values.get("framework_policy", row.framework_policy)
    if policy_choice == FrameworkPolicy.OWN:
        framework = values.get("own_framework", row.own_framework)
        if framework is None:
            raise ValidationError(
                {"own_framework": _("Choose the school's own framework, or another policy.")}
            )
        if framework.trust_id != school.trust_id:
            raise ValidationError({"own_framework": _("Choose one of the trust's frameworks.")})
    else:
        values = {**values, "own_framework": None}
    changed = _apply(row, {k: v for k, v in values.items() if k not in standardised})
    if changed or _created:
        row.version += 0 if _created else 1
        row.save()
        audit_record(
            actor=actor,
            verb=MODEL_UPDATED,
            target=row,
            summary=f"{school.slug}: {', '.join(sorted(changed)) or 'created'}",
        )
    return row


@transaction.atomic
def trust_policy_update(*, trust, actor, values: dict, version=None) -> TrustPolicy:
    """Save the trust's own choices and how far each binds its schools."""
    if (
        not Membership.objects.current()
        .filter(trust=trust, user=actor, role=Role.TRUST_LEAD)
        .exists()
    ):
        raise PermissionDenied
    row, _created = TrustPolicy.objects.select_for_update().get_or_create(trust=trust)
    _check_version(row, None if _created else version)
    framework = values.get("framework")
    if framework is not None and framework.trust_id != trust.pk:
        raise ValidationError({"framework": _("Choose one of the trust's frameworks.")})
    if values.get("framework_policy") == FrameworkPolicy.OWN and (
        values.get("framework_level") == "standardised"
    ):
        raise ValidationError(
            {
                "framework_policy": _(
                    "A standardised framework policy cannot be “the school's own”: "
                    "choose the trust's framework, as it is or adapted."
                )
            }
        )
    changed = _apply(row, values)
    if changed or _created:
        row.version += 0 if _created else 1
        row.save()
        audit_record(
            actor=actor,
            verb=POLICY_UPDATED,
            target=row,
            summary=", ".join(sorted(changed)) or "created",
        )
    return row
