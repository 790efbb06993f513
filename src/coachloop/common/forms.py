"""Form helpers shared by every app's views."""

from django import forms
from django.utils import timezone


def refusal_text(error):
    """A service's refusal as one message, for a page with no form to put it on."""
    return " ".join(error.messages)


def add_service_errors(form, error):
    """Show a service's ``ValidationError`` on the form: at its field where the form has one,
    otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def posted(request):
    """The submitted data for a form on a POST, and ``None`` (an unbound form) otherwise."""
    return request.POST if request.method == "POST" else None


def date_input():
    """A native date picker. It only accepts ISO dates, whatever the page's locale."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def time_input():
    """A native time picker, as hours and minutes, as wide as a time needs."""
    return forms.TimeInput(
        format="%H:%M", attrs={"type": "time", "class": "govuk-input govuk-input--width-5"}
    )


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of person, shown by name."""

    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several people, shown by name."""

    def label_from_instance(self, obj):
        return obj.full_name or obj.email


def textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


def error_messages(required, **others):
    """A field's ``error_messages``: what to say when it is left empty, and any others."""
    return {"required": required, **others}


def date_field(label, required_message, **kwargs):
    return forms.DateField(
        label=label, widget=date_input(), error_messages=error_messages(required_message), **kwargs
    )


def not_in_future(value, message):
    """``value`` unless it is a day after today (then ``message``, as a form error)."""
    if value and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class DatesMixin:
    """Tells the date pickers which days they may offer, as of today (not as of start-up)."""

    not_after_today = ()
    not_before_today = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate().isoformat()
        for name in self.not_after_today:
            self.fields[name].widget.attrs["max"] = today
        for name in self.not_before_today:
            self.fields[name].widget.attrs["min"] = today
