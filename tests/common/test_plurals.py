"""Counts a person reads agree with their number: "1 student", "2 students", through ngettext
or blocktranslate count, never "1 students" or "student(s)"."""

import pytest
from django.forms import modelform_factory
from django.urls import reverse

from coachloop.coaching.admin import RelationshipEndForm
from coachloop.coaching.models import Relationship
from coachloop.coaching.services.agreements import _every
from coachloop.common.tenancy import scopes_disabled
from coachloop.rosters import services
from tests.factories import SchoolFactory
from tests.rosters.staff_bundles import bundle, teacher

pytestmark = pytest.mark.django_db


def _staff_import_page(client, world, *, students):
    with scopes_disabled():
        SchoolFactory(trust=world.trust, urn="900001", name="Meadow Lane School", slug="meadow")
    admin = world.people["administrator"]
    roster_import = services.staff_import_check(
        roster_import=services.staff_import_start(
            actor=admin,
            trust=world.trust,
            bundle=bundle([teacher(1)], students=students),
            file_name="export.zip",
        )
    )
    return client.get(reverse("rosters:import", args=[roster_import.pk])).content.decode()


@pytest.mark.parametrize(
    ("students", "text"),
    [(1, "1 student and 0 others (never stored)"), (2, "2 students and 0 others (never stored)")],
)
def test_an_import_counts_the_students_it_skipped_in_the_right_number(
    admin_client, world, students, text
):
    assert text in _staff_import_page(admin_client, world, students=students)


@pytest.mark.parametrize(("days", "ending"), [(1, "for 1 day."), (30, "for 30 days.")])
def test_the_admins_ending_help_gives_the_days_a_former_coach_reads_in_the_right_number(
    settings, days, ending
):
    settings.COACHLOOP_READ_AFTER_END_DAYS = days
    form = modelform_factory(Relationship, form=RelationshipEndForm, fields=["finished_on"])()
    assert form.fields["finished_on"].help_text.endswith(ending)


def test_an_agreements_rhythm_is_a_day_or_a_number_of_days():
    assert _every(1) == "Every day"
    assert _every(3) == "Every 3 days"


@pytest.mark.parametrize(
    ("kept", "text"),
    [(1, "we keep them for 1 day."), (90, "we keep them for 90 days.")],
)
def test_your_account_says_how_long_sign_ins_are_kept_in_the_right_number(
    client, world, monkeypatch, kept, text
):
    monkeypatch.setattr("coachloop.people.views.SIGN_INS_KEPT_DAYS", kept)
    client.force_login(world.people["teacher"])
    page = client.get(reverse("account")).content.decode()
    assert text in page
    assert "Your last 20 sign-ins, newest first." in page
