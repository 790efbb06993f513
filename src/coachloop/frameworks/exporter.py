"""A framework version as a ``coachloop-framework/1`` document (docs/framework-format.md), the
format the loader reads, so that exporting a version and loading the file gives an identical
version: export → import is a round trip.

The trust's own steps only: a school's added steps belong to that school's adaptation, not to
the framework (loading a new version carries them over by itself). Three queries, whatever the
framework's size.
"""

from django.db.models import Prefetch

from coachloop.frameworks.loader import FORMAT
from coachloop.frameworks.models import ReferenceStatement, Step, Strand


def _statements():
    return ReferenceStatement.objects.select_related("framework").order_by(
        "framework__slug", "position", "code"
    )


def _maps_to(step) -> dict:
    maps_to = {}
    for statement in step.reference_statements.all():
        maps_to.setdefault(statement.framework.slug, []).append(statement.code)
    return maps_to


def _optional(**fields) -> dict:
    """The optional fields that have a value (the loader reads a missing one as empty)."""
    return {name: value for name, value in fields.items() if value}


def _step(step) -> dict:
    document = {
        "code": step.code,
        "title": step.title,
        "looks_like": step.looks_like,
        "why_it_works": step.why_it_works,
        "how_to_rehearse": step.how_to_rehearse,
    }
    maps_to = _maps_to(step)
    if maps_to:
        document["maps_to"] = maps_to
    return document


def framework_document(version) -> dict:
    """``version`` (a ``FrameworkVersion``, its framework loaded) as a framework document."""
    framework = version.framework
    steps = (
        Step.objects.filter(trust_id=version.trust_id, school__isnull=True)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("reference_statements", queryset=_statements()))
    )
    strands = (
        Strand.objects.filter(trust_id=version.trust_id, version=version)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("steps", queryset=steps))
    )
    return {
        "format": FORMAT,
        "slug": framework.slug,
        "name": framework.name,
        **_optional(version_label=version.label, description=framework.description),
        "strands": [
            {
                "code": strand.code,
                "title": strand.title,
                **_optional(summary=strand.summary),
                "steps": [_step(step) for step in strand.steps.all()],
            }
            for strand in strands
        ],
    }
