"""Drawing a dashboard table's rows and a chart's marks. Done in Python rather than nested
template loops: a dashboard has hundreds of cells and bars, and this keeps the page's server
time close to its queries'.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from coachloop.insights.tables import cell_text

register = template.Library()


def _row(table, labels, row):
    """One row: its first cell heads the row and comes first on a phone; every other cell is
    named by its column (``data-label``) for when the table becomes a list of rows."""
    cells = [
        '<th scope="row" class="govuk-table__header cl-rows__first">',
        escape(cell_text(row[0])),
        "</th>",
    ]
    for i, cell in enumerate(row[1:], start=1):
        numeric = " govuk-table__cell--numeric" if i >= table.numeric_from else ""
        cells += [
            f'<td class="govuk-table__cell{numeric}" data-label="{labels[i]}">',
            escape(cell_text(cell)),
            "</td>",
        ]
    return '<tr class="govuk-table__row">' + "".join(cells) + "</tr>"


@register.simple_tag
def table_headers(table):
    """The header row's cells, the figures' columns marked numeric; each header is escaped."""
    cells = []
    for i, header in enumerate(table.headers):
        numeric = " govuk-table__header--numeric" if i >= table.numeric_from else ""
        cells.append(
            f'<th scope="col" class="govuk-table__header{numeric}">{escape(str(header))}</th>'
        )
    # Built from escaped text only.
    return mark_safe("".join(cells))  # noqa: S308  # nosec B308 B703


@register.simple_tag
def table_rows(table):
    """Every row of ``table``; each cell's text is escaped in ``_row``."""
    labels = [escape(str(header), quote=True) for header in table.headers]
    html = "\n".join(_row(table, labels, row) for row in table.rows)
    # Built from escaped text only.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def _value(bar):
    """The bar's value: above it, or turned on its side above a narrow bar; "no data" sits
    on the axis where a bar would be."""
    kind = " cl-chart__value--hidden" if bar.hidden else ""
    kind = " cl-chart__value--missing" if bar.missing else kind
    if bar.sideways:
        return (
            f'<text x="{bar.centre}" y="{bar.y}" dx="4" dy="4" '
            f'transform="rotate(-90 {bar.centre} {bar.y})" text-anchor="start" '
            f'class="cl-chart__value cl-chart__value--sideways{kind}">{escape(bar.value)}</text>'
        )
    return (
        f'<text x="{bar.centre}" y="{bar.y}" dy="-4" text-anchor="middle" '
        f'class="cl-chart__value{kind}">{escape(bar.value)}</text>'
    )


def _bar(chart_id, chart, bar):
    title = f"<title>{escape(bar.title)}</title>"
    if bar.missing:
        mark = ""
    elif bar.hidden:
        mark = (
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
            f'fill="url(#{chart_id}-hatch)" class="cl-chart__bar--hidden">{title}</rect>'
        )
    else:
        zero = " cl-chart__bar--zero" if bar.zero else ""
        mark = (
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
            f'class="cl-chart__bar{zero}">{title}</rect>'
        )
    mark += _value(bar)
    if bar.show_label:
        mark += (
            f'<text x="{bar.centre}" y="{chart.label_y}" text-anchor="middle" '
            f'class="cl-chart__label">{escape(bar.label)}</text>'
        )
    missing = " cl-chart__column--missing" if bar.missing else ""
    if bar.missing:
        mark = title + mark
    return f'<g class="cl-chart__column{missing}">{mark}</g>'


@register.simple_tag
def chart_marks(chart, chart_id):
    """The axis, grid, bars, values and labels of ``chart``; every text in it is escaped."""
    left, right = chart.left, chart.right
    parts = [
        f'<text x="{left}" y="12" class="cl-chart__axis-title cl-chart__axis-title--value">'
        f"{escape(chart.axis_title)}</text>"
    ]
    for tick in chart.ticks:
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{tick.y}" y2="{tick.y}" class="cl-chart__grid"/>'
            f'<text x="{left - 6}" y="{tick.y}" dy="4" text-anchor="end" '
            f'class="cl-chart__tick">{escape(tick.label)}</text>'
        )
    if chart.category_title:
        parts.append(
            f'<text x="{chart.category_title_x}" y="{chart.category_title_y}" '
            'text-anchor="middle" class="cl-chart__axis-title cl-chart__axis-title--category">'
            f"{escape(chart.category_title)}</text>"
        )
    parts += [_bar(escape(chart_id), chart, bar) for bar in chart.bars]
    parts.append(
        f'<line x1="{left}" x2="{right}" y1="{chart.baseline}" y2="{chart.baseline}" '
        'class="cl-chart__axis"/>'
    )
    if chart.target_y is not None:
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{chart.target_y}" y2="{chart.target_y}" '
            'class="cl-chart__target"/>'
        )
    # Built from numbers and escaped text only.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703
