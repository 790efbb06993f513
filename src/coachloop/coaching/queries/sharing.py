"""Reads for sharing: the item a teacher is about to share, who they may share it with, what
they have shared, what has been shared with the viewer, and one item read under a share.

A read under a share is the only way a grantee reaches the item, and every one is written to
the audit trail with the teacher as its subject, so it shows on their "who has read my
records" page. A revoked or ended share is a 404 from the moment it ends.
"""

from dataclasses import dataclass, field

import rules
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from coachloop.coaching.models import DropIn, EvidenceItem, Goal, Reflection, ShareGrant
from coachloop.coaching.rules.sharing import owner_id_of
from coachloop.common.audit import audit_read
from coachloop.people.queries import people_of

Item = ShareGrant.Item


def _items(kind):
    """The queryset an item of ``kind`` is read from, with what its page shows."""
    if kind == Item.REFLECTION:
        return Reflection.objects.select_related("teacher")
    if kind == Item.GOAL:
        return Goal.objects.select_related("teacher")
    if kind == Item.EVIDENCE:
        return EvidenceItem.objects.select_related("teacher")
    if kind == Item.DROPIN:
        return DropIn.objects.select_related(
            "relationship__teacher", "relationship__coach", "followup_step"
        )
    raise Http404


def item_to_share(viewer, *, kind, pk):
    """One of the viewer's own items, to share, or 404 (someone else's item never says it
    exists)."""
    item = _items(kind).filter(pk=pk).first()
    if item is None or not rules.test_rule("coaching.share_item", viewer, item):
        raise Http404
    return item


def people_to_share_with(viewer):
    """Everyone with a current role in the viewer's trust, but the viewer, by name."""
    return people_of(viewer.trust).exclude(pk=viewer.pk)


def _in_force(today):
    return Q(revoked_at__isnull=True, expires_on__gte=today)


@dataclass
class MyShares:
    active: list = field(default_factory=list)
    ended: list = field(default_factory=list)


def my_shares(viewer, *, today=None, ended_limit=50):
    """What the viewer has shared: shares in force (soonest to end first), and the latest
    that were stopped or ran out. Two queries."""
    today = today or timezone.localdate()
    mine = ShareGrant.objects.filter(owner=viewer.user).select_related("grantee")
    return MyShares(
        active=list(mine.filter(_in_force(today)).order_by("expires_on", "pk")),
        ended=list(mine.exclude(_in_force(today)).order_by("-created_at", "-pk")[:ended_limit]),
    )


def shared_with_me(viewer, *, today=None):
    """Shares in force to the viewer, newest first (one query)."""
    today = today or timezone.localdate()
    return list(
        ShareGrant.objects.filter(_in_force(today), grantee=viewer.user)
        .select_related("owner")
        .order_by("-created_at", "-pk")
    )


def grant_of_mine(viewer, pk):
    """A share the viewer gave (in force or not: stopping an ended one is refused with a
    reason), or 404."""
    grant = ShareGrant.objects.filter(pk=pk, owner=viewer.user).first()
    if grant is None:
        raise Http404
    return grant


def audit_share_read(*, reader, grant, item):
    """Write down that ``reader`` read ``item`` under ``grant``, for its teacher to see."""
    return audit_read(
        viewer=reader,
        target=item,
        subject=grant.owner,
        summary=f"read under share {grant.pk} ({grant.item_kind}), "
        f"shared until {grant.expires_on:%Y-%m-%d}",
    )


@dataclass
class SharedItem:
    grant: ShareGrant
    item: object
    progress: list = field(default_factory=list)  # a goal's progress notes


def shared_item(viewer, pk):
    """The item one share lets the viewer read, while the share is in force; otherwise 404.

    Each read is audited with the teacher as its subject and the share named in it.
    """
    grant = ShareGrant.objects.select_related("owner").filter(pk=pk).first()
    if grant is None or not rules.test_rule("coaching.read_under_share", viewer, grant):
        raise Http404
    item = _items(grant.item_kind).filter(pk=grant.item_id).first()
    if item is None or owner_id_of(item) != grant.owner_id:
        raise Http404
    if isinstance(item, DropIn) and item.is_draft:
        raise Http404
    progress = []
    if isinstance(item, Goal):
        progress = list(item.progress_notes.order_by("written_on", "pk"))
    audit_share_read(reader=viewer.user, grant=grant, item=item)
    return SharedItem(grant=grant, item=item, progress=progress)
