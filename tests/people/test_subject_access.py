"""The subject-access download: everything held about a person in the trust, from every app,
and nothing about anyone else; for the person themself and for the trust's administrator,
both audited."""

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from coachloop.coaching.models import CoachingGroup, GroupMember, GroupSession
from coachloop.common.models import AuditEvent
from coachloop.common.personal_data import contributors
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Membership, SignIn
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
    reads = [e for e in sections["people.audit_about"] if e["what"] == "Read"]
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
    assert data["person"]["email"] == demo.teacher.email
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


def _sign_in_and_a_second_address(person):
    with scopes_disabled():
        SignIn.objects.create(person=person, device="Sign-in-device-c0de", method="password")
        EmailAddress.objects.create(user=person, email="second-address-5e1f@example.org")


def test_the_administrators_copy_leaves_out_coaching_content_and_account_details(demo, client):
    """Administrators configure; they do not read content (the privacy tiers). Each section
    left out is there, empty, saying what is left out and where the person gets it."""
    _sign_in_and_a_second_address(demo.teacher)
    client.force_login(demo.administrator)
    url = reverse("person_data_download", args=[demo.teacher.pk])
    archive, data = unzip(client.get(url).content)
    text = archive.read("records.json").decode() + archive.read("records.html").decode()
    for secret in (THEIRS, THEIR_ESSAY, "Sign-in-device-c0de", "second-address-5e1f"):
        assert secret not in text
    assert not [n for n in archive.namelist() if n.startswith("files/")]
    sections = {s["key"]: s for s in data["sections"]}
    for key in ("coaching.teacher_record", "coaching.reviews", "people.sign_ins"):
        assert sections[key]["records"] == []
        assert "“Your data”" in sections[key]["note"]
    assert "“Your data”" in sections["programmes.enrolments"]["note"]
    assert sections["programmes.enrolments"]["records"]  # listed, without the work
    assert "two_step_methods" not in sections["people.account"]["records"][0]


def test_the_persons_own_copy_keeps_their_content_and_account_details(demo, client):
    _sign_in_and_a_second_address(demo.teacher)
    client.force_login(demo.teacher)
    archive, data = unzip(client.get(reverse("my_data_download")).content)
    text = archive.read("records.json").decode()
    for secret in (THEIRS, THEIR_ESSAY, "Sign-in-device-c0de", "second-address-5e1f"):
        assert secret in text
    assert [n for n in archive.namelist() if n.startswith("files/")]


def test_the_audit_trail_does_not_tell_a_student_their_unreleased_marks_or_markers(demo):
    with scopes_disabled():
        submission = (
            Submission.objects.filter(
                enrolment__teacher=demo.teacher,
                status__in=[Submission.Status.IN_MARKING, Submission.Status.IN_REVIEW],
            ).first()
            or Submission.objects.filter(enrolment__teacher=demo.teacher)
            .exclude(status=Submission.Status.RELEASED)
            .first()
        )
        for verb, summary in (
            ("submission.marked", "agreed 64"),
            ("submission.moderated", "changed to 58"),
            ("submission.marker_replaced", f"second marker: person {demo.coach.pk}"),
            ("read", "second marking"),
        ):
            AuditEvent.objects.create(
                trust=demo.trust,
                actor=demo.coach,
                subject=demo.teacher,
                verb=verb,
                target_type="programmes.submission",
                target_id=str(submission.pk),
                summary=summary,
            )
    _archive, data = _download(demo, demo.teacher)
    about = {s["key"]: s["records"] for s in data["sections"]}["people.audit_about"]
    on_it = [e for e in about if e["record"] == f"programmes.submission {submission.pk}"]
    assert len(on_it) == 4
    # Without the times, which may hold "58" or "64" by chance.
    text = json.dumps([{k: v for k, v in e.items() if k != "when"} for e in on_it])
    for withheld in ("64", "58", f"person {demo.coach.pk}", demo.coach.full_name):
        assert withheld not in text
    assert {e["what"] for e in on_it} >= {"Submission moderated", "Read"}


def test_a_groups_sessions_are_only_those_met_while_the_person_was_in_it(demo):
    """As on the group's page: what was said before someone joined, or after they left,
    stays with the people who were there."""
    day = dt.date(2025, 9, 1)
    with scopes_disabled():
        school = Membership.objects.filter(user=demo.teacher).first().school
        group = CoachingGroup.objects.create(
            trust=demo.trust,
            school=school,
            kind=CoachingGroup.Kind.ACTION_LEARNING_SET,
            name="Set for the test",
            started_on=day,
            facilitator=demo.coach,
            created_by=demo.coach,
        )
        GroupMember.objects.create(
            trust=demo.trust, group=group, person=demo.teacher, joined_on=day + dt.timedelta(20)
        )
        GroupMember.objects.create(
            trust=demo.trust,
            group=group,
            person=demo.other_teacher,
            joined_on=day,
            left_on=day + dt.timedelta(30),
        )
        for days, words in ((10, "Before-they-joined-1a"), (40, "After-the-other-left-2b")):
            GroupSession.objects.create(
                trust=demo.trust,
                group=group,
                met_on=day + dt.timedelta(days),
                problem=words,
                recorded_by=demo.coach,
            )
    joiner = json.dumps(_download(demo, demo.teacher)[1])
    assert "Before-they-joined-1a" not in joiner and "After-the-other-left-2b" in joiner
    leaver = json.dumps(_download(demo, demo.other_teacher)[1])
    assert "Before-they-joined-1a" in leaver and "After-the-other-left-2b" not in leaver
    facilitator = json.dumps(_download(demo, demo.coach)[1])
    assert "Before-they-joined-1a" in facilitator and "After-the-other-left-2b" in facilitator


def test_the_persons_own_copy_lists_their_admin_site_changes_and_counts_their_form_tokens(
    demo, client
):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from coachloop.common.models import FormSubmission

    LogEntry.objects.create(
        user=demo.teacher,
        content_type=ContentType.objects.get_for_model(Membership),
        object_id="77",
        object_repr="Someone else – Teacher – Riverside",
        action_flag=CHANGE,
        change_message="[]",
    )
    FormSubmission.objects.create(token="t" * 22, user=demo.teacher, redirect_to="/me/goals/")
    client.force_login(demo.teacher)
    _archive, data = unzip(client.get(reverse("my_data_download")).content)
    (account,) = [s for s in data["sections"] if s["key"] == "people.account"]
    details = account["records"][0]
    assert details["admin_site_changes"][0]["record"] == "people.membership 77"
    assert "Someone else" not in json.dumps(details)
    assert details["forms_sent_this_week"] == 1
