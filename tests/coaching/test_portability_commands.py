"""The operator's commands: ``export_teacher EMAIL`` and ``import_teacher FILE --trust SLUG``."""

import io
import json

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from coachloop.coaching.models import Relationship
from coachloop.coaching.services.portability import EXPORTED, IMPORTED
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.coaching.portability_fixtures import (
    counts_of_every_table,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_teacher_writes_the_record_as_json_to_standard_output(world, rich):
    out, err = run("export_teacher", "Teacher-A1@example.org")
    document = json.loads(out)
    assert document["teacher"]["email"] == "teacher-a1@example.org"
    assert len(document["relationships"]) == 4
    assert err == ""
    with scopes_disabled():
        event = AuditEvent.objects.get(verb=EXPORTED)
    assert (event.actor, event.subject, event.trust) == (None, rich.teacher, world.trust)
    assert event.summary == "JSON, by an operator's command"


def test_export_teacher_can_write_the_pdf_too(world, rich, tmp_path):
    out, _err = run("export_teacher", rich.teacher.email, "--pdf", str(tmp_path / "r.pdf"))
    assert json.loads(out)["teacher"]["name"] == "Teacher a1"
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb=EXPORTED).count() == 2


def test_export_teacher_refuses_an_unknown_email_address(world):
    with pytest.raises(CommandError, match="Nobody has the email address nobody@example.org"):
        run("export_teacher", "nobody@example.org")


def test_export_teacher_exits_non_zero_with_the_reason_on_standard_error(world, capsys):
    utility = ManagementUtility(["manage.py", "export_teacher", "nobody@example.org"])
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    captured = capsys.readouterr()
    assert exit_.value.code != 0
    assert "Nobody has the email address nobody@example.org" in captured.err
    assert captured.out == ""


def test_export_teacher_needs_a_trust_for_someone_with_records_in_several(world, rich):
    with scopes_disabled():
        Membership.objects.create(
            trust=world.other_trust,
            school=world.other_trust_records.school,
            user=rich.teacher,
            role=Role.TEACHER,
        )
    with pytest.raises(CommandError, match=r"several trusts \(trust-a, trust-b\).*--trust"):
        run("export_teacher", rich.teacher.email)
    out, _err = run("export_teacher", rich.teacher.email, "--trust", "trust-b")
    assert json.loads(out)["trust"] == "Trust B"
    assert json.loads(out)["relationships"] == []
    with pytest.raises(CommandError, match="no records in “trust-c”"):
        run("export_teacher", rich.teacher.email, "--trust", "trust-c")


def test_import_teacher_imports_the_file_and_prints_what_arrived(world, rich, tmp_path):
    out, _err = run("export_teacher", rich.teacher.email)
    path = tmp_path / "record.json"
    path.write_text(out)
    out, err = run("import_teacher", str(path), "--trust", "trust-b")
    assert "Imported the record of Teacher a1 <teacher-a1@example.org> into Trust B:" in out
    assert "  Coaching relationships: 4" in out
    assert "  Drop-ins: 2" in out
    assert "They already had an account; no role was given or changed." in out
    assert err == ""
    with scopes_disabled():
        assert Relationship.objects.filter(trust=world.other_trust).count() == 5  # B1's own + 4
        event = AuditEvent.objects.get(verb=IMPORTED)
    assert (event.actor, event.trust) == (None, world.other_trust)


def test_import_teacher_lists_every_problem_and_writes_nothing(world, rich, tmp_path):
    out, _err = run("export_teacher", rich.teacher.email)
    document = json.loads(out)
    document["goals"][0]["review_on"] = "next week"
    document["relationships"][0]["started_on"] = None
    path = tmp_path / "record.json"
    path.write_text(json.dumps(document))
    before = counts_of_every_table()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: the file has 2 problems"):
        call_command("import_teacher", str(path), "--trust", "trust-b", stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0] == "- coaching relationship 1 › started_on: This cannot be empty."
    assert lines[1].startswith("- goal 1 › review_on: ")
    assert counts_of_every_table() == before


def test_import_teacher_exits_non_zero_on_a_problem(world, tmp_path, capsys):
    path = tmp_path / "record.json"
    path.write_text('{"format": "coachloop.teacher-record", "version": 7}')
    utility = ManagementUtility(["manage.py", "import_teacher", str(path), "--trust", "trust-b"])
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert "- version: Version 7 of the format cannot be read here" in err
    assert "Nothing was imported: the file has 1 problem (listed above)." in err


def test_import_teacher_refuses_an_unknown_trust_or_a_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="no trust with the short name “nowhere”"):
        run("import_teacher", str(tmp_path / "x.json"), "--trust", "nowhere")
    with pytest.raises(CommandError, match="Could not read"):
        run("import_teacher", str(tmp_path / "missing.json"), "--trust", "trust-b")
