"""Every model of Coachloop's names its objects (the admin, its inlines and its history say
"Dr Amira Shah, tutor on MA in Teaching and Learning", never "ProgrammeStaff object (5)")."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models

from coachloop.common.tenancy import scopes_disabled, trust_scope
from tests.programmes.fixtures import build_programme

DJANGO_DEFAULT = re.compile(r"^\w+ object \(.*\)$")


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("coachloop.")]


def test_every_project_model_has_a_name_of_its_own():
    unnamed = [m.__name__ for m in project_models() if m.__str__ is models.Model.__str__]
    assert unnamed == []


def test_the_admin_registers_project_models_this_test_walks():
    registered = {m for m in admin.site._registry if m.__module__.startswith("coachloop.")}
    assert registered and registered <= set(project_models())


@pytest.mark.django_db
def test_no_stored_object_is_named_as_djangos_default(world):
    with trust_scope(world.trust):
        build_programme(world)
    named = 0
    with scopes_disabled():
        for model in project_models():
            obj = model._default_manager.first()
            if obj is None:
                continue
            named += 1
            assert not DJANGO_DEFAULT.match(str(obj)), f"{model.__name__}: {obj}"
    assert named >= 20  # the world and the programme hold rows of most models
