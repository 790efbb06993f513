"""``manage.py import_gias``: a trust's schools from the schools register, for a first import
or a scheduled sync; it says what it did, or every problem, and then fails."""

import io

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.core.management import base as management_base

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import School
from coachloop.rosters.models import RosterImport
from tests.factories import SchoolFactory, TrustFactory
from tests.rosters.register_files import GROUP_UID, weald_establishments, write_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust(unscoped):
    return TrustFactory(name="Weald and Downs Learning Trust", slug="weald")


@pytest.fixture
def files(tmp_path):
    return write_register(tmp_path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_gias", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_args(files, *more):
    establishments, links = files
    return (
        "--trust",
        "weald",
        "--establishments",
        str(establishments),
        "--links",
        str(links),
        *more,
    )


def written():
    with scopes_disabled():
        return School.objects.count(), AuditEvent.objects.count(), RosterImport.objects.count()


def test_it_imports_the_schools_and_prints_what_it_did(trust, files):
    out, err = run(*import_args(files, "--group-uid", GROUP_UID))
    assert "New: St Bede’s Catholic Primary Academy (URN 140101)" in out
    assert "Not added, closed in the register: Old Mill Primary Academy (URN 140106)" in out
    assert "Trust: group ID none → TR03645" in out
    assert "Trust: Companies House number none → 09876543" in out
    assert out.splitlines()[-1] == (
        "Imported the schools of Weald and Downs Learning Trust from the register (group UID "
        "16724): 6 new, 0 changed, 0 closed, 0 reopened, 0 unchanged."
    )
    assert err == ""
    assert written() == (6, 7, 1)
    with scopes_disabled():
        assert AuditEvent.objects.filter(actor__isnull=False).count() == 0


def test_a_second_run_with_the_same_files_changes_nothing_and_says_so(trust, files):
    run(*import_args(files, "--group-uid", GROUP_UID))
    before = written()
    out, _err = run(*import_args(files))  # the trust now has its group UID
    assert written() == before
    assert out.splitlines()[-1] == (
        "Nothing to change: Weald and Downs Learning Trust's schools already match the register "
        "(group UID 16724): 0 new, 0 changed, 0 closed, 0 reopened, 6 unchanged."
    )


def test_it_reports_changes_closures_and_schools_left_alone(trust, files, tmp_path):
    with scopes_disabled():
        SchoolFactory(trust=trust, urn="140106", name="Old Mill Primary", slug="old-mill")
        SchoolFactory(trust=trust, urn="141999", name="Hilltop Academy", slug="hilltop")
        SchoolFactory(
            trust=trust,
            urn="140102",
            name="Weald High School",
            slug="weald-high",
            establishment_type="Academy sponsor led",
            local_authority="Kent",
        )
    out, _err = run(*import_args(files, "--group-uid", GROUP_UID))
    assert (
        "Changed: Weald High School (URN 140102): name “Weald High School” → "
        "“Weald Secondary Academy”" in out
    )
    assert "Closed: Old Mill Primary (URN 140106) on 2023-08-31" in out
    assert (
        "Left as it is, not listed for this trust in the register: Hilltop Academy (URN 141999)"
        in out
    )
    assert out.splitlines()[-1].endswith(": 5 new, 1 changed, 1 closed, 0 reopened, 0 unchanged.")


def test_a_dry_run_prints_the_plan_and_writes_nothing(trust, files):
    out, _err = run(*import_args(files, "--group-uid", GROUP_UID, "--dry-run"))
    assert "New: Weald Secondary Academy (URN 140102)" in out
    assert out.splitlines()[-1] == "Nothing was changed: this was a dry run."
    assert written() == (0, 0, 0)
    trust.refresh_from_db()
    assert trust.register_group_uid == ""


def test_it_lists_every_problem_with_file_row_and_column_and_writes_nothing(trust, tmp_path):
    rows = weald_establishments()
    rows[0]["URN"] = "12345"
    rows[3]["CloseDate"] = "31-13-2024"
    files = write_register(tmp_path, rows)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported: the files have 2 problems"):
        call_command(
            "import_gias", *import_args(files, "--group-uid", GROUP_UID), stdout=out, stderr=err
        )
    assert err.getvalue().splitlines() == [
        "- edubasealldata20250314.csv, row 2, column “URN”: “12345” is not a URN: a URN is 6 "
        "digits, from 100000 to 999999.",
        "- edubasealldata20250314.csv, row 5, column “CloseDate”: “31-13-2024” is not a date: "
        "the register writes dates as day-month-year, like 01-09-2021.",
    ]
    assert written() == (0, 0, 0)


def test_it_exits_non_zero_on_problems(trust, tmp_path, capsys, monkeypatch):
    # A command run from the command line closes the database connections when it ends,
    # which on PostgreSQL would close the test's own (and its transaction) before the check
    # below that nothing was written.
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)
    establishments, _links = write_register(tmp_path, establishments=b"URN,EstablishmentName\r\n")
    utility = ManagementUtility(
        [
            "manage.py",
            "import_gias",
            "--trust",
            "weald",
            "--establishments",
            str(establishments),
            "--group-uid",
            GROUP_UID,
        ]
    )
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code != 0
    captured = capsys.readouterr()
    assert "column “TypeOfEstablishment (name)”: The file has no" in captured.err
    assert "Nothing was imported: the files have 7 problems" in captured.err
    assert written() == (0, 0, 0)


def test_a_urn_of_another_trust_is_refused(trust, files):
    with scopes_disabled():
        SchoolFactory(urn="140101", name="Elsewhere", slug="elsewhere")
    with pytest.raises(CommandError, match="1 problem "):
        run(*import_args(files, "--group-uid", GROUP_UID))
    assert written() == (1, 0, 0)


def test_it_needs_a_group_uid_from_the_option_or_the_trust(trust, files):
    establishments, _links = files
    with pytest.raises(CommandError, match="has no group UID from the schools register"):
        run("--trust", "weald", "--establishments", str(establishments))
    with pytest.raises(CommandError, match="A group UID is a number"):
        run("--trust", "weald", "--establishments", str(establishments), "--group-uid", "TR03645")


def test_it_says_when_a_file_or_the_trust_cannot_be_found(trust, tmp_path):
    with pytest.raises(CommandError, match=r"Could not read .*missing\.csv"):
        run(
            "--trust",
            "weald",
            "--establishments",
            str(tmp_path / "missing.csv"),
            "--group-uid",
            "1",
        )
    with pytest.raises(CommandError, match="There is no trust with the short name “nowhere”"):
        run("--trust", "nowhere", "--establishments", "x.csv", "--group-uid", "1")
