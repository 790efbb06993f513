"""The staff import benchmark's export and its rounds work at a tiny size, and it refuses to
report a time for an import that did the wrong work. (The real run is ``make bench-roster``;
no time is asserted here.)"""

import datetime as dt

import pytest

from benchmarks import roster_import
from benchmarks.roster_export import count_users, plan_roster, write_export
from benchmarks.roster_import import PHASES, BenchError, Sizes, measure
from coachloop.coaching.models import Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role, User
from coachloop.rosters.readers import read_bundle

pytestmark = pytest.mark.django_db

TINY = Sizes(schools=3, staff=60, students=45)
ON = dt.date(2026, 9, 1)


def _roster(**options):
    schools = [("Ashcombe Academy", "100001"), ("Brackenfield School", "100002")]
    return plan_roster(schools, staff=40, students=25, tag="t", seed=3, **options)


def test_the_export_reads_back_as_its_staff_with_every_student_skipped(tmp_path):
    roster = _roster()
    path = tmp_path / "export.zip"

    rows = write_export(roster, path, on=ON)
    bundle = read_bundle(path)

    assert rows == count_users(path) == 40 + 25
    assert bundle.problems == []
    assert bundle.exported_on == ON
    assert bundle.source_format == "oneroster-1.1"
    assert bundle.students_skipped == 25
    assert len(bundle.staff) == 40
    assert sum(len(record.roles) for record in bundle.staff) == roster.roles
    roles = [role.role for record in bundle.staff for role in record.roles]
    assert roles.count("headteacher") == 6  # three administrators a school
    assert not any("pupils.example.org" in record.email for record in bundle.staff)


def test_the_later_export_leaves_out_the_leavers_only(tmp_path):
    roster = _roster(leaving=0.1)
    path = tmp_path / "later.zip"

    write_export(roster, path, on=ON, leaving=roster.leavers)
    bundle = read_bundle(path)

    assert len(roster.leavers) == 4
    assert {record.source_id for record in bundle.staff} == {
        member.source_id for member in roster.staff if member.source_id not in roster.leavers
    }
    assert bundle.students_skipped == 25


def test_the_export_is_the_same_every_time_for_the_same_seed(tmp_path):
    write_export(_roster(), tmp_path / "a.zip", on=ON)
    write_export(_roster(), tmp_path / "b.zip", on=ON)

    assert read_bundle(tmp_path / "a.zip").staff == read_bundle(tmp_path / "b.zip").staff


def test_a_round_imports_the_staff_changes_nothing_again_and_ends_the_leavers_coaching():
    report = measure(TINY, rounds=1, warmup=0, memory=True)

    assert [phase["key"] for phase in report["phases"]] == [key for key, _l, _r in PHASES]
    assert report["sizes"]["staff"] == 60
    assert report["sizes"]["leaving"] == 3 == report["sizes"]["coaching_ended"]
    baseline = report["phases"][0]
    assert baseline["key"] == "baseline" and baseline["ratio_to_baseline"] == 1.0
    assert report["memory"]["first_import_peak_mb"] is not None
    with scopes_disabled():
        # Two rounds' trusts: the timed one and the one run under tracemalloc.
        assert User.objects.filter(email__endswith="staff.example.org").count() == 120
        assert Membership.objects.filter(role=Role.TEACHER, finished_on__isnull=False).count() == 6
        assert Relationship.objects.filter(finished_on__isnull=False).count() == 6


def test_an_import_that_does_not_do_its_work_fails_the_benchmark(monkeypatch):
    def apply_nothing(*, actor, roster_import):
        roster_import.status = "applied"
        roster_import.counts = {**roster_import.counts, "added": 0, "roles_started": 0}
        return roster_import

    monkeypatch.setattr(roster_import.services, "staff_import_apply", apply_nothing)

    with pytest.raises(BenchError, match="first: added"):
        measure(TINY, rounds=1, warmup=0, memory=False)
