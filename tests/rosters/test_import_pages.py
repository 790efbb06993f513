"""The import pages: an administrator sees what a staff import would do, follows a long one,
says which school an organisation is, and applies it; nobody else, and no other trust, can."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import ExternalId, Membership, Role, School, User
from coachloop.rosters import running, services
from coachloop.rosters.models import RosterImport
from coachloop.rosters.records import Org
from tests.factories import SchoolFactory, two_step_set_up
from tests.rosters.staff_bundles import bundle, teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust(world):
    with scopes_disabled():
        SchoolFactory(trust=world.trust, urn="900001", name="Meadow Lane School", slug="meadow")
    return world.trust


@pytest.fixture
def admin(world):
    return world.people["administrator"]


def start(trust, admin, staff_bundle):
    return services.staff_import_start(
        actor=admin, trust=trust, bundle=staff_bundle, file_name="export.zip"
    )


def test_the_preview_lists_who_is_new_and_changes_nothing(admin_client, trust, admin):
    roster_import = services.staff_import_check(
        roster_import=start(trust, admin, bundle([teacher(1), teacher(2)], students=300))
    )

    page = admin_client.get(reverse("rosters:import", args=[roster_import.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Teacher Number 1" in text and "Teacher Number 2" in text
    assert "300 students and 0 others (never stored)" in text
    assert "Apply the import" in text
    assert not User.objects.filter(email="teacher1@riverside.example.org").exists()


def test_applying_from_the_page_brings_the_staff_in_and_says_what_it_did(
    admin_client, trust, admin
):
    roster_import = services.staff_import_check(
        roster_import=start(trust, admin, bundle([teacher(1), teacher(2)]))
    )

    response = admin_client.post(reverse("rosters:import_apply", args=[roster_import.pk]))

    assert response.status_code == 302
    page = admin_client.get(response.url)
    assert "Import applied" in page.content.decode()
    with scopes_disabled():
        brought_in = Membership.objects.filter(user__email__endswith="@riverside.example.org")
        assert brought_in.filter(trust=trust).count() == 2
    roster_import.refresh_from_db()
    assert roster_import.applied_by == admin


def test_an_import_with_problems_lists_each_one_and_cannot_be_applied(admin_client, trust, admin):
    twice = [teacher(1), teacher(2, email="teacher1@riverside.example.org")]
    roster_import = services.staff_import_check(roster_import=start(trust, admin, bundle(twice)))

    page = admin_client.get(reverse("rosters:import", args=[roster_import.pk]))
    admin_client.post(reverse("rosters:import_apply", args=[roster_import.pk]))

    text = page.content.decode()
    assert "The file has 1 problem" in text
    assert "This email address is in the file twice." in text
    assert "Apply the import" not in text
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PROBLEMS
    assert not User.objects.filter(email="teacher1@riverside.example.org").exists()


def test_the_administrator_says_which_school_an_organisation_is_and_the_file_is_checked_again(
    admin_client, trust, admin
):
    orgs = {"org-9": Org(key="org-9", name="Riverside Sixth Form", urn="")}
    roster_import = services.staff_import_check(
        roster_import=start(trust, admin, bundle([teacher(1, org="org-9")], orgs=orgs))
    )
    page = admin_client.get(reverse("rosters:import", args=[roster_import.pk]))
    assert "Riverside Sixth Form" in page.content.decode()
    with scopes_disabled():
        school = School.objects.get(urn="900001")

    admin_client.post(
        reverse("rosters:org_confirm", args=[roster_import.pk]),
        {"prefix": "o0", "o0-source_id": "org-9", "o0-school": school.pk},
    )

    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.READY
    assert roster_import.counts["new"] == 1


def test_nul_in_the_multipart_form_saying_which_school_an_organisation_is_is_a_bad_request(
    admin_client, trust, admin
):
    """The page reads the form's prefix from ``request.POST`` before its form does; on
    PostgreSQL a NUL reaching a lookup would be a server error."""
    orgs = {"org-9": Org(key="org-9", name="Riverside Sixth Form", urn="")}
    roster_import = services.staff_import_check(
        roster_import=start(trust, admin, bundle([teacher(1, org="org-9")], orgs=orgs))
    )

    response = admin_client.post(
        reverse("rosters:org_confirm", args=[roster_import.pk]),
        {"prefix": "o\x000", "o\x000-source_id": "org-9\x00", "o\x000-school": "1"},
    )

    assert response.status_code == 400
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PROBLEMS


def test_an_organisation_cannot_be_matched_to_another_trusts_school(
    admin_client, trust, admin, world
):
    orgs = {"org-9": Org(key="org-9", name="Riverside Sixth Form", urn="")}
    roster_import = services.staff_import_check(
        roster_import=start(trust, admin, bundle([teacher(1, org="org-9")], orgs=orgs))
    )

    admin_client.post(
        reverse("rosters:org_confirm", args=[roster_import.pk]),
        {"prefix": "o0", "o0-source_id": "org-9", "o0-school": world.other_trust_records.school.pk},
    )

    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PROBLEMS


def test_a_long_import_is_left_to_the_worker_and_its_page_follows_it(
    admin_client, trust, admin, settings
):
    settings.COACHLOOP_IMPORT_INLINE_ROWS = 1
    roster_import = start(trust, admin, bundle([teacher(1), teacher(2), teacher(3)]))
    running.check(roster_import)
    with scopes_disabled():
        roster_import.refresh_from_db()
        assert roster_import.status == RosterImport.Status.CHECKING
        RosterImport.objects.filter(pk=roster_import.pk).update(rows_read=2)

    page = admin_client.get(reverse("rosters:import", args=[roster_import.pk]))
    bar = admin_client.get(reverse("rosters:import_progress", args=[roster_import.pk]))

    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert (
        '<progress id="progress-bar" class="cl-progress" max="3" value="2">' in bar.content.decode()
    )
    assert "2 of 3" in bar.content.decode()


def test_the_progress_bar_asks_the_page_to_reload_once_the_import_is_done(
    admin_client, trust, admin
):
    roster_import = services.staff_import_check(
        roster_import=start(trust, admin, bundle([teacher(1)]))
    )

    bar = admin_client.get(reverse("rosters:import_progress", args=[roster_import.pk]))

    assert bar.status_code == 204
    assert bar["HX-Refresh"] == "true"


def test_another_trusts_import_is_not_found(client, world, trust, admin):
    roster_import = start(trust, admin, bundle([teacher(1)]))
    with scopes_disabled():
        other_admin = User.objects.create_user("other.admin@glebe.example.org", full_name="Other")
        Membership.objects.create(
            trust=world.other_trust,
            user=other_admin,
            role=Role.ADMINISTRATOR,
            started_on=dt.date(2026, 1, 1),
        )
    two_step_set_up(other_admin)
    client.force_login(other_admin)

    assert client.get(reverse("rosters:import", args=[roster_import.pk])).status_code == 404
    response = client.post(reverse("rosters:import_apply", args=[roster_import.pk]))
    assert response.status_code == 404


def test_when_many_would_leave_the_administrator_must_say_they_have(admin_client, trust, admin):
    first = services.staff_import_check(
        roster_import=start(trust, admin, bundle([teacher(n) for n in range(1, 6)]))
    )
    admin_client.post(reverse("rosters:import_apply", args=[first.pk]))
    later = services.staff_import_check(roster_import=start(trust, admin, bundle([teacher(1)])))

    page = admin_client.get(reverse("rosters:import", args=[later.pk])).content.decode()
    refused = admin_client.post(reverse("rosters:import_apply", args=[later.pk]), follow=True)
    with scopes_disabled():
        later.refresh_from_db()
    assert "4 people would leave" in page
    assert "Tick the box to say that these people have left" in refused.content.decode()
    assert later.status == RosterImport.Status.READY

    admin_client.post(reverse("rosters:import_apply", args=[later.pk]), {"confirm_leaving": "on"})
    with scopes_disabled():
        later.refresh_from_db()
    assert later.status == RosterImport.Status.APPLIED
    assert later.counts["left"] == 4


def test_a_persons_page_in_the_admin_shows_their_identifiers_from_this_trust_only(
    admin_client, trust, admin, world
):
    teacher_a = world.own.teacher
    with scopes_disabled():
        ExternalId.objects.create(trust=trust, person=teacher_a, kind="oneroster", value="u-77")
        ExternalId.objects.create(
            trust=world.other_trust, person=teacher_a, kind="trn", value="7654321"
        )

    page = admin_client.get(reverse("admin:people_user_change", args=[teacher_a.pk]))

    text = page.content.decode()
    assert "OneRoster sourcedId: u-77" in text
    assert "7654321" not in text


def test_an_import_waiting_for_the_worker_says_so_after_two_minutes(
    admin_client, trust, admin, settings
):
    settings.COACHLOOP_IMPORT_INLINE_ROWS = 0
    roster_import = start(trust, admin, bundle([teacher(1)]))
    url = reverse("rosters:import_progress", args=[roster_import.pk])
    assert "Nothing has moved" not in admin_client.get(url).content.decode()

    with scopes_disabled():
        RosterImport.objects.filter(pk=roster_import.pk).update(
            phase_started_at=timezone.now() - dt.timedelta(minutes=3)
        )

    assert "Nothing has moved for two minutes" in admin_client.get(url).content.decode()


def test_the_page_reads_the_schools_once_however_many_organisations_are_to_be_matched(
    admin_client, trust, admin
):
    def page_queries(count):
        orgs = {f"org-{n}": Org(key=f"org-{n}", name=f"Unknown {n}", urn="") for n in range(count)}
        rows = [teacher(n + 1, org=f"org-{n}") for n in range(count)]
        roster_import = services.staff_import_check(
            roster_import=start(trust, admin, bundle(rows, orgs=orgs))
        )
        with CaptureQueriesContext(connection) as queries:
            page = admin_client.get(reverse("rosters:import", args=[roster_import.pk]))
        assert page.content.decode().count("Meadow Lane School</option>") == count
        return len(queries)

    assert page_queries(1) == page_queries(4)
