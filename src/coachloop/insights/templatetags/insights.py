"""Drawing a dashboard table's rows. Done in Python rather than nested template loops: a
dashboard has hundreds of cells, and this keeps the page's server time close to its queries'.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from coachloop.insights.tables import cell_text

register = template.Library()

HEADER = '<th scope="row" class="govuk-table__header">'
CELL = '<td class="govuk-table__cell">'
NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'


def _row(table, row):
    cells = [HEADER, escape(cell_text(row[0])), "</th>"]
    for i, cell in enumerate(row[1:], start=1):
        cells += [NUMERIC if i >= table.numeric_from else CELL, escape(cell_text(cell)), "</td>"]
    return '<tr class="govuk-table__row">' + "".join(cells) + "</tr>"


@register.simple_tag
def table_rows(table):
    """Every row of ``table``; each cell's text is escaped in ``_row``."""
    html = "\n".join(_row(table, row) for row in table.rows)
    # Built from escaped text only.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703
