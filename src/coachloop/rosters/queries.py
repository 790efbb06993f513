"""Every read of the import pages, given the administrator asking: their trust's imports and
schools only."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from coachloop.people.models import Membership, School
from coachloop.rosters.models import RosterImport

RECENT = 50


def recent_imports(viewer):
    imports = RosterImport.objects.filter(trust=viewer.trust).select_related(
        "uploaded_by", "applied_by"
    )
    return list(imports.defer("records", "plan", "problems")[:RECENT])


def import_for(viewer, pk, *, full=True):
    """One of the trust's imports, or 404."""
    imports = RosterImport.objects.filter(trust=viewer.trust).select_related(
        "uploaded_by", "applied_by"
    )
    if not full:
        imports = imports.defer("records", "plan", "problems")
    return get_object_or_404(imports, pk=pk)


def open_schools(viewer):
    return School.objects.filter(trust=viewer.trust, closed_on__isnull=True).order_by("name")


def school_for(viewer, pk):
    return open_schools(viewer).filter(pk=pk).first()


@dataclass(frozen=True)
class TrustRoster:
    """What an administrator reads first: the trust's open schools, the people with a role in
    them now, and the latest import (and whether it needs them)."""

    schools: int
    people: int
    latest_import: RosterImport | None


def trust_roster(viewer):
    latest = (
        RosterImport.objects.filter(trust=viewer.trust)
        .defer("records", "plan", "problems")
        .order_by("-created_at", "-pk")
        .first()
    )
    people = (
        Membership.objects.filter(trust=viewer.trust).current().values("user").distinct().count()
    )
    return TrustRoster(schools=open_schools(viewer).count(), people=people, latest_import=latest)
