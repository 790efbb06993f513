"""A formset's counts come from the browser: a negative one is the formset's own error, not a
500, and a huge one builds only as many forms as there are rows plus ``MAX_NEW_FORMS``."""

import pytest
from django.forms.models import inlineformset_factory

from coachloop.common.formsets import MAX_NEW_FORMS, BoundedInlineFormSet
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, User

pytestmark = pytest.mark.django_db

RolesFormSet = inlineformset_factory(
    User, Membership, formset=BoundedInlineFormSet, fields=["role"], extra=0
)


def _posted(total, initial):
    return {"roles-TOTAL_FORMS": str(total), "roles-INITIAL_FORMS": str(initial)}


@pytest.mark.parametrize("counts", [(1, -1), (-1, 0), (-5, -5)])
def test_a_negative_count_is_the_formsets_error(world, counts):
    with scopes_disabled():
        formset = RolesFormSet(_posted(*counts), instance=world.own.teacher, prefix="roles")
        assert not formset.is_valid()
        assert "tampered with" in str(formset.non_form_errors())


def test_a_huge_count_builds_no_more_forms_than_rows_and_new_ones_allowed(world):
    with scopes_disabled():
        rows = Membership.objects.filter(user=world.own.teacher).count()
        formset = RolesFormSet(
            _posted(999_999_999, 999_999_999), instance=world.own.teacher, prefix="roles"
        )
        assert len(formset.forms) == rows + MAX_NEW_FORMS
        formset.is_valid()  # answers, whatever it says


def test_the_admins_inlines_use_the_bounded_formset():
    from django.contrib.admin import site
    from django.contrib.admin.options import InlineModelAdmin

    inlines = {
        inline
        for model_admin in site._registry.values()
        for inline in model_admin.inlines
        if issubclass(inline, InlineModelAdmin)
    }
    assert inlines
    assert all(issubclass(inline.formset, BoundedInlineFormSet) for inline in inlines)
