"""Renders any Django form field the way the GOV.UK Design System draws it.

Forms stay free of presentation: the classes, the error state and the links from a field to
its hint and error message are added here, for our forms and Django's own alike.
"""

from django import forms, template

register = template.Library()

_INPUT_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.NumberInput: "govuk-input govuk-input--width-4",
    forms.DateInput: "govuk-input govuk-input--width-10",
}


def _base_class(widget):
    for widget_class, css in _INPUT_CLASSES.items():
        if isinstance(widget, widget_class):
            return css
    return "govuk-input"


@register.simple_tag
def govuk_widget(field):
    widget = field.field.widget
    css = widget.attrs.get("class") or _base_class(widget)
    if field.errors:
        css = f"{css} {css.split()[0]}--error"
    attrs = {"class": css}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def govuk_anchor(field):
    """Where an error summary's link should land: the field (a single checkbox too), or a
    group's first option."""
    if isinstance(field.field.widget, forms.CheckboxInput):
        return field.auto_id
    if getattr(field.field.widget, "input_type", None) in ("radio", "checkbox"):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def is_radio(field):
    return getattr(field.field.widget, "input_type", None) == "radio"


@register.filter
def is_checkboxes(field):
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple)
