"""Every admin form answers bad input with its errors, never a server error.

For every model of the admin site, signed in as the trust's administrator: the add form sent
empty, and sent with its required plain fields filled but none of its relations (a school, a
person, a framework), shows the form again with what is missing; and each change form sent
with one of its required relations taken away does the same. Nothing is saved by any of them.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.db.models import Model
from django.forms import (
    BooleanField,
    ChoiceField,
    DateField,
    DateTimeField,
    DecimalField,
    EmailField,
    FloatField,
    IntegerField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    MultipleChoiceField,
    URLField,
)
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.frameworks.models import ReferenceFramework, ReferenceStatement
from coachloop.people.models import AcademicYear, Term
from coachloop.programmes.models import CoachQualification, Reading
from tests.factories import SignInProviderFactory
from tests.programmes.fixtures import build_programme

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 9, 1)
MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label_lower)
# What the admin site does not add (frameworks come from files, trusts and enrolments from
# their own pages), what it adds with no required relation, and what it changes with none.
NOT_ADDED = {
    "frameworks.framework",
    "frameworks.referenceframework",
    "frameworks.referencestatement",
    "frameworks.step",
    "frameworks.strand",
    "people.trust",
    "programmes.enrolment",
}
ADDED_WITH_NO_REQUIRED_RELATION = {
    "people.academicyear",
    "people.school",
    "people.signinprovider",
    "people.user",
    "programmes.partnerinstitution",
}
CHANGED_WITH_NO_REQUIRED_RELATION = (
    NOT_ADDED
    | ADDED_WITH_NO_REQUIRED_RELATION
    | {
        "coaching.relationship",
        "people.membership",
    }
)


def label(model):
    return model._meta.label_lower


def models_except(*labels):
    return [model for model in MODELS if label(model) not in set().union(*labels)]


def url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def is_relation(field):
    return isinstance(field, ModelChoiceField | ModelMultipleChoiceField)


def plain_value(field):
    """A value the field accepts by its type alone (it may still fail the model's rules)."""
    if isinstance(field, BooleanField):
        return "on"
    if isinstance(field, ChoiceField | MultipleChoiceField):
        choices = [value for value, _label in field.choices if value not in ("", None)]
        value = str(choices[0]) if choices else ""
        return [value] if isinstance(field, MultipleChoiceField) else value
    if isinstance(field, DateTimeField):
        return dt.datetime(2025, 9, 1, 9, 0).isoformat(sep=" ")
    if isinstance(field, DateField):
        return "2025-09-01"
    if isinstance(field, IntegerField | DecimalField | FloatField):
        return "1"
    if isinstance(field, EmailField):
        return "someone@example.org"
    if isinstance(field, URLField):
        return "https://example.org/"
    return "Something"


def management_data(response):
    """The management forms of the page's inlines, as the browser sends them with no rows."""
    data = {}
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        data |= {
            f"{formset.prefix}-TOTAL_FORMS": str(formset.initial_form_count()),
            f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
            f"{formset.prefix}-MIN_NUM_FORMS": "0",
            f"{formset.prefix}-MAX_NUM_FORMS": "1000",
        }
        for form in formset.initial_forms:
            data |= bound_values(form)
    return data


def bound_values(form):
    """What the browser sends back for a form as the page shows it."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, Model):
            data[bound.html_name] = str(value.pk)
        elif value is not None:
            data[bound.html_name] = str(value)
    return data


def required_plain_fields(form):
    return {
        name: plain_value(field)
        for name, field in form.fields.items()
        if field.required and not is_relation(field) and not field.disabled
    }


def relations(form, *, required=False):
    return [
        name
        for name, field in form.fields.items()
        if is_relation(field) and not field.disabled and (field.required or not required)
    ]


def first_choice(field):
    """The first row the field offers (the administrator's own trust's)."""
    choice = field.queryset.first()
    if choice is None:
        return None
    value = str(choice.pk)
    return [value] if isinstance(field, ModelMultipleChoiceField) else value


def every_relation(form):
    return {
        name: value
        for name in relations(form)
        if (value := first_choice(form.fields[name])) is not None
    }


def rows(model):
    with scopes_disabled():
        return model._default_manager.count()


def audit_events():
    with scopes_disabled():
        return AuditEvent.objects.count()


def shown_again_with_errors(response):
    assert response.status_code == 200, response.status_code
    assert response.context["errors"], "the form came back without saying what is wrong"


@pytest.fixture
def administrator(admin_client):
    return admin_client


@pytest.mark.parametrize("model", [m for m in MODELS if label(m) in NOT_ADDED], ids=label)
def test_the_admin_site_refuses_to_add_what_is_added_elsewhere(administrator, model):
    assert administrator.get(url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", models_except(NOT_ADDED), ids=label)
def test_an_add_form_sent_empty_says_what_is_missing(administrator, model):
    page = administrator.get(url(model, "add"))
    before, events = rows(model), audit_events()
    shown_again_with_errors(administrator.post(url(model, "add"), management_data(page)))
    assert (rows(model), audit_events()) == (before, events)


@pytest.mark.parametrize(
    "model", [m for m in MODELS if label(m) in ADDED_WITH_NO_REQUIRED_RELATION], ids=label
)
def test_an_add_form_said_to_need_no_relation_needs_none(administrator, model):
    page = administrator.get(url(model, "add"))
    assert relations(page.context["adminform"].form, required=True) == []


@pytest.mark.parametrize(
    "model", models_except(NOT_ADDED, ADDED_WITH_NO_REQUIRED_RELATION), ids=label
)
def test_an_add_form_with_its_plain_fields_but_no_relations_says_what_is_missing(
    administrator, model
):
    page = administrator.get(url(model, "add"))
    form = page.context["adminform"].form
    assert relations(form, required=True), f"{label(model)} needs no relation: say so above"
    data = management_data(page) | required_plain_fields(form)
    before, events = rows(model), audit_events()
    shown_again_with_errors(administrator.post(url(model, "add"), data))
    assert (rows(model), audit_events()) == (before, events)


@pytest.mark.parametrize("model", models_except(NOT_ADDED), ids=label)
def test_an_add_form_missing_any_one_relation_is_never_a_server_error(administrator, model):
    """Coaching started with a coach and a teacher but no school, and the like: each relation
    left out in turn, the others given. An optional one left out may save."""
    page = administrator.get(url(model, "add"))
    form = page.context["adminform"].form
    complete = management_data(page) | required_plain_fields(form) | every_relation(form)
    administrator.raise_request_exception = False
    answers = {
        name: administrator.post(url(model, "add"), dict(complete, **{name: ""})).status_code
        for name in relations(form)
    }
    assert {name: code for name, code in answers.items() if code not in (200, 302)} == {}


def a_row_to_change(administrator, model):
    listed = administrator.get(url(model, "changelist"))
    if listed.status_code == 200 and listed.context["cl"].result_list:
        return listed.context["cl"].result_list[0]
    return None


@pytest.fixture
def a_row_of_every_kind(world):
    """Beside the test world's people, schools, frameworks and coaching: a programme with its
    module, reading, assignment, cohort and enrolment, a coach's qualification, a sign-in
    provider and an academic year with a term, all in the administrator's trust."""
    programme = build_programme(world)
    with scopes_disabled():
        module = programme.assignment.module
        Reading.objects.create(trust=world.trust, module=module, title="Rosenshine (2012)")
        CoachQualification.objects.create(
            trust=world.trust,
            coach=world.own.coach,
            level=CoachQualification.Level.values[0],
            recorded_on=TODAY,
            recorded_by=world.people["administrator"],
        )
        SignInProviderFactory(trust=world.trust)
        year = AcademicYear.objects.create(
            trust=world.trust,
            name="2025/26",
            starts_on=dt.date(2025, 9, 1),
            ends_on=dt.date(2026, 7, 31),
        )
        Term.objects.create(
            trust=world.trust,
            academic_year=year,
            name="Autumn",
            starts_on=dt.date(2025, 9, 1),
            ends_on=dt.date(2025, 12, 19),
        )
        reference = ReferenceFramework.objects.create(slug="ecf", name="Early Career Framework")
        ReferenceStatement.objects.create(
            framework=reference,
            code="1.1",
            section_number=1,
            section_title="High Expectations",
            kind=ReferenceStatement.Kind.values[0],
            text="Teachers have the ability to affect and improve the wellbeing of pupils.",
        )


def required_relations_on_page(page):
    """The names, as posted, of the required relations of the form and of its inlines' rows."""
    forms = [page.context["adminform"].form]
    for inline in page.context.get("inline_admin_formsets") or []:
        forms += inline.formset.initial_forms
    return [
        form[name].html_name
        for form in forms
        for name in relations(form, required=True)
        if name != form._meta.model._meta.pk.name  # the row's own id, not a relation
    ]


def required_relations_to_change(administrator, model):
    row = a_row_to_change(administrator, model)
    assert row is not None, f"no {label(model)} to change"
    page = administrator.get(url(model, "change", row.pk))
    if "adminform" not in page.context:  # only read in the admin site
        return row, page, []
    return row, page, required_relations_on_page(page)


@pytest.mark.parametrize(
    "model", [m for m in MODELS if label(m) in CHANGED_WITH_NO_REQUIRED_RELATION], ids=label
)
def test_a_change_form_said_to_have_no_required_relation_has_none(
    administrator, a_row_of_every_kind, model
):
    assert required_relations_to_change(administrator, model)[2] == []


@pytest.mark.parametrize("model", models_except(CHANGED_WITH_NO_REQUIRED_RELATION), ids=label)
def test_a_change_form_missing_a_required_relation_says_so(
    administrator, a_row_of_every_kind, model
):
    row, page, missing = required_relations_to_change(administrator, model)
    assert missing, f"{label(model)} has no required relation to change: say so above"
    as_shown = bound_values(page.context["adminform"].form) | management_data(page)
    for name in missing:
        before = audit_events()
        response = administrator.post(url(model, "change", row.pk), dict(as_shown, **{name: ""}))
        shown_again_with_errors(response)
        assert audit_events() == before


def test_an_admin_forms_checks_across_fields_wait_until_every_field_is_valid(world, unscoped):
    """The class of the fault: a form's own ``clean`` reading a relation that was not given.
    Every admin model form runs its checks across fields only once each field is valid."""
    from django import forms

    from coachloop.coaching.models import Relationship
    from coachloop.common.admin_site import _with_trust

    class ReadsTheSchool(forms.ModelForm):
        class Meta:
            model = Relationship
            fields = ["school", "started_on"]

        def clean(self):
            data = super().clean()
            data["school"].trust_id  # noqa: B018 (a check that trusts the school is there)
            return data

    form = _with_trust(ReadsTheSchool, world.trust)({"started_on": "not a date"})
    assert not form.is_valid()
    assert set(form.errors) == {"started_on"}
