"""What a staff import keeps about a person, made through the real import from a staff list,
when that person is erased or the retention period runs out: whatever the import's status,
their rows go (found by a name in any alphabet, or an email address in any case), and
everyone else's import history stays."""

import datetime as dt
import io
import json

import pytest

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import User
from coachloop.rosters import personal_data, services
from coachloop.rosters.models import RosterImport
from coachloop.rosters.readers.staff_table import read_staff_csv
from tests.factories import UserFactory
from tests.rosters.roster_files import staff_csv_bytes, staff_row

pytestmark = pytest.mark.django_db
Status = RosterImport.Status
ZOE = staff_row("Zoë Brontë", email="zoe.bronte@staff.example.org", urn="900001")
SAM = staff_row("Sam Okafor", urn="900001")


def checked(trust, admin, rows):
    bundle = read_staff_csv(io.BytesIO(staff_csv_bytes(rows)), file_name="staff.csv")
    roster_import = services.staff_import_start(
        actor=admin, trust=trust, bundle=bundle, file_name="staff.csv"
    )
    return services.staff_import_check(roster_import=roster_import)


def applied(trust, admin, rows):
    roster_import = checked(trust, admin, rows)
    services.staff_import_mark_applying(roster_import=roster_import)
    return services.staff_import_apply(actor=admin, roster_import=roster_import)


def set_status(roster_import, status):
    with scopes_disabled():
        RosterImport.objects.filter(pk=roster_import.pk).update(status=status)


def held(roster_import):
    with scopes_disabled():
        roster_import.refresh_from_db()
    return json.dumps(
        [roster_import.records, roster_import.plan, roster_import.problems], ensure_ascii=False
    ).lower()


def erase(trust, person):
    with trust_scope(trust):
        return personal_data.erase(person, trust)


@pytest.mark.parametrize(
    "status", [Status.CHECKING, Status.READY, Status.PROBLEMS, Status.APPLYING]
)
def test_an_import_not_yet_applied_that_names_them_is_stopped_and_cleared(trust, admin, status):
    sam_row = staff_row("Sam Okafor", urn="900001")
    roster_import = checked(trust, admin, [sam_row, staff_row("Ann Baker", urn="900001")])
    set_status(roster_import, status)
    with scopes_disabled():
        sam = UserFactory(full_name="Sam Okafor", email="sam.okafor@staff.example.org")
    assert "sam.okafor" in held(roster_import)

    counts = erase(trust, sam)

    assert "sam" not in held(roster_import)
    assert roster_import.status == Status.FAILED
    assert "erased at their request" in roster_import.failure
    assert sum(counts.values()) == 1


def test_an_applied_import_loses_only_their_entries_found_by_a_name_in_any_alphabet(trust, admin):
    done = applied(trust, admin, [ZOE, SAM])
    assert "zoë brontë" in held(done) and "sam okafor" in held(done)
    with scopes_disabled():
        zoe = User.objects.get(email="zoe.bronte@staff.example.org")
    counts_before = done.counts

    erase(trust, zoe)

    text = held(done)
    assert "zoë" not in text and "zoe.bronte" not in text
    assert [entry["name"] for entry in done.plan["new"]] == ["Sam Okafor"]
    assert done.status == Status.APPLIED and done.counts == counts_before


def test_a_failed_import_loses_their_row_found_by_an_email_in_another_case(trust, admin):
    failed = checked(trust, admin, [ZOE, SAM])
    set_status(failed, Status.FAILED)
    with scopes_disabled():
        zoe = UserFactory(full_name="Zoe B", email="Zoe.Bronte@Staff.Example.org")

    erase(trust, zoe)

    assert "zoe.bronte" not in held(failed) and "zoë" not in held(failed)
    assert [row["full_name"] for row in failed.records["staff"]] == ["Sam Okafor"]
    assert failed.status == Status.FAILED


def test_a_problem_naming_them_goes_and_anyone_elses_stays(trust, admin):
    bad_zoe = staff_row("Zoë Brontë", email="Zoe.Bronte@Staff.Example.org;", urn="900001")
    bad_sam = staff_row("Sam Okafor", email="sam@", urn="900001")
    failed = checked(trust, admin, [bad_zoe, bad_sam])
    set_status(failed, Status.FAILED)
    assert len(failed.problems) == 2
    with scopes_disabled():
        zoe = UserFactory(full_name="Zoë Brontë", email="zoe.bronte@staff.example.org")

    erase(trust, zoe)

    held(failed)
    assert [p["row"] for p in failed.problems] == [3]


def test_retention_clears_an_old_import_whatever_its_status_even_one_with_only_problems(
    trust, admin
):
    only_problems = checked(trust, admin, [staff_row("Zoë Brontë", email="zoë@", urn="900001")])
    set_status(only_problems, Status.FAILED)
    ready = checked(trust, admin, [SAM])
    assert only_problems.problems and not only_problems.records["staff"]
    assert ready.status == Status.READY
    with scopes_disabled():
        RosterImport.objects.update(created_at=dt.datetime(2019, 1, 1, tzinfo=dt.UTC))

    with trust_scope(trust):
        counts = personal_data.expire(trust, dt.date(2020, 1, 1))

    assert sum(counts.values()) == 2
    assert "zoë" not in held(only_problems) and "sam" not in held(ready)
    assert ready.status == Status.FAILED
    with trust_scope(trust):
        assert personal_data.expire(trust, dt.date(2020, 1, 1)) == {}


def test_retention_keeps_an_import_made_after_the_cutoff(trust, admin):
    ready = checked(trust, admin, [SAM])

    with trust_scope(trust):
        personal_data.expire(trust, dt.date(2020, 1, 1))

    assert "sam okafor" in held(ready) and ready.status == Status.READY
