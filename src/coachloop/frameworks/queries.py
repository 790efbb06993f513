"""Every read of frameworks that a page makes, for the person asking (``viewer``).

A framework is shared by everyone in its trust, so any member may read it; the trust scope
already limits every query to the viewer's trust, and each function filters on the trust as
well, so a query never depends on the scope alone. Each function runs a fixed number of SQL
queries, whatever the number of strands, steps or statements.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404

from coachloop.frameworks.models import (
    Framework,
    FrameworkVersion,
    ReferenceFramework,
    ReferenceStatement,
    Step,
    StepAdaptation,
    Strand,
)


def current_steps(viewer) -> QuerySet:
    """The trust's own steps (no school's additions) of the current version of each of its
    frameworks, strand loaded."""
    return (
        Step.objects.filter(
            trust=viewer.trust, strand__version__is_current=True, school__isnull=True
        )
        .select_related("strand")
        .order_by("strand__version__framework__name", "strand__position", "position", "pk")
    )


def _statements():
    return ReferenceStatement.objects.select_related("framework").order_by(
        "framework__slug", "position"
    )


def step_for(viewer, pk) -> Step:
    """A step of the viewer's trust (of any version, so old action steps still link), with its
    strand, version, framework and mapped reference statements; otherwise 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    step = (
        Step.objects.filter(trust=viewer.trust, pk=pk)
        .select_related("strand__version__framework")
        .prefetch_related(Prefetch("reference_statements", queryset=_statements()))
        .first()
    )
    if step is None or step.trust_id != viewer.trust.pk:
        raise Http404
    return step


def library(viewer) -> list[FrameworkVersion]:
    """The current version of each of the trust's frameworks, with strands and steps loaded
    (three queries, whatever the number of steps)."""
    steps = Step.objects.filter(trust=viewer.trust, school__isnull=True).order_by("position", "pk")
    strands = (
        Strand.objects.filter(trust=viewer.trust)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("steps", queryset=steps))
    )
    return list(
        FrameworkVersion.objects.filter(trust=viewer.trust, is_current=True)
        .select_related("framework")
        .prefetch_related(Prefetch("strands", queryset=strands))
        .order_by("framework__name", "pk")
    )


def versions(viewer) -> QuerySet:
    """Every version of the trust's frameworks, current or not: by framework, newest first
    (one query, framework loaded)."""
    return (
        FrameworkVersion.objects.filter(trust=viewer.trust)
        .select_related("framework")
        .order_by("framework__name", "framework_id", "-number")
    )


def version_for(viewer, pk) -> FrameworkVersion:
    """A version (current or not) of one of the viewer's trust's frameworks, with its
    framework; otherwise 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    version = (
        FrameworkVersion.objects.filter(trust=viewer.trust, pk=pk)
        .select_related("framework")
        .first()
    )
    if version is None or version.trust_id != viewer.trust.pk:
        raise Http404
    return version


@dataclass
class SectionCoverage:
    """One section of a reference framework: which statements the steps cover, of how many."""

    number: int
    title: str
    total: int
    statements: list = field(default_factory=list)

    @property
    def covered(self) -> int:
        return len(self.statements)


@dataclass
class ReferenceCoverage:
    """How a set of steps covers one reference framework, section by section."""

    framework: ReferenceFramework
    sections: list[SectionCoverage]

    @property
    def covered(self) -> int:
        return sum(section.covered for section in self.sections)

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)


def reference_coverage(steps: Iterable | QuerySet) -> list[ReferenceCoverage]:
    """For some steps (say, the steps set for one teacher), the reference statements they map
    to, grouped by reference framework and section, with every section's total, so a mentor
    sees "n of m statements covered". Sections with nothing covered are listed too.

    ``steps`` may be a queryset of steps (used as a subquery), or steps or their ids. Two
    queries, or none when there are no steps.
    """
    if isinstance(steps, QuerySet):
        step_filter = steps.values("pk")
    else:
        step_filter = sorted({getattr(step, "pk", step) for step in steps})
        if not step_filter:
            return []
    statements = list(_statements().filter(mappings__step__in=step_filter).distinct())
    if not statements:
        return []
    frameworks = {s.framework_id: s.framework for s in statements}
    totals = (
        ReferenceStatement.objects.filter(framework_id__in=frameworks)
        .values("framework_id", "section_number")
        .annotate(total=Count("pk"), title=Min("section_title"))
        .order_by("framework_id", "section_number")
    )
    sections: dict[int, dict[int, SectionCoverage]] = {pk: {} for pk in frameworks}
    for row in totals:
        sections[row["framework_id"]][row["section_number"]] = SectionCoverage(
            number=row["section_number"], title=row["title"], total=row["total"]
        )
    for statement in statements:
        sections[statement.framework_id][statement.section_number].statements.append(statement)
    return [
        ReferenceCoverage(
            framework=framework,
            sections=[sections[pk][n] for n in sorted(sections[pk])],
        )
        for pk, framework in sorted(frameworks.items(), key=lambda item: item[1].slug)
    ]


def school_steps(viewer, *, school, framework_id=None, adapted=False) -> list[Step]:
    """The current steps a school's coaches choose from (two queries).

    Of one framework, or of all the trust's when ``framework_id`` is None. With ``adapted``,
    the school's adaptation applies: its hidden steps are left out, the steps it renamed carry
    its name as ``title`` (``trust_title`` keeps the trust's), and the steps it added are in.
    Steps are loaded for display only; nothing saves them.
    """
    steps = Step.objects.filter(trust=viewer.trust, strand__version__is_current=True)
    if framework_id is not None:
        steps = steps.filter(strand__version__framework_id=framework_id)
    steps = (
        steps.filter(Q(school__isnull=True) | Q(school=school))
        if adapted
        else steps.filter(school__isnull=True)
    )
    steps = list(
        steps.select_related("strand__version__framework").order_by(
            "strand__version__framework__name", "strand__position", "position", "pk"
        )
    )
    for step in steps:
        step.trust_title = step.title
        step.hidden = False
    if not adapted:
        return steps
    changes = {
        (a.framework_id, a.strand_code, a.step_code): a
        for a in StepAdaptation.objects.filter(trust=viewer.trust, school=school)
    }
    for step in steps:
        change = changes.get((step.strand.version.framework_id, step.strand.code, step.code))
        if change:
            step.hidden = change.hidden
            step.title = change.title or step.title
    return steps


def trust_framework_choices(viewer) -> QuerySet:
    """The trust's frameworks, for choosing one."""
    return Framework.objects.filter(trust=viewer.trust).order_by("name")


def current_strands(viewer, *, framework_id=None) -> QuerySet:
    """Strands of the current version (of one framework, or all the trust's), with their
    framework loaded; a queryset, so a form can offer them as choices (one query)."""
    strands = Strand.objects.filter(trust=viewer.trust, version__is_current=True).select_related(
        "version__framework"
    )
    if framework_id is not None:
        strands = strands.filter(version__framework_id=framework_id)
    return strands.order_by("version__framework__name", "position", "pk")
