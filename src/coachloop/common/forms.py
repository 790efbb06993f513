"""Form helpers shared by every app's views."""

from django import forms


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


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of person, shown by name."""

    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several people, shown by name."""

    def label_from_instance(self, obj):
        return obj.full_name or obj.email
