"""A list page renders each of its rows without an ``{% include %}``: an include inside a loop
looks up and renders another template once per row, which on a long list costs more than the
rest of the page. Rows are written inline (or as a ``{% partialdef %}`` of the same template),
with what a row shows worked out once in Python.

LIST_LOOPS names, per template, the loops over rows that grow with the data (a caseload, a
person's history). Add a template here when it lists such rows.
"""

from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

SRC = Path(__file__).resolve().parents[2] / "src" / "coachloop"

LIST_LOOPS = {
    "coaching/templates/coaching/coach_home.html": ["rows", "ended"],
    "coaching/templates/coaching/teacher_home.html": ["home.relationships", "home.timeline"],
    "coaching/templates/coaching/coachee.html": ["page.dropins", "page.earlier_steps"],
    "programmes/templates/programmes/marking/queue.html": [
        "queue.to_mark",
        "queue.to_reconcile",
        "queue.to_settle",
        "queue.done",
    ],
    "programmes/templates/programmes/staff/assignment.html": ["page.rows"],
}


def _includes_in_loops(source, loops):
    """``(loop, include)`` for every include inside one of ``loops`` (at any depth)."""
    found, stack = [], []
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if bits[0] == "for":
            stack.append(bits[bits.index("in") + 1])
        elif bits[0] == "endfor":
            stack.pop()
        elif bits[0] == "include":
            found += [(loop, bits[1]) for loop in stack if loop in loops]
    return found


@pytest.mark.parametrize("template", sorted(LIST_LOOPS))
def test_a_list_template_renders_its_rows_without_an_include(template):
    source = (SRC / template).read_text()
    loops = LIST_LOOPS[template]
    for loop in loops:
        assert f" in {loop} " in source or f" in {loop}%" in source, f"no loop over {loop}"
    assert _includes_in_loops(source, loops) == []


def test_the_check_finds_an_include_inside_a_row_loop():
    source = "{% for row in rows %}{% if row %}{% include 'x.html' %}{% endif %}{% endfor %}"
    assert _includes_in_loops(source, ["rows"]) == [("rows", "'x.html'")]
    assert _includes_in_loops(source, ["other"]) == []
