"""Deleting the demo trust, so ``load_demo --replace`` can build it again."""

from django.apps import apps
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from coachloop.common.tenancy import scopes_disabled
from coachloop.demo.accounts import DEMO_TRUST_SLUG
from coachloop.demo.errors import DemoError
from coachloop.people.models import Membership, Trust, User


def delete_demo(*, slug: str = DEMO_TRUST_SLUG) -> bool:
    """Delete a demo trust, all its rows and the people who belonged to it alone.

    Tenant-owned models protect each other (``on_delete=PROTECT``), so rows are deleted model by
    model, those that point at others first. Returns whether there was anything to delete.
    """
    trust = Trust.objects.filter(slug=slug).first()
    if trust is None:
        return False
    with transaction.atomic(), scopes_disabled():
        member_ids = list(
            Membership._base_manager.filter(trust_id=trust.pk)
            .values_list("user_id", flat=True)
            .distinct()
        )
        _delete_tenant_rows(trust)
        trust.delete()
        leavers = User.objects.filter(pk__in=member_ids, memberships__isnull=True)
        try:
            with transaction.atomic():
                leavers.delete()
        except (ProtectedError, RestrictedError):
            # Someone is still referred to by another trust's records: keep just them.
            for user in leavers:
                try:
                    with transaction.atomic():
                        user.delete()
                except (ProtectedError, RestrictedError):
                    continue
    return True


def _tenant_models_in_deletion_order():
    """Every model with a foreign key to Trust, each before the models it points at."""
    owned = {}
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is Trust
        ]
        if fields and model is not Trust:
            owned[model] = fields
    points_at = {
        model: {
            f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in owned and f.related_model is not model
        }
        for model in owned
    }
    order, remaining = [], set(owned)
    while remaining:
        ready = [m for m in remaining if not any(m in points_at[o] for o in remaining if o != m)]
        ready = sorted(ready or remaining, key=lambda m: m._meta.label)
        order.extend(ready)
        remaining.difference_update(ready)
    return [(model, owned[model]) for model in order]


def _delete_tenant_rows(trust):
    pending = _tenant_models_in_deletion_order()
    # Rows that point at rows of their own table (a handover, a co-coaching pair, a step
    # carried on) would protect each other: unlink them first.
    for model, fields in pending:
        links = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is model and f.null
        ]
        if links:
            model._base_manager.filter(**{fields[0]: trust.pk}).update(**dict.fromkeys(links, None))
    for _attempt in range(len(pending) + 1):
        blocked = []
        for model, fields in pending:
            for name in fields:
                try:
                    with transaction.atomic():
                        model._base_manager.filter(**{name: trust.pk}).delete()
                except (ProtectedError, RestrictedError):
                    blocked.append((model, fields))
                    break
        if not blocked:
            return
        pending = blocked
    raise DemoError(
        "Could not delete the demo trust: "
        + ", ".join(model._meta.label for model, _ in pending)
        + " still refer to it."
    )
