"""The subject-access download: everything held about a person in the trust, from every app,
and nothing about anyone else; for the person themself and for the trust's administrator,
both audited."""

import json

import pytest
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.personal_data import contributors
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.subject_access import bundle
from coachloop.programmes.models import Mark, Submission
from tests.people.personal_data_helpers import (
    OTHERS,
    THEIR_ESSAY,
    THEIRS,
    UNRELEASED_COMMENT,
    build,
    unzip,
)
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(media):
    return build(media)


def _download(demo, person):
    with trust_scope(demo.trust):
        return unzip(bundle(person, demo.trust))


def test_the_download_has_every_contributors_sections(demo):
    _archive, data = _download(demo, demo.teacher)
    apps_in_it = {section["key"].split(".")[0] for section in data["sections"]}
    assert apps_in_it == {label for label, _c in contributors()}


def test_it_holds_the_persons_records_from_every_app(demo):
    archive, data = _download(demo, demo.teacher)
    text = archive.read("records.json").decode()
    sections = {s["key"]: s["records"] for s in data["sections"]}
    assert THEIRS in text  # a drop-in of their coaching
    assert THEIR_ESSAY in text  # their programme work
    assert sections["coaching.groups"]  # their group coaching
    assert sections["rollout.cpd"]  # the twilights they were invited to
    assert sections["people.account"][0]["email"] == demo.teacher.email
    reads = [e for e in sections["people.audit_about"] if e["what"] == "read"]
    assert any(e["who"] == demo.coach.full_name for e in reads)  # who read their record
    assert sections["people.audit_by"]  # what they did
    evidence = [n for n in archive.namelist() if n.startswith("files/evidenceitem-")]
    assert b"their evidence" in [archive.read(n) for n in evidence]
    assert "records.html" in archive.namelist()


def test_it_never_holds_another_persons_content(demo):
    archive, _data = _download(demo, demo.teacher)
    assert OTHERS not in archive.read("records.json").decode()
    assert OTHERS not in archive.read("records.html").decode()


def test_marks_not_yet_released_are_left_out_with_the_reason(demo):
    _archive, data = _download(demo, demo.teacher)
    text = json.dumps(data, ensure_ascii=False)
    assert UNRELEASED_COMMENT not in text
    assert "Schedule 2, paragraph 25" in text
    with scopes_disabled():
        released = Mark.objects.filter(
            submission__enrolment__teacher=demo.teacher,
            submission__status=Submission.Status.RELEASED,
        )
        assert released.exists()
        assert all(mark.comments in text for mark in released)


def test_a_coach_gets_their_coaching_as_a_coach_and_not_their_teachers_notes(demo):
    _archive, data = _download(demo, demo.coach)
    sections = {s["key"]: s["records"] for s in data["sections"]}
    assert demo.teacher.full_name in [r["teacher"] for r in sections["coaching.as_coach"]]
    assert sections["coaching.reviews"]  # their own session reviews and learning log
    assert THEIRS not in json.dumps(data)


def test_a_person_downloads_their_own_data_and_it_is_recorded(demo, client):
    client.force_login(demo.teacher)
    assert client.get(reverse("my_data")).status_code == 200
    response = client.get(reverse("my_data_download"))
    assert response["Content-Type"] == "application/zip"
    _archive, data = unzip(response.content)
    assert data["person"]["email"] == demo.teacher.email
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            actor=demo.teacher, subject=demo.teacher, verb="person.data_downloaded"
        ).exists()


def test_an_administrators_download_is_a_read_the_person_sees(demo, client):
    client.force_login(demo.administrator)
    url = reverse("person_data_download", args=[demo.teacher.pk])
    _archive, data = unzip(client.get(url).content)
    assert THEIRS in json.dumps(data)
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            actor=demo.administrator, subject=demo.teacher, verb="read"
        ).exists()


@pytest.mark.django_db
def test_another_trusts_person_is_not_found():
    world = build_world()
    from django.test import Client

    client = Client()
    client.force_login(world.people["administrator"])
    stranger = world.other_trust_records.teacher
    for name in ("person_data", "person_data_download", "person_erase"):
        assert client.get(reverse(name, args=[stranger.pk])).status_code == 404
