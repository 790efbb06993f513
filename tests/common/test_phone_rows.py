"""Every table a person opens on a phone is a ``cl-rows`` table (``_lists.scss``): below the
tablet breakpoint each row becomes a block of summary lines, its decisive fact first, each other
fact named by its column (``data-label``). These read the templates, so a table added without
them fails here; the browser tests (tests/browser/test_lists_on_*.py and the role's phone tests)
show the result at 390 and 1280 pixels."""

import re
from pathlib import Path

import coachloop

SRC = Path(coachloop.__file__).parent

# Tables no one reads on a phone in the product's own pages, and why.
NOT_PHONE_TABLES = {
    "common/templates/admin/coachloop_history.html": "Django's admin, a desktop tool",
    "coaching/templates/coaching/portability/record_pdf.html": "printed to a PDF",
}

TABLE = re.compile(r"<table\b[^>]*>")
CELL = re.compile(r"<td\b([^>]*)>\s*(.{0,12})", re.DOTALL)


def _templates():
    for path in sorted(SRC.rglob("templates/**/*.html")):
        yield str(path.relative_to(SRC)), path.read_text()


def _cell_needs_a_label(attributes, start):
    """A cell is named by its column unless it is the row's decisive fact (shown first, in
    bold), spans the row (an empty list's message), or holds only an action (a link or a form
    whose own words say what it does)."""
    if "data-label" in attributes or "cl-rows__first" in attributes or "colspan" in attributes:
        return False
    return not start.startswith(("<a ", "<form", "<button", "{% if"))


def test_every_table_in_the_products_pages_becomes_summary_rows_on_a_phone():
    plain = [
        f"{name}: {tag}"
        for name, text in _templates()
        if name not in NOT_PHONE_TABLES
        for tag in TABLE.findall(text)
        if "cl-rows" not in tag
    ]
    assert plain == []


def test_the_tables_kept_off_the_phone_still_exist():
    names = {name for name, _ in _templates()}
    assert set(NOT_PHONE_TABLES) <= names


def test_each_cell_of_a_phone_table_is_named_by_its_column():
    unnamed = [
        f"{name}: <td{attributes}>"
        for name, text in _templates()
        if "cl-rows" in text
        for attributes, start in CELL.findall(text)
        if _cell_needs_a_label(attributes, start)
    ]
    assert unnamed == []


def test_each_phone_table_says_which_fact_comes_first():
    """A row header (``<th scope="row">``) or a cell marked ``cl-rows__first`` leads each row;
    the dashboards' and sign-in's tables are built by tags that mark it themselves."""
    built_by_tags = {
        "insights/templates/insights/_table.html",
        "people/templates/allauth/elements/table.html",
    }
    leaderless = [
        name
        for name, text in _templates()
        if "cl-rows" in text
        and name not in built_by_tags
        and name not in NOT_PHONE_TABLES
        and "cl-rows__first" not in text
        and 'scope="row"' not in text
    ]
    assert leaderless == []
