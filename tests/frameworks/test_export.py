"""A framework version exports in the format the loader reads, so export → import is a round
trip: the version loaded from an export exports to the same document."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.frameworks import services
from coachloop.frameworks.exporter import framework_document
from coachloop.frameworks.loader import parse_framework, starter_framework_data
from coachloop.frameworks.models import FrameworkVersion, Step
from tests.factories import SchoolFactory


def load(trust, data):
    with trust_scope(trust):
        return services.framework_load(trust=trust, data=data)


def export(trust, version):
    with trust_scope(trust):
        return framework_document(version)


def _normalised(data):
    """A document as the loader reads it (spaces trimmed, empty optional fields left out), each
    step's statements in a fixed order: Coachloop keeps which statements a step maps to, not
    the order the file listed them in (an export lists them in the reference's own order)."""
    parsed = parse_framework(data)
    return [
        (
            strand.code,
            strand.title,
            strand.summary,
            step.code,
            step.title,
            step.looks_like,
            step.why_it_works,
            step.how_to_rehearse,
            {slug: sorted(codes) for slug, codes in step.maps_to.items()},
        )
        for strand in parsed.strands
        for step in strand.steps
    ] + [(parsed.slug, parsed.name, parsed.version_label, parsed.description)]


def test_the_starter_framework_exports_as_the_file_it_was_loaded_from(starter, trust):
    exported = export(trust, starter)
    assert _normalised(exported) == _normalised(starter_framework_data())
    assert exported["strands"][0]["steps"][0]["maps_to"]["ecf-2019"]


def test_an_exported_framework_loads_back_to_an_identical_version_with_its_mappings(
    starter, trust, other_trust
):
    exported = export(trust, starter)
    again = load(other_trust, exported)  # another trust: nothing shared with the first
    assert export(other_trust, again) == exported
    reloaded = load(trust, exported)  # the same trust: the next version of the framework
    assert reloaded.number == starter.number + 1
    assert export(trust, reloaded) == exported


def test_a_framework_without_mappings_or_optional_fields_round_trips(trust, document):
    data = document()
    del data["version_label"], data["description"], data["strands"][0]["summary"]
    version = load(trust, data)
    exported = export(trust, version)
    assert exported == data
    assert export(trust, load(trust, exported)) == exported


def test_a_schools_own_steps_are_left_out_of_the_export(trust, document):
    version = load(trust, document())
    with scopes_disabled():
        strand = version.strands.first()
        Step.objects.create(
            trust=trust,
            strand=strand,
            school=SchoolFactory(trust=trust),
            code="SCHOOL1",
            title="A school's own step",
            looks_like="-",
            why_it_works="-",
            how_to_rehearse="-",
            position=99,
        )
    codes = [s["code"] for strand in export(trust, version)["strands"] for s in strand["steps"]]
    assert "SCHOOL1" not in codes
    assert len(codes) == 4


def test_the_export_runs_three_queries_whatever_the_frameworks_size(starter, trust):
    with trust_scope(trust), CaptureQueriesContext(connection) as captured:
        framework_document(starter)
    assert len(captured) == 3


def test_the_library_offers_each_version_as_a_file_that_loads_back(
    client, starter, trust, other_trust, member
):
    client.force_login(member)
    page = client.get(reverse("frameworks:library")).content.decode()
    url = reverse("frameworks:version_json", args=[starter.pk])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{starter.framework.slug}-version-1.json"'
    )
    data = json.loads(response.content)
    assert export(other_trust, load(other_trust, data)) == data


def test_another_trusts_version_is_not_found(client, trust, other_trust, document, member):
    theirs = load(other_trust, document())
    client.force_login(member)
    assert client.get(reverse("frameworks:version_json", args=[theirs.pk])).status_code == 404


def test_the_command_writes_a_file_that_load_framework_reads_back(
    tmp_path, starter, trust, other_trust
):
    path = tmp_path / "framework.json"
    call_command(
        "export_framework",
        "--trust",
        trust.slug,
        "--slug",
        starter.framework.slug,
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    call_command("load_framework", str(path), "--trust", other_trust.slug, stdout=io.StringIO())
    with scopes_disabled():
        again = FrameworkVersion.objects.get(trust=other_trust)
    assert export(other_trust, again) == export(trust, starter)


def test_the_command_names_a_framework_or_version_that_does_not_exist(trust, document):
    load(trust, document())
    with pytest.raises(CommandError, match="no framework 'small' with version 7"):
        call_command("export_framework", "--trust", trust.slug, "--slug", "small", "--number", "7")
