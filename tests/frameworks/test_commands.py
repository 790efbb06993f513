"""The framework management commands: they say what they did, or every problem and fail."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coachloop.common.tenancy import trust_scope
from coachloop.frameworks.models import FrameworkVersion, ReferenceStatement, Step

pytestmark = pytest.mark.django_db


def run(*args, **kwargs):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def write(tmp_path, data, name="framework.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_import_reference_ecf_reads_the_shared_data_file_by_default(ecf_file):
    output = run("import_reference_ecf")
    assert "181 statements in 8 sections" in output
    assert ReferenceStatement.objects.count() == 181


def test_import_reference_ecf_takes_a_path_and_can_run_twice(ecf_file):
    run("import_reference_ecf", "--path", str(ecf_file))
    run("import_reference_ecf", "--path", str(ecf_file))
    assert ReferenceStatement.objects.count() == 181


def test_import_reference_ecf_fails_clearly_when_the_file_is_missing(settings, tmp_path):
    settings.COACHLOOP_ECF_FILE = tmp_path / "ecf-2019.json"
    with pytest.raises(CommandError, match="The ECF file was not found at .*ecf-2019.json"):
        run("import_reference_ecf")
    assert not ReferenceStatement.objects.exists()


def test_import_reference_ecf_reports_a_file_in_the_wrong_shape(tmp_path):
    path = write(tmp_path, {"standards": []}, name="ecf.json")
    with pytest.raises(CommandError, match="standards: missing or empty"):
        run("import_reference_ecf", "--path", str(path))


def test_load_starter_framework_loads_into_the_named_trust(trust, ecf):
    output = run("load_starter_framework", "--trust", trust.slug)
    assert output.strip() == (
        "Loaded Coachloop starter framework (coachloop-starter) version 1 (2026.1) into "
        "Riverside Learning Trust: 6 strands, 30 steps."
    )
    output = run("load_starter_framework", "--trust", trust.slug)
    assert "version 2" in output
    with trust_scope(trust):
        assert FrameworkVersion.objects.count() == 2


def test_load_starter_framework_without_the_ecf_says_to_import_it_first(trust, row_counts):
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        run("load_starter_framework", "--trust", trust.slug)
    assert "Nothing was loaded" in str(caught.value)
    assert "run manage.py import_reference_ecf" in str(caught.value)
    assert row_counts() == before


def test_load_framework_loads_a_file_and_prints_the_version(trust, document, tmp_path):
    path = write(tmp_path, document(slug="ours", strands=3, steps_per_strand=2))
    output = run("load_framework", str(path), "--trust", trust.slug)
    assert "Framework ours (ours) version 1 (2026.1)" in output
    assert "3 strands, 6 steps" in output
    with trust_scope(trust):
        assert Step.objects.count() == 6


def test_load_framework_reports_every_problem_and_loads_nothing(
    trust, document, tmp_path, row_counts
):
    data = document()
    data["strands"][0]["steps"][1]["code"] = "S1.1"
    del data["strands"][1]["steps"][0]["looks_like"]
    path = write(tmp_path, data)
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        run("load_framework", str(path), "--trust", trust.slug)
    assert str(caught.value).splitlines() == [
        "Nothing was loaded: the framework has 2 problems.",
        "  strands[1].steps[0].looks_like: missing",
        "  strands[0].steps[1].code: 'S1.1' is already used by strands[0].steps[0]",
    ]
    assert row_counts() == before


def test_load_framework_refuses_an_unknown_trust(document, tmp_path, db):
    path = write(tmp_path, document())
    with pytest.raises(CommandError, match="There is no trust with the short name 'nowhere'"):
        run("load_framework", str(path), "--trust", "nowhere")


def test_load_framework_refuses_a_file_that_is_not_json(trust, tmp_path):
    path = tmp_path / "framework.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        run("load_framework", str(path), "--trust", trust.slug)


def test_load_framework_refuses_a_missing_file(trust, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("load_framework", str(tmp_path / "missing.json"), "--trust", trust.slug)
