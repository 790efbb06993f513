from django import template

register = template.Library()


@register.filter
def name_of(record, field_name):
    """``{{ version|name_of:"proposed_by" }}``: the person's name, from their account or, on
    imported history, as the record named them."""
    return record.name_of(field_name)
