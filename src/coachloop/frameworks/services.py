"""Every write to frameworks: loading a framework version, importing a reference framework.

Each service is one transaction. Loading is all-or-nothing: a document with any problem raises
``FrameworkFormatError`` listing every problem, and nothing is written.
"""

from dataclasses import asdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_scopes import get_scope

from coachloop.common.audit import audit_record
from coachloop.common.tenancy import ScopeError
from coachloop.frameworks.loader import (
    FrameworkFormatError,
    ParsedFramework,
    ReferenceUses,
    parse_framework,
    starter_framework_data,
)
from coachloop.frameworks.models import (
    Framework,
    FrameworkVersion,
    ReferenceFramework,
    ReferenceStatement,
    Step,
    StepAdaptation,
    StepMapping,
    Strand,
)
from coachloop.frameworks.reference import ParsedReference, read_ecf
from coachloop.people.models import Role, School
from coachloop.people.queries import holds_role

__all__ = [
    "FrameworkFormatError",
    "framework_load",
    "reference_framework_import",
    "reference_framework_import_ecf",
    "school_step_add",
    "starter_framework_load",
    "step_adaptation_save",
    "step_adaptations_save",
]

LOADED = "framework.loaded"
ADAPTED = "framework.step_adapted"
ADDED = "framework.school_step_added"
BATCH_SIZE = 500


def _require_trust_scope(trust):
    """Loading writes one trust's rows: refuse loudly unless that trust's scope is open."""
    if trust is None or trust.pk is None:
        raise ScopeError("framework_load needs a saved trust.")
    scope = get_scope()
    if not scope.get("_enabled") or scope.get("trust") != trust.pk:
        raise ScopeError(
            f"framework_load must run inside trust_scope(trust) for trust {trust.slug!r} "
            "(and not inside scopes_disabled())."
        )


class _ReferenceLookup:
    """Checks ``maps_to`` codes against the loaded reference frameworks, remembering ids."""

    def __init__(self):
        self.ids: dict[tuple[str, str], int] = {}

    def __call__(self, uses: ReferenceUses) -> list[str]:
        slugs = sorted(uses)
        loaded = set(
            ReferenceFramework.objects.filter(slug__in=slugs).values_list("slug", flat=True)
        )
        self.ids = {
            (slug, code): pk
            for slug, code, pk in ReferenceStatement.objects.filter(
                framework__slug__in=slugs
            ).values_list("framework__slug", "code", "pk")
        }
        problems = []
        for slug in slugs:
            if slug not in loaded:
                first, _ = uses[slug][0]
                hint = " (run manage.py import_reference_ecf)" if slug == "ecf-2019" else ""
                problems.append(
                    f"{first}: reference framework '{slug}' is not loaded, "
                    f"used {len(uses[slug])} time(s) in this file{hint}"
                )
                continue
            for where, code in uses[slug]:
                if (slug, code) not in self.ids:
                    problems.append(f"{where}: '{code}' is not a statement of '{slug}'")
        return problems


def _saved(objs, model, **lookup):
    """Rows from ``bulk_create`` with their primary keys (fetched again if the backend
    cannot return them), keyed by code."""
    if all(obj.pk is not None for obj in objs):
        return {obj.code: obj for obj in objs}
    return {obj.code: obj for obj in model.objects.filter(**lookup)}


