"""Reading a framework document (format ``coachloop-framework/1``) into plain data.

``parse_framework`` checks the whole document and reports every problem with where it is
(``strands[2].steps[4].title: missing``), so a trust can fix a file in one go. Nothing here
touches the database: checks that need it (do the ``maps_to`` codes exist?) are passed in by
the service as ``reference_check``, and their problems are reported with the rest.

The format is documented in docs/framework-format.md.
"""

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from jsonschema import Draft202012Validator

from coachloop.common import safe_json
from coachloop.frameworks.models import Framework, FrameworkVersion, Step, Strand

FORMAT = "coachloop-framework/1"
STARTER_PATH = Path(__file__).resolve().parent / "data" / "starter-framework.json"
# The format as a published JSON Schema (Draft 2020-12), which the loader checks too.
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "coachloop-framework-1.schema.json"

# Where a reference code was used: (location, code), e.g. ("strands[0].steps[1].maps_to...", "1a")
ReferenceUses = dict[str, list[tuple[str, str]]]
ReferenceCheck = Callable[[ReferenceUses], list[str]]

# A framework file is a few hundred kilobytes; this is far more than any.
MAX_FRAMEWORK_CHARS = 20_000_000


class FrameworkFormatError(ValueError):
    """The document cannot be loaded. ``problems`` lists every one, each with its location."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"The framework has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n".join([heading, *(f"  {p}" for p in self.problems)]))


@dataclass(frozen=True)
class ParsedStep:
    code: str
    title: str
    looks_like: str
    why_it_works: str
    how_to_rehearse: str
    maps_to: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedStrand:
    code: str
    title: str
    summary: str
    steps: tuple[ParsedStep, ...]


@dataclass(frozen=True)
class ParsedFramework:
    slug: str
    name: str
    version_label: str
    description: str
    strands: tuple[ParsedStrand, ...]

    @property
    def steps(self) -> list[ParsedStep]:
        return [step for strand in self.strands for step in strand.steps]


def _max_length(model, name):
    return model._meta.get_field(name).max_length


TOP_FIELDS = {"format", "slug", "name", "version_label", "description", "strands"}
STRAND_FIELDS = {"code", "title", "summary", "steps"}
STEP_FIELDS = {"code", "title", "looks_like", "why_it_works", "how_to_rehearse", "maps_to"}


class _Checker:
    """Collects problems while walking the document."""

    def __init__(self):
        self.problems: list[str] = []

    def add(self, where: str, message: str):
        self.problems.append(f"{where}: {message}" if where else message)

    def object(self, value, where) -> dict | None:
        if not isinstance(value, dict):
            self.add(where, f"must be an object, not {_kind(value)}")
            return None
        return value

    def unknown_fields(self, value: dict, allowed: set, where: str):
        for name in value:
            if name not in allowed:
                self.add(_join(where, str(name)), "unknown field")

    def text(self, obj: dict, name: str, where: str, *, required=True, max_length=None) -> str:
        at = _join(where, name)
        if name not in obj or obj[name] is None:
            if required:
                self.add(at, "missing")
            return ""
        value = obj[name]
        if not isinstance(value, str):
            self.add(at, f"must be text, not {_kind(value)}")
            return ""
        value = value.strip()
        if required and not value:
            self.add(at, "must not be empty")
        if max_length is not None and len(value) > max_length:
            self.add(at, f"is {len(value)} characters long; the most allowed is {max_length}")
        return value

    def items(self, obj: dict, name: str, where: str) -> list:
        at = _join(where, name)
        if name not in obj:
            self.add(at, "missing")
            return []
        value = obj[name]
        if not isinstance(value, list):
            self.add(at, f"must be a list, not {_kind(value)}")
            return []
        if not value:
            self.add(at, "must not be empty")
        return value


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _kind(value) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true or false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _maps_to(check: _Checker, step: dict, where: str, uses: ReferenceUses) -> dict:
    """``maps_to`` is optional: {"<reference framework slug>": ["<code>", ...]}."""
    at = _join(where, "maps_to")
    value = step.get("maps_to")
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.add(at, f"must be an object, not {_kind(value)}")
        return {}
    result = {}
    for slug, codes in value.items():
        slug_at = f"{at}.{slug}"
        if not isinstance(codes, list):
            check.add(slug_at, f"must be a list of codes, not {_kind(codes)}")
            continue
        if not codes:
            check.add(slug_at, "must list at least one code (or leave the framework out)")
        seen = set()
        kept = []
        for index, code in enumerate(codes):
            code_at = f"{slug_at}[{index}]"
            if not isinstance(code, str) or not code.strip():
                check.add(code_at, "must be a code such as '1a'")
                continue
            code = code.strip()
            if code in seen:
                check.add(code_at, f"'{code}' is listed twice")
                continue
            seen.add(code)
            kept.append(code)
            uses.setdefault(slug, []).append((code_at, code))
        result[slug] = tuple(kept)
    return result


def _step(check: _Checker, raw, where: str, uses: ReferenceUses) -> ParsedStep | None:
    step = check.object(raw, where)
    if step is None:
        return None
    check.unknown_fields(step, STEP_FIELDS, where)
    return ParsedStep(
        code=check.text(step, "code", where, max_length=_max_length(Step, "code")),
        title=check.text(step, "title", where, max_length=_max_length(Step, "title")),
        looks_like=check.text(step, "looks_like", where),
        why_it_works=check.text(step, "why_it_works", where),
        how_to_rehearse=check.text(step, "how_to_rehearse", where),
        maps_to=_maps_to(check, step, where, uses),
    )


def _strand(check: _Checker, raw, where: str, uses: ReferenceUses) -> ParsedStrand | None:
    strand = check.object(raw, where)
    if strand is None:
        return None
    check.unknown_fields(strand, STRAND_FIELDS, where)
    code = check.text(strand, "code", where, max_length=_max_length(Strand, "code"))
    title = check.text(strand, "title", where, max_length=_max_length(Strand, "title"))
    summary = check.text(strand, "summary", where, required=False)
    steps = []
    for index, raw_step in enumerate(check.items(strand, "steps", where)):
        step = _step(check, raw_step, f"{where}.steps[{index}]", uses)
        if step is not None:
            steps.append(step)
    return ParsedStrand(code=code, title=title, summary=summary, steps=tuple(steps))


def _unique_codes(check: _Checker, strands: list[tuple[int, ParsedStrand]]):
    strand_seen: dict[str, str] = {}
    step_seen: dict[str, str] = {}
    for s_index, strand in strands:
        where = f"strands[{s_index}].code"
        if strand.code:
            if strand.code in strand_seen:
                check.add(where, f"'{strand.code}' is already used by {strand_seen[strand.code]}")
            else:
                strand_seen[strand.code] = f"strands[{s_index}]"
        for t_index, step in enumerate(strand.steps):
            where = f"strands[{s_index}].steps[{t_index}].code"
            if not step.code:
                continue
            if step.code in step_seen:
                check.add(where, f"'{step.code}' is already used by {step_seen[step.code]}")
            else:
                step_seen[step.code] = f"strands[{s_index}].steps[{t_index}]"


@functools.cache
def framework_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def location(path) -> str:
    """A place in a document as the problems name it: ``strands[2].steps[4].title``."""
    where = ""
    for part in path:
        where = f"{where}[{part}]" if isinstance(part, int) else _join(where, str(part))
    return where


def schema_problems(data) -> list[str]:
    """Where ``data`` breaks the published schema, each problem with its location."""
    errors = Draft202012Validator(framework_schema()).iter_errors(data)
    problems = []
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        where = location(error.absolute_path)
        problems.append(f"{where}: {error.message}" if where else error.message)
    return problems


def parse_framework(
    data: dict, *, reference_check: ReferenceCheck | None = None
) -> ParsedFramework:
    """Check the whole document and return it as plain data.

    Raises ``FrameworkFormatError`` listing every problem. ``reference_check`` receives each
    reference framework slug used in ``maps_to`` with the (location, code) pairs that use it,
    and returns problems of its own (the service passes one that looks codes up).
    """
    check = _Checker()
    data = check.object(data, "")
    if data is None:
        raise FrameworkFormatError(check.problems)
    check.unknown_fields(data, TOP_FIELDS, "")
    if "format" not in data:
        check.add("format", f"missing (it should be '{FORMAT}')")
    elif data["format"] != FORMAT:
        check.add("format", f"is {data['format']!r}; this version of Coachloop reads '{FORMAT}'")
    slug = check.text(data, "slug", "", max_length=_max_length(Framework, "slug"))
    if slug:
        try:
            validate_slug(slug)
        except ValidationError:
            check.add("slug", "use only letters, numbers, hyphens and underscores")
    name = check.text(data, "name", "", max_length=_max_length(Framework, "name"))
    label = check.text(
        data, "version_label", "", required=False, max_length=_max_length(FrameworkVersion, "label")
    )
    description = check.text(data, "description", "", required=False)

    uses: ReferenceUses = {}
    strands = []
    for index, raw in enumerate(check.items(data, "strands", "")):
        strand = _strand(check, raw, f"strands[{index}]", uses)
        if strand is not None:
            strands.append((index, strand))
    _unique_codes(check, strands)
    if not check.problems:
        # The checks above name every problem in words of their own; the published schema is
        # the same contract, so it finds nothing more unless the two have drifted apart (a
        # test keeps them together), and then it still refuses the document.
        check.problems.extend(schema_problems(data))
    if reference_check is not None and uses:
        check.problems.extend(reference_check(uses))

    if check.problems:
        raise FrameworkFormatError(check.problems)
    return ParsedFramework(
        slug=slug,
        name=name,
        version_label=label,
        description=description,
        strands=tuple(strand for _, strand in strands),
    )


def read_framework_file(path) -> dict:
    """The JSON document at ``path``; an unreadable file is a ``FrameworkFormatError``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise FrameworkFormatError([f"{path}: no such file"]) from error
    except (OSError, UnicodeDecodeError) as error:
        raise FrameworkFormatError([f"{path}: cannot be read ({error})"]) from error
    try:
        return safe_json.loads(text, max_chars=MAX_FRAMEWORK_CHARS)
    except safe_json.JSONLimitError as error:
        raise FrameworkFormatError([f"{path}: {error}"]) from error
    except safe_json.JSONDecodeError as error:
        raise FrameworkFormatError(
            [f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]
        ) from error


def starter_framework_data() -> dict:
    """Coachloop's starter framework, freshly read (callers may change their copy)."""
    return read_framework_file(STARTER_PATH)
