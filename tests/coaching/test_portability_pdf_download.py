"""The record as a PDF: asked for, made by the task worker while its page follows it, then
downloaded by the teacher alone (common.downloads)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coachloop.coaching.services.portability import EXPORTED
from coachloop.common import downloads
from coachloop.common.models import AuditEvent, PreparedDownload
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people import personal_data as people_personal_data
from tests.coaching.test_portability_export import pdf_text
from tests.pdf_tagging import tagging_of

pytestmark = pytest.mark.django_db


def ask_for_pdf(client, person, capture):
    client.force_login(person)
    with capture(execute=True):
        response = client.post(reverse("coaching:portability_pdf"))
    assert response.status_code == 302
    with scopes_disabled():
        download = PreparedDownload.objects.filter(owner=person).latest("pk")
    assert response["Location"] == reverse("downloads:page", args=[download.pk])
    return download


def made(download):
    assert downloads.download_build(download.pk) == PreparedDownload.Status.READY
    return download


def test_asking_for_the_pdf_goes_straight_to_its_page_and_queues_the_work(
    client, world, rich, django_capture_on_commit_callbacks
):
    download = ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks)
    [task] = DBTaskResult.objects.filter(task_path__endswith="download_build_task")
    assert task.args_kwargs["args"] == [download.pk]
    page = client.get(reverse("downloads:page", args=[download.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your file is being made" in text
    assert reverse("downloads:progress", args=[download.pk]) in text
    assert 'href="/me/my-record/"' in text  # back to the page it came from
    with scopes_disabled():
        [event] = AuditEvent.objects.filter(verb=EXPORTED, subject=rich.teacher)
    assert (event.actor, event.summary) == (rich.teacher, "PDF")


def test_the_page_asks_every_second_until_the_file_is_made_then_reloads(
    client, world, rich, django_capture_on_commit_callbacks
):
    download = ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks)
    progress = reverse("downloads:progress", args=[download.pk])
    waiting = client.get(progress)
    assert waiting.status_code == 200 and 'hx-trigger="every 1s"' in waiting.content.decode()
    made(download)
    done = client.get(progress)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_once_made_the_page_offers_the_file_which_is_the_teachers_tagged_record(
    client, world, rich, django_capture_on_commit_callbacks
):
    download = made(ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks))
    page = client.get(reverse("downloads:page", args=[download.pk])).content.decode()
    assert "Your file is ready" in page
    response = client.get(reverse("downloads:file", args=[download.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="coachloop-record-')
    assert b"Coaching record: Teacher a1" in pdf_text(response.content)
    assert tagging_of(response.content)["marked"]


def test_neither_the_page_nor_the_file_is_kept_in_caches(
    client, world, rich, django_capture_on_commit_callbacks
):
    download = made(ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks))
    for name in ("downloads:page", "downloads:file"):
        response = client.get(reverse(name, args=[download.pk]))
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_file_is_not_offered_before_it_is_made(
    client, world, rich, django_capture_on_commit_callbacks
):
    download = ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks)
    response = client.get(reverse("downloads:file", args=[download.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("downloads:page", args=[download.pk])


def test_nobody_else_reaches_the_teachers_download_not_even_their_coach(
    client, world, rich, django_capture_on_commit_callbacks
):
    download = made(ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks))
    for person in (
        world.own.coach,
        world.other_trust_records.teacher,
        world.people["coaching_lead"],
    ):
        client.force_login(person)
        for name in ("downloads:page", "downloads:progress", "downloads:file"):
            assert client.get(reverse(name, args=[download.pk])).status_code == 404, name


def test_making_it_twice_makes_it_once(client, world, rich, django_capture_on_commit_callbacks):
    download = made(ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks))
    assert downloads.download_build(download.pk) == "nothing to make"


def test_a_file_that_cannot_be_made_says_so_and_offers_nothing(
    client, world, rich, django_capture_on_commit_callbacks, monkeypatch
):
    download = ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks)

    def broken(download):
        raise RuntimeError("the fonts are missing")

    monkeypatch.setitem(downloads._BUILDERS, download.kind, broken)
    assert downloads.download_build(download.pk) == PreparedDownload.Status.FAILED
    page = client.get(reverse("downloads:page", args=[download.pk])).content.decode()
    assert "The file could not be made" in page
    assert client.get(reverse("downloads:file", args=[download.pk])).status_code == 302


def test_the_page_says_when_nothing_has_happened_for_two_minutes(
    client, world, rich, django_capture_on_commit_callbacks
):
    download = ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks)
    with scopes_disabled():
        PreparedDownload.objects.filter(pk=download.pk).update(
            created_at=timezone.now() - dt.timedelta(minutes=3)
        )
    page = client.get(reverse("downloads:page", args=[download.pk])).content.decode()
    assert "manage.py db_worker" in page


def test_downloads_are_deleted_a_day_after_they_were_asked_for(
    client, world, rich, django_capture_on_commit_callbacks
):
    old = made(ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks))
    with scopes_disabled():
        PreparedDownload.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=1, minutes=1)
        )
    new = ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks)
    with scopes_disabled():
        assert list(PreparedDownload.objects.values_list("pk", flat=True)) == [new.pk]
    assert client.get(reverse("downloads:page", args=[old.pk])).status_code == 404


def test_the_pdf_is_asked_for_by_posting_never_by_following_a_link(client, world, rich):
    client.force_login(rich.teacher)
    assert client.get(reverse("coaching:portability_pdf")).status_code == 405
    page = client.get(reverse("coaching:portability_download")).content.decode()
    assert f'<form method="post" action="{reverse("coaching:portability_pdf")}"' in page


def test_the_daily_work_deletes_downloads_asked_for_more_than_a_day_ago(
    client, world, rich, django_capture_on_commit_callbacks
):
    old = made(ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks))
    recent = ask_for_pdf(client, world.own.coach, django_capture_on_commit_callbacks)
    with scopes_disabled():
        PreparedDownload.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=1, minutes=1)
        )
    out = io.StringIO()
    call_command("enqueue_daily_work", stdout=out)
    assert "Deleted 1 prepared download(s) older than a day." in out.getvalue()
    with scopes_disabled():
        assert list(PreparedDownload.objects.values_list("pk", flat=True)) == [recent.pk]


def test_erasing_a_person_deletes_their_downloads(
    client, world, rich, django_capture_on_commit_callbacks
):
    download = made(ask_for_pdf(client, rich.teacher, django_capture_on_commit_callbacks))
    with trust_scope(world.trust):
        counts = people_personal_data.erase(rich.teacher, world.trust)
    assert counts["Files made to download"] == 1
    with scopes_disabled():
        assert not PreparedDownload.objects.filter(pk=download.pk).exists()
