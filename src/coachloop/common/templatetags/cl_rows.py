"""Helps a table with a column for each item of a list (a term, a marker) become phone rows.

On a phone each cell of a `cl-rows` table carries its column's name (data-label); where the
columns come from a list, `beside` pairs each cell with its column so the template can name it:
`{% for period, count in periods|beside:row.counts %}`.
"""

from django import template

register = template.Library()


@register.filter
def beside(columns, cells):
    """Each cell with its column, in order: [(column, cell), ...] (as long as the shorter)."""
    return list(zip(columns or [], cells or [], strict=False))
