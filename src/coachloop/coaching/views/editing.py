"""Saving a change to a record two people may edit at once (a version column guards it)."""

from django.core.exceptions import ValidationError

from coachloop.coaching.services.errors import EditConflict
from coachloop.common.forms import add_service_errors


def save_versioned(request, form_class, save, **form_options):
    """Save a posted change through ``save(expected_version=..., **fields)``.

    Returns (form, conflict, saved). When someone saved the record since the form was opened,
    ``conflict`` is the record as they left it, and the form keeps what this person typed,
    now based on that version, so saving again applies it knowingly.
    """
    form = form_class(request.POST, **form_options)
    if not form.is_valid():
        return form, None, False
    fields = dict(form.cleaned_data)
    expected = fields.pop("version")
    try:
        save(expected_version=expected, **fields)
    except EditConflict as error:
        data = request.POST.copy()
        data["version"] = error.current.version
        form = form_class(data, **form_options)
        form.is_valid()
        return form, error.current, False
    except ValidationError as error:
        add_service_errors(form, error)
        return form, None, False
    return form, None, True
