"""Evidence pages: adding files, links and pupil voice to a goal or a step, downloading a file
only through a view that checks who asks, and removing evidence."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from weasyprint import HTML

from coachloop.coaching.models import EvidenceItem
from coachloop.coaching.services import learning as learning_services
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "upload" / "Exit tickets week 3.pdf"
    path.parent.mkdir()
    path.write_bytes(HTML(string="<h1>Exit tickets</h1><p>Year 9 set 2</p>").write_pdf())
    return path


@pytest.fixture
def png_as_pdf(tmp_path):
    path = tmp_path / "upload" / "not really.pdf"
    path.parent.mkdir(exist_ok=True)
    Image.new("RGB", (8, 8)).save(path, "PNG")
    return path


def stored_files(media):
    return [p for p in Path(media).rglob("*") if p.is_file()] if Path(media).exists() else []


def make_goal(world, as_viewer, *, linked=True):
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        return learning_services.goal_create(
            viewer=viewer,
            title="Every pupil answers in full sentences",
            pupils="Year 9 set 2",
            evidence_kinds=["pupil_work"],
            review_on=TODAY + dt.timedelta(days=20),
            relationship=world.own.relationship if linked else None,
        )


def upload_to_goal(client, goal, path, **extra):
    url = reverse("coaching:goal_evidence_new", args=[goal.pk, "file"])
    with path.open("rb") as handle:
        return client.post(url, {"file": handle, "title": "", "note": "", **extra})


@pytest.fixture
def uploaded(client, world, as_viewer, media, pdf_file):
    """A PDF the teacher uploaded to a goal shared with their coach."""
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    upload_to_goal(client, goal, pdf_file)
    with scopes_disabled():
        return EvidenceItem.objects.select_related("goal").get()


def test_a_teacher_uploads_a_pdf_to_a_goal_and_sees_it_listed(
    client, world, as_viewer, media, pdf_file
):
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    response = upload_to_goal(client, goal, pdf_file)
    assert response.status_code == 302
    assert response.url == reverse("coaching:goal_detail", args=[goal.pk])
    page = client.get(response.url).content.decode()
    with scopes_disabled():
        item = EvidenceItem.objects.get()
    assert "Download Exit tickets week 3.pdf" in page
    assert reverse("coaching:evidence_download", args=[item.pk]) in page
    assert Path(item.file.name).name not in page  # the stored name is never shown
    assert len(stored_files(media)) == 1


def test_a_png_named_pdf_is_refused_on_the_page_and_nothing_is_stored(
    client, world, as_viewer, media, png_as_pdf
):
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    response = upload_to_goal(client, goal, png_as_pdf)
    assert response.status_code == 200
    assert "named as a PDF, but its content is a PNG image" in response.content.decode()
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_dropped_as_it_arrives_and_refused_with_the_limit_named(
    client, world, as_viewer, media, pdf_file, settings
):
    settings.COACHLOOP_EVIDENCE_MAX_BYTES = 1024
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    response = upload_to_goal(client, goal, pdf_file)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file “Exit tickets week 3.pdf” is too big: a file can be at most 1.0\xa0KB" in page
    assert "Choose a file to add." not in page
    assert stored_files(media) == []
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()


def test_the_upload_pages_still_check_the_csrf_token(world, as_viewer, media, pdf_file):
    goal = make_goal(world, as_viewer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.own.teacher)
    for url in (
        reverse("coaching:goal_evidence_new", args=[goal.pk, "file"]),
        reverse("coaching:step_evidence_new", args=[world.own.step.pk, "file"]),
    ):
        with pdf_file.open("rb") as handle:
            assert client.post(url, {"file": handle}).status_code == 403
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()


def test_posting_no_file_asks_for_one(client, world, as_viewer, media):
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    url = reverse("coaching:goal_evidence_new", args=[goal.pk, "file"])
    response = client.post(url, {"title": "Nothing"})
    assert "Choose a file to add." in response.content.decode()


def test_the_teacher_downloads_the_file_as_an_attachment_that_is_never_sniffed(
    client, world, uploaded, pdf_file
):
    response = client.get(reverse("coaching:evidence_download", args=[uploaded.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_file.read_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Exit tickets week 3.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_download_name_is_the_cleaned_name_whatever_was_uploaded(
    client, world, as_viewer, media, tmp_path
):
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    url = reverse("coaching:goal_evidence_new", args=[goal.pk, "file"])
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "..\\..\\windows\\system32\\board.png"
    response = client.post(url, {"file": buffer})
    assert response.status_code == 302, response.content.decode()
    with scopes_disabled():
        item = EvidenceItem.objects.get()
    assert item.original_name == "board.png"
    response = client.get(reverse("coaching:evidence_download", args=[item.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="board.png"'


def test_the_linked_coach_downloads_the_file_and_the_read_is_audited(client, world, uploaded):
    client.force_login(world.own.coach)
    response = client.get(reverse("coaching:evidence_download", args=[uploaded.pk]))
    assert response.status_code == 200
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            verb="read",
            actor=world.own.coach,
            subject=world.own.teacher,
            target_type="coaching.evidenceitem",
            target_id=str(uploaded.pk),
        ).exists()


@pytest.mark.parametrize(
    "persona", ["other_coach", "coaching_lead", "headteacher", "trust_lead", "administrator"]
)
def test_nobody_else_downloads_the_file(client, world, uploaded, persona):
    client.force_login(world.people[persona])
    response = client.get(reverse("coaching:evidence_download", args=[uploaded.pk]))
    assert response.status_code == 404


def test_another_schools_coach_gets_a_404_for_the_file(client, world, uploaded):
    client.force_login(world.other_school.coach)
    response = client.get(reverse("coaching:evidence_download", args=[uploaded.pk]))
    assert response.status_code == 404


def test_the_coach_cannot_download_evidence_on_a_goal_the_teacher_keeps_to_themselves(
    client, world, as_viewer, media, pdf_file
):
    goal = make_goal(world, as_viewer, linked=False)
    client.force_login(world.own.teacher)
    upload_to_goal(client, goal, pdf_file)
    with scopes_disabled():
        item = EvidenceItem.objects.get()
    client.force_login(world.own.coach)
    assert client.get(reverse("coaching:evidence_download", args=[item.pk])).status_code == 404


def test_a_former_coach_loses_the_file_when_the_read_period_ends(client, world, uploaded):
    relationship = world.own.relationship
    with scopes_disabled():
        relationship.finished_on = TODAY  # the file was added while the coaching ran
        relationship.coach_reads_until = TODAY
        relationship.save()
    client.force_login(world.own.coach)
    url = reverse("coaching:evidence_download", args=[uploaded.pk])
    assert client.get(url).status_code == 200
    with scopes_disabled():
        relationship.coach_reads_until = TODAY - dt.timedelta(days=1)
        relationship.save()
    assert client.get(url).status_code == 404


def test_the_coach_cannot_add_or_remove_the_teachers_evidence(client, world, uploaded):
    client.force_login(world.own.coach)
    new = reverse("coaching:goal_evidence_new", args=[uploaded.goal_id, "link"])
    assert client.get(new).status_code == 404
    remove = reverse("coaching:evidence_remove", args=[uploaded.pk])
    assert client.post(remove).status_code == 404
    with scopes_disabled():
        assert EvidenceItem.objects.filter(pk=uploaded.pk).exists()


def test_the_teacher_removes_a_file_and_it_is_gone_from_storage(
    client, world, uploaded, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:evidence_remove", args=[uploaded.pk]))
    assert response.url == reverse("coaching:goal_detail", args=[uploaded.goal_id])
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://video.example.org/lesson", "must start https://"),
        ("javascript:alert(1)", "must start https://"),
        ("https://", "Enter a full link"),
        ("https://teacher:secret@video.example.org/x", "Remove the name and password"),
        ("", "Enter the link, starting https://"),
    ],
)
def test_only_full_https_links_are_added(client, world, as_viewer, url, message):
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    response = client.post(
        reverse("coaching:goal_evidence_new", args=[goal.pk, "link"]),
        {"url": url, "title": "Lesson video"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    with scopes_disabled():
        assert not EvidenceItem.objects.exists()


def test_a_teacher_adds_a_lesson_video_link(client, world, as_viewer):
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    response = client.post(
        reverse("coaching:goal_evidence_new", args=[goal.pk, "link"]),
        {"url": "https://video.example.org/lesson-12", "title": "Lesson video, 12 March"},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'href="https://video.example.org/lesson-12" rel="noopener noreferrer nofollow"' in page


def test_pupil_voice_needs_what_pupils_said(client, world, as_viewer):
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    url = reverse("coaching:goal_evidence_new", args=[goal.pk, "pupil-voice"])
    response = client.post(url, {"title": "Exit tickets, 9X2", "note": ""})
    assert "Write what pupils said or did." in response.content.decode()
    page = client.get(url).content.decode()
    assert "No names" in page
    response = client.post(url, {"title": "Exit tickets, 9X2", "note": "“I know what to write”"})
    assert response.status_code == 302


def test_an_unknown_kind_of_evidence_is_a_404(client, world, as_viewer):
    goal = make_goal(world, as_viewer)
    client.force_login(world.own.teacher)
    url = reverse("coaching:goal_evidence_new", args=[goal.pk, "video"])
    assert client.get(url).status_code == 404


def test_evidence_on_a_step_is_added_by_the_teacher_and_read_by_their_coach(
    client, world, media, pdf_file
):
    step = world.own.step
    client.force_login(world.own.teacher)
    url = reverse("coaching:step_evidence_new", args=[step.pk, "file"])
    with pdf_file.open("rb") as handle:
        response = client.post(url, {"file": handle, "title": "Seating plan"})
    assert response.url == reverse("coaching:step_evidence", args=[step.pk])
    client.force_login(world.own.coach)
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Seating plan" in page.content.decode()
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            verb="read", actor=world.own.coach, target_type="coaching.actionstep"
        ).exists()


def test_a_teacher_cannot_add_evidence_to_someone_elses_step(client, world):
    client.force_login(world.own.teacher)
    for step in (world.other_school.step, world.other_trust_records.step):
        url = reverse("coaching:step_evidence_new", args=[step.pk, "link"])
        assert client.get(url).status_code == 404
    client.force_login(world.own.coach)
    url = reverse("coaching:step_evidence_new", args=[world.own.step.pk, "link"])
    assert client.get(url).status_code == 404


def test_my_evidence_lists_everything_the_teacher_added(client, world, uploaded):
    page = client.get(reverse("coaching:my_evidence")).content.decode()
    assert "Exit tickets week 3.pdf" in page
    assert "for the goal “Every pupil answers in full sentences”" in page


def test_a_stored_file_has_no_public_address(client, world, uploaded):
    """Only the download view sends files: nothing serves the media folder itself."""
    client.force_login(world.own.teacher)
    assert client.get(f"/media/{uploaded.file.name}").status_code == 404
    assert client.get(f"/{uploaded.file.name}").status_code == 404
