"""Every read of the import pages, given the administrator asking: their trust's imports and
schools only."""

from django.shortcuts import get_object_or_404

from coachloop.people.models import School
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