def _next_version(*, trust, parsed: ParsedFramework) -> FrameworkVersion:
    framework = Framework.objects.select_for_update().filter(trust=trust, slug=parsed.slug).first()
    if framework is None:
        framework = Framework.objects.create(
            trust=trust, slug=parsed.slug, name=parsed.name, description=parsed.description
        )
        number = 1
    else:
        if (framework.name, framework.description) != (parsed.name, parsed.description):
            framework.name, framework.description = parsed.name, parsed.description
            framework.save(update_fields=["name", "description"])
        number = (framework.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        # One current version per framework (a database constraint): retire the old first.
        framework.versions.filter(is_current=True).update(is_current=False)
    return FrameworkVersion.objects.create(
        trust=trust,
        framework=framework,
        number=number,
        label=parsed.version_label,
        is_current=True,
    )


@transaction.atomic
def framework_load(*, trust, data: dict, actor=None) -> FrameworkVersion:
    """Load a framework document as a new current version of the trust's framework.

    A new slug makes a framework with version 1; a known slug adds the next version and
    retires the previous one (its strands and steps stay, so history keeps pointing at them).
    Must run inside ``trust_scope(trust)``. Raises ``FrameworkFormatError`` with every problem,
    including ``maps_to`` codes that are not in a loaded reference framework, and then writes
    nothing.
    """
    _require_trust_scope(trust)
    lookup = _ReferenceLookup()
    parsed = parse_framework(data, reference_check=lookup)
    version = _next_version(trust=trust, parsed=parsed)

    strands = Strand.objects.bulk_create(
        [
            Strand(
                trust=trust,
                version=version,
                code=strand.code,
                title=strand.title,
                summary=strand.summary,
                position=position,
            )
            for position, strand in enumerate(parsed.strands, start=1)
        ],
        batch_size=BATCH_SIZE,
    )
    strand_by_code = _saved(strands, Strand, version=version)
    steps = Step.objects.bulk_create(
        [
            Step(
                trust=trust,
                strand=strand_by_code[strand.code],
                code=step.code,
                title=step.title,
                looks_like=step.looks_like,
                why_it_works=step.why_it_works,
                how_to_rehearse=step.how_to_rehearse,
                position=position,
            )
            for strand in parsed.strands
            for position, step in enumerate(strand.steps, start=1)
        ],
        batch_size=BATCH_SIZE,
    )
    step_by_code = _saved(steps, Step, strand__version=version, school__isnull=True)
    _carry_school_steps(trust=trust, version=version, strand_by_code=strand_by_code)
    StepMapping.objects.bulk_create(
        [
            StepMapping(
                trust=trust, step=step_by_code[step.code], statement_id=lookup.ids[slug, code]
            )
            for step in parsed.steps
            for slug, codes in step.maps_to.items()
            for code in codes
        ],
        batch_size=BATCH_SIZE,
    )
    framework = version.framework
    audit_record(
        actor=actor,
        verb=LOADED,
        target=version,
        summary=(
            f"{framework.slug} version {version.number}: {len(strands)} strands, {len(steps)} steps"
        ),
    )
    return version


def _require_lead(actor, school):
    if not holds_role(actor, school=school, role=Role.COACHING_LEAD):
        raise PermissionDenied


def _carry_school_steps(*, trust, version, strand_by_code):
    """Steps schools added to the previous version join the new one, under the strand with the
    same code (or the last strand, if that one has gone), so an adaptation survives updates."""
    previous = (
        FrameworkVersion.objects.filter(framework=version.framework, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    if previous is None or not strand_by_code:
        return
    last_strand = max(strand_by_code.values(), key=lambda strand: strand.position)
    Step.objects.bulk_create(
        [
            Step(
                trust=trust,
                strand=strand_by_code.get(step.strand.code, last_strand),
                code=step.code,
                title=step.title,
                looks_like=step.looks_like,
                why_it_works=step.why_it_works,
                how_to_rehearse=step.how_to_rehearse,
                position=step.position,
                school_id=step.school_id,
            )
            for step in Step.objects.filter(
                strand__version=previous, school__isnull=False
            ).select_related("strand")
        ],
        batch_size=BATCH_SIZE,
    )


@transaction.atomic
def step_adaptations_save(*, school, changes, actor):
    """Save several steps' adaptations at once: ``changes`` is a list of (step, hidden, title)
    for steps of the trust's framework. All are saved, or none. Only the school's coaching
    lead may."""
    _require_lead(actor, school)
    for step, hidden, title in changes:
        if step.school_id is not None or step.trust_id != school.trust_id:
            raise ValidationError(_("Only the trust's own steps can be hidden or renamed."))
        step_adaptation_save(
            school=school,
            framework=step.strand.version.framework,
            strand_code=step.strand.code,
            step_code=step.code,
            hidden=hidden,
            title=title,
            actor=actor,
        )


@transaction.atomic
def step_adaptation_save(*, school, framework, strand_code, step_code, hidden, title, actor):
    """Hide or rename one of the trust's steps for a school (blank title: the trust's name)."""
    title = (title or "").strip()
    adaptation, _created = StepAdaptation.objects.select_for_update().get_or_create(
        trust=school.trust,
        school=school,
        framework=framework,
        strand_code=strand_code,
        step_code=step_code,
    )
    if (adaptation.hidden, adaptation.title) == (hidden, title) and not _created:
        return adaptation
    adaptation.hidden, adaptation.title = hidden, title
    adaptation.save(update_fields=["hidden", "title"])
    audit_record(
        actor=actor,
        verb=ADAPTED,
        target=adaptation,
        summary=f"{school.slug}: {strand_code}/{step_code} hidden={hidden} title={title!r}",
    )
    return adaptation


@transaction.atomic
def school_step_add(*, school, strand, title, looks_like, why_it_works, how_to_rehearse, actor):
    """A step of the school's own, added to a strand of the trust's current version."""
    _require_lead(actor, school)
    School.objects.select_for_update().get(pk=school.pk)  # one new code at a time per school
    if strand.trust_id != school.trust_id or not strand.version.is_current:
        raise ValidationError({"strand": _("Choose a strand of the current framework.")})
    count = Step.objects.filter(school=school).count()
    code = f"S{school.pk}-{count + 1}"
    while Step.objects.filter(strand=strand, code=code).exists():
        count += 1
        code = f"S{school.pk}-{count + 1}"
    step = Step.objects.create(
        trust=school.trust,
        strand=strand,
        school=school,
        code=code,
        title=title.strip(),
        looks_like=looks_like.strip(),
        why_it_works=why_it_works.strip(),
        how_to_rehearse=how_to_rehearse.strip(),
        position=10_000 + count,
    )
    audit_record(actor=actor, verb=ADDED, target=step, summary=f"{school.slug}: {step.title}")
    return step


def starter_framework_load(*, trust, actor=None) -> FrameworkVersion:
    """Load Coachloop's starter framework (frameworks/data/starter-framework.json)."""
    return framework_load(trust=trust, data=starter_framework_data(), actor=actor)


@transaction.atomic
def reference_framework_import(*, parsed: ParsedReference) -> ReferenceFramework:
    """Create or update a reference framework and its statements, matched by code.

    Running it again updates texts in place and never duplicates. A statement that has gone
    from the file is kept, because trusts' steps may map to it.
    """
    framework, _ = ReferenceFramework.objects.update_or_create(
        slug=parsed.slug,
        defaults={
            "name": parsed.name,
            "publisher": parsed.publisher,
            "attribution": parsed.attribution,
        },
    )
    existing = {s.code: s for s in framework.statements.all()}
    fields = ["section_number", "section_title", "heading", "kind", "text", "position"]
    to_create, to_update = [], []
    for row in parsed.statements:
        values = asdict(row)
        statement = existing.get(row.code)
        if statement is None:
            to_create.append(ReferenceStatement(framework=framework, **values))
        elif any(getattr(statement, name) != values[name] for name in fields):
            for name in fields:
                setattr(statement, name, values[name])
            to_update.append(statement)
    ReferenceStatement.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    ReferenceStatement.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    return framework


def reference_framework_import_ecf(*, path) -> ReferenceFramework:
    """Import England's Early Career Framework (2019) from the shared data file at ``path``.

    Raises ``ReferenceFormatError`` if the file is missing or not in the expected shape.
    """
    return reference_framework_import(parsed=read_ecf(path))
