"""Reading England's Early Career Framework (2019) from its data file.

The file (``ecf-2019.json``, shipped in ``frameworks/data/``; see ``COACHLOOP_ECF_FILE``)
holds 8 sections, one per Teachers' Standard. Each has "learn that" statements (codes like
``1.1``) and "learn how to" statements (codes like ``1a``) under headings ("Avoid
overloading working memory, by:"). This module turns that shape into plain rows for
``ReferenceFramework`` and ``ReferenceStatement``; ``services.reference_framework_import_ecf``
writes them.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from coachloop.frameworks.models import ReferenceStatement

ECF_SLUG = "ecf-2019"
ECF_FILENAME = "ecf-2019.json"
DEFAULT_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0."
)


class ReferenceFormatError(ValueError):
    """The reference file cannot be imported. ``problems`` lists every one."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(["The reference file has problems:", *self.problems]))


@dataclass(frozen=True)
class ReferenceRow:
    code: str
    section_number: int
    section_title: str
    heading: str
    kind: str
    text: str
    position: int


@dataclass(frozen=True)
class ParsedReference:
    slug: str
    name: str
    publisher: str
    attribution: str
    statements: tuple[ReferenceRow, ...]

    @property
    def sections(self) -> list[tuple[int, str]]:
        return sorted({(s.section_number, s.section_title) for s in self.statements})

    @property
    def headings(self) -> list[tuple[int, str]]:
        """(section number, heading) of each "learn how to" group, in order."""
        seen = []
        for s in self.statements:
            if s.kind == ReferenceStatement.Kind.DO and (s.section_number, s.heading) not in seen:
                seen.append((s.section_number, s.heading))
        return seen


def _text(problems, value, where):
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: missing or empty")
        return ""
    return value.strip()


def parse_ecf(data: dict) -> ParsedReference:
    """The statements of the ECF file, in the file's order. Raises ``ReferenceFormatError``."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ReferenceFormatError(["the file must hold a JSON object"])
    standards = data.get("standards")
    if not isinstance(standards, list) or not standards:
        raise ReferenceFormatError(["standards: missing or empty"])
    rows: list[ReferenceRow] = []
    seen: dict[str, str] = {}

    def add_statements(items, where, **fields):
        """Each item of a list of ``{code, text}`` objects, as one statement with ``fields``."""
        for index, item in enumerate(items or []):
            at = f"{where}[{index}]"
            if not isinstance(item, dict):
                problems.append(f"{at}: must be an object")
                continue
            code = _text(problems, item.get("code"), f"{at}.code")
            text = _text(problems, item.get("text"), f"{at}.text")
            if not (code and text):
                continue
            if code in seen:
                problems.append(f"{at}.code: '{code}' is already used at {seen[code]}")
                continue
            seen[code] = at
            rows.append(ReferenceRow(code=code, position=len(rows) + 1, text=text, **fields))

    for s_index, standard in enumerate(standards):
        where = f"standards[{s_index}]"
        if not isinstance(standard, dict):
            problems.append(f"{where}: must be an object")
            continue
        number = standard.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.append(f"{where}.number: must be a whole number from 1")
            number = 0
        section = {"section_number": number}
        section["section_title"] = _text(problems, standard.get("title"), f"{where}.title")
        add_statements(
            standard.get("learn_that"),
            f"{where}.learn_that",
            heading="",
            kind=ReferenceStatement.Kind.KNOW,
            **section,
        )
        for h_index, group in enumerate(standard.get("learn_how_to") or []):
            at = f"{where}.learn_how_to[{h_index}]"
            if not isinstance(group, dict):
                problems.append(f"{at}: must be an object")
                continue
            add_statements(
                group.get("statements"),
                f"{at}.statements",
                heading=_text(problems, group.get("heading"), f"{at}.heading"),
                kind=ReferenceStatement.Kind.DO,
                **section,
            )
    if problems:
        raise ReferenceFormatError(problems)
    return ParsedReference(
        slug=ECF_SLUG,
        name=str(data.get("framework") or "Early Career Framework (2019)").strip(),
        publisher=str(data.get("publisher") or "").strip(),
        attribution=str(data.get("attribution") or DEFAULT_ATTRIBUTION).strip(),
        statements=tuple(rows),
    )


def read_ecf(path) -> ParsedReference:
    """Read and parse the ECF file at ``path``. Raises ``ReferenceFormatError``."""
    path = Path(path)
    if not path.is_file():
        raise ReferenceFormatError(
            [f"{path}: no such file (set COACHLOOP_ECF_FILE or pass --path)"]
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ReferenceFormatError([f"{path}: cannot be read ({error})"]) from error
    except json.JSONDecodeError as error:
        raise ReferenceFormatError(
            [f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]
        ) from error
    return parse_ecf(data)
