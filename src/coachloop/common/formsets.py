"""Formsets that trust no number the browser sends about them.

A formset's management form says how many forms were sent (``TOTAL_FORMS``) and how many
were already saved (``INITIAL_FORMS``). Django builds that many forms: a negative count
fails deep inside (a 500), and 999,999,999 builds forms until ``absolute_max`` (2,000 by
default, many seconds). Here a negative count is the formset's own error (Django's
"ManagementForm data is … tampered with"), saved forms are at most the rows there are,
and new forms at most ``MAX_NEW_FORMS``.
Every admin inline uses ``BoundedInlineFormSet`` (``common.admin_site.TrustInline``).
"""

from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

MAX_NEW_FORMS = 50


class BoundedFormSetMixin:
    @cached_property
    def management_form(self):
        form = super().management_form
        if self.is_bound and form.is_valid():
            for name in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT):
                if form.cleaned_data[name] < 0:
                    form.add_error(None, _("The form was changed: send it again from its page."))
                    form.cleaned_data[name] = 0
        return form

    def initial_form_count(self):
        count = super().initial_form_count()
        if self.is_bound:
            count = min(count, len(self.get_queryset()))
        return count

    def total_form_count(self):
        count = super().total_form_count()
        if self.is_bound:
            count = min(count, self.initial_form_count() + MAX_NEW_FORMS)
        return count


class BoundedInlineFormSet(BoundedFormSetMixin, BaseInlineFormSet):
    pass
