"""Sharing: a teacher lets one named person in their trust read one of their own items (a
reflection, a goal, a drop-in of their coaching, a piece of evidence) until a date, and can
take it back at any moment.

A grant changes nothing about who else may read the item: the grantee reads it through the
grant only (``queries.sharing.shared_item``), and each of those reads is audited for the
teacher to see.
"""

import datetime as dt

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.coaching.models import DropIn, EvidenceItem, Goal, Reflection, ShareGrant
from coachloop.common.audit import audit_record
from coachloop.common.text import text_problem
from coachloop.people.queries import people_of

LONGEST_SHARE_DAYS = 365
NOTE_LIMIT = 500

KINDS = {
    Reflection: ShareGrant.Item.REFLECTION,
    Goal: ShareGrant.Item.GOAL,
    DropIn: ShareGrant.Item.DROPIN,
    EvidenceItem: ShareGrant.Item.EVIDENCE,
}


def kind_of(item):
    return KINDS[type(item)]


def item_title(item):
    """What the share is called on both people's lists (kept with the grant)."""
    if isinstance(item, DropIn):
        return _("Drop-in of %(date)s, %(group)s") % {
            "date": date_format(item.visited_on, "j F Y"),
            "group": item.class_or_group,
        }
    return item.title[:200]


def latest_end(today=None):
    """The furthest a share may run: a year from today."""
    return (today or timezone.localdate()) + dt.timedelta(days=LONGEST_SHARE_DAYS)


def _grantee_problem(viewer, grantee):
    if grantee is None:
        return _("Choose who to share it with.")
    if grantee.pk == viewer.pk:
        return _("Choose someone other than yourself.")
    if not people_of(viewer.trust).filter(pk=grantee.pk).exists():
        return _("Choose someone who works in your trust now.")
    return None


def _expiry_problem(expires_on, today):
    if expires_on is None:
        return _("Enter the date the share ends.")
    if expires_on < today:
        return _("The end date cannot be in the past.")
    if expires_on > latest_end(today):
        return _("Share for a year at most: choose %(date)s or earlier.") % {
            "date": date_format(latest_end(today), "j F Y")
        }
    return None


@transaction.atomic
def share_grant(*, viewer, item, grantee, expires_on, note=""):
    """Let ``grantee`` read ``item`` until the end of ``expires_on``."""
    if not rules.test_rule("coaching.share_item", viewer, item):
        raise PermissionDenied
    today = timezone.localdate()
    note = (note or "").strip()
    problems = {
        "grantee": _grantee_problem(viewer, grantee),
        "expires_on": _expiry_problem(expires_on, today),
        "note": text_problem(
            note,
            limit=NOTE_LIMIT,
            missing=None,
            too_long=_("Keep the note to %(n)d characters or fewer."),
        ),
    }
    kind = kind_of(item)
    if not problems["grantee"]:
        already = (
            ShareGrant.objects.filter(
                owner=viewer.user,
                grantee=grantee,
                item_kind=kind,
                item_id=item.pk,
                revoked_at__isnull=True,
                expires_on__gte=today,
            )
            .order_by("-expires_on")
            .first()
        )
        if already is not None:
            problems["grantee"] = _(
                "You already share this with %(person)s until %(date)s. Stop that share "
                "first to change it."
            ) % {"person": grantee, "date": date_format(already.expires_on, "j F Y")}
    problems = {field: message for field, message in problems.items() if message}
    if problems:
        raise ValidationError(problems)
    grant = ShareGrant.objects.create(
        trust_id=item.trust_id,
        owner=viewer.user,
        grantee=grantee,
        item_kind=kind,
        item_id=item.pk,
        item_title=item_title(item),
        note=note,
        created_at=timezone.now(),
        expires_on=expires_on,
    )
    audit_record(
        actor=viewer.user,
        verb="share.granted",
        target=grant,
        subject=viewer.user,
        summary=f"{kind} {item.pk} shared with person {grantee.pk} until {expires_on:%Y-%m-%d}",
    )
    return grant


@transaction.atomic
def share_revoke(*, viewer, grant):
    """Stop a share at once: the next page the grantee opens under it is a 404."""
    grant = ShareGrant.objects.select_for_update().select_related("grantee").get(pk=grant.pk)
    if grant.owner_id != viewer.pk:
        raise PermissionDenied
    if not rules.test_rule("coaching.revoke_share", viewer, grant):
        raise ValidationError(_("This share has already ended."))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit_record(
        actor=viewer.user,
        verb="share.revoked",
        target=grant,
        subject=viewer.user,
        summary=f"{grant.item_kind} {grant.item_id} no longer shared with person "
        f"{grant.grantee_id}",
    )
    return grant


def shares_end_with(item):
    """``item`` is being deleted: every share of it still running ends now, so the teacher's
    list says it stopped instead of offering a share of something that is gone. Called inside
    the deleting service's transaction."""
    ShareGrant.objects.filter(
        item_kind=kind_of(item), item_id=item.pk, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
