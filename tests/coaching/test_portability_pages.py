"""A trust's administrator brings in the record of a teacher who joins from elsewhere."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coachloop.coaching.models import Relationship
from coachloop.coaching.portability.export import document_bytes
from coachloop.coaching.services.portability import IMPORTED, teacher_record_import
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.queries import viewer_for
from tests.coaching.portability_fixtures import counts_of_every_table, export
from tests.upload_files import TEST_VIRUS
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db

URL = reverse("coaching:portability_import")


def record_from_trust_b(world):
    """The file a teacher from trust B brings to trust A."""
    return export(world.other_trust_records.teacher, world.other_trust)


def upload(document, name="record.json"):
    return SimpleUploadedFile(name, document_bytes(document), content_type="application/json")


def test_the_administrator_imports_a_record_and_sees_what_arrived_but_not_what_it_says(
    admin_client, world
):
    response = admin_client.post(URL, {"record": upload(record_from_trust_b(world))})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Record imported" in page
    assert "Teacher b1 (teacher-b1@example.org)" in page
    assert dict(response.context["counts"])["Coaching relationships"] == 1
    assert dict(response.context["counts"])["Drop-ins"] == 1
    assert SECRET_NOTE not in page
    with scopes_disabled():
        imported = Relationship.objects.get(
            trust=world.trust, teacher=world.other_trust_records.teacher
        )
        event = AuditEvent.objects.get(verb=IMPORTED)
    assert imported.imported_from == "School B1, Trust B"
    assert event.actor == world.people["administrator"]


def test_a_broken_file_shows_every_problem_and_nothing_is_written(admin_client, world):
    document = record_from_trust_b(world)
    document["relationships"][0]["dropins"][0]["minutes"] = "twelve"
    document["relationships"][0]["action_steps"][0]["status"] = "nearly"
    before = counts_of_every_table()
    response = admin_client.post(URL, {"record": upload(document)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The record was not imported: the file has 2 problems" in page
    assert "coaching relationship 1 › action step 1 › status" in page
    assert "coaching relationship 1 › drop-in 1 › minutes" in page
    assert counts_of_every_table() == before


def test_a_file_that_is_not_json_is_refused_clearly(admin_client, world):
    response = admin_client.post(
        URL, {"record": SimpleUploadedFile("photo.json", b"\x89PNG\r\n\x1a\n\x00\x00")}
    )
    assert "The file is not text in UTF-8" in response.content.decode()


def test_posting_without_a_file_asks_for_one(admin_client, world):
    response = admin_client.post(URL, {})
    assert "Choose the record file to import." in response.content.decode()


def test_the_same_file_twice_is_refused_the_second_time(admin_client, world):
    document = record_from_trust_b(world)
    admin_client.post(URL, {"record": upload(document)})
    response = admin_client.post(URL, {"record": upload(document)})
    assert "This file was already imported into Trust A" in response.content.decode()
    with scopes_disabled():
        assert (
            Relationship.objects.filter(
                trust=world.trust, teacher=world.other_trust_records.teacher
            ).count()
            == 1
        )


def test_only_an_administrator_of_the_trust_may_import_through_the_service(world):
    raw = json.dumps(record_from_trust_b(world))
    for persona in ("coaching_lead", "trust_lead", "headteacher", "teacher"):
        viewer = viewer_for(world.people[persona])
        with pytest.raises(PermissionDenied):
            teacher_record_import(viewer=viewer, trust=world.trust, raw=raw)
    administrator = viewer_for(world.people["administrator"])
    with pytest.raises(PermissionDenied):
        teacher_record_import(viewer=administrator, trust=world.other_trust, raw=raw)


def test_a_record_file_the_virus_check_finds_is_refused_and_nothing_is_written(
    admin_client, world, virus_check
):
    before = counts_of_every_table()
    planted = b'{"format": "' + TEST_VIRUS + b'"}'
    response = admin_client.post(URL, {"record": SimpleUploadedFile("record.json", planted)})

    assert response.status_code == 200
    assert "The virus check found something harmful in the file “record.json”" in (
        response.content.decode()
    )
    assert counts_of_every_table() == before
