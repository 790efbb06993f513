"""Download my record: the person's own record only, as JSON and as a readable PDF, audited."""

import base64
import datetime as dt
import hashlib
import json
import re
import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import DropIn, Goal, GoalProgress, Relationship
from coachloop.coaching.portability.export import build_document
from coachloop.coaching.portability.format import FORMAT, VERSION
from coachloop.coaching.portability.pdf import (
    STATIC_PREFIX,
    record_html,
    render_record_pdf,
    static_files_only,
)
from coachloop.coaching.queries.portability import teacher_record
from coachloop.coaching.services.portability import EXPORTED
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from tests.coaching.portability_fixtures import (
    PDF_BYTES,
)
from tests.factories import ActionStepFactory, DropInFactory, RehearsalFactory
from tests.pdf_tagging import tagging_of
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db


def pdf_text(body):
    """Every stream of a PDF, inflated, so a test can look for words in its metadata."""
    found = [body]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(found)


def exports_of(user):
    with scopes_disabled():
        return list(AuditEvent.objects.filter(verb=EXPORTED, subject=user).order_by("pk"))


# -- the page and the downloads ---------------------------------------------------------------


def test_the_download_page_says_what_the_record_holds_and_offers_both_files(client, world, rich):
    client.force_login(rich.teacher)
    response = client.get(reverse("coaching:portability_download"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Download my record" in page
    assert reverse("coaching:portability_json") in page
    assert reverse("coaching:portability_pdf") in page
    summary = response.context["summary"]
    # Four coaching periods as a teacher (not the one where they coach their peer), the
    # recorded drop-ins only (not the coach's draft).
    assert (summary.relationships, summary.dropins, summary.goals) == (4, 2, 2)
    assert (summary.reflections, summary.evidence) == (3, 4)
    assert "Group coaching sessions" in page


def test_the_teacher_downloads_their_record_as_json_and_the_download_is_audited(
    client, world, rich
):
    client.force_login(rich.teacher)
    response = client.get(reverse("coaching:portability_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="coachloop-record-teacher-a1-\d{4}-\d{2}-\d{2}\.json"',
        response["Content-Disposition"],
    )
    document = json.loads(response.content)
    assert (document["format"], document["version"]) == (FORMAT, VERSION)
    assert document["teacher"] == {"name": "Teacher a1", "email": "teacher-a1@example.org"}
    assert document["trust"] == "Trust A"
    assert dt.datetime.fromisoformat(document["exported_at"]).tzinfo is not None
    assert SECRET_NOTE.encode() in response.content  # their own drop-in's notes
    pdf = next(i for i in document["evidence"] if i["original_name"] == "starter tally.pdf")
    assert base64.b64decode(pdf["file"]["content_base64"]) == PDF_BYTES
    assert pdf["file"]["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    [event] = exports_of(rich.teacher)
    assert (event.actor, event.trust, event.summary) == (rich.teacher, world.trust, "JSON")


def test_a_coach_downloads_only_their_own_record_never_their_coachees(client, world, rich):
    coach = world.own.coach
    client.force_login(coach)
    document = json.loads(client.get(reverse("coaching:portability_json")).content)
    assert document["teacher"]["email"] == coach.email
    assert document["relationships"] == [] and document["goals"] == []
    assert SECRET_NOTE not in json.dumps(document)
    assert exports_of(rich.teacher) == []


def test_nothing_in_the_address_can_ask_for_someone_elses_record(client, world, rich):
    client.force_login(world.own.coach)
    for query in ("?email=teacher-a1@example.org", f"?teacher={rich.teacher.pk}"):
        response = client.get(reverse("coaching:portability_json") + query)
        assert json.loads(response.content)["teacher"]["email"] == world.own.coach.email


def test_someone_with_nothing_recorded_is_told_the_download_will_be_almost_empty(client, world):
    client.force_login(world.people["headteacher"])
    response = client.get(reverse("coaching:portability_download"))
    assert response.context["summary"].is_empty
    assert "Nothing is recorded about your coaching here yet" in response.content.decode()


def test_the_downloads_are_not_kept_in_caches(client, rich):
    client.force_login(rich.teacher)
    response = client.get(reverse("coaching:portability_json"))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_download_cannot_be_posted_to(client, rich):
    client.force_login(rich.teacher)
    assert client.post(reverse("coaching:portability_json")).status_code == 405


# -- what the export reads --------------------------------------------------------------------


def _queries_to_export(teacher, trust):
    with trust_scope(trust), CaptureQueriesContext(connection) as queries:
        record = teacher_record(teacher=teacher, trust=trust)
        build_document(record)
        record_html(record)
    return len(queries)


def _more_of_everything(world, rich):
    """Another coaching period with steps, rehearsals and drop-ins, and more goals."""
    own = world.own
    today = timezone.localdate()
    with scopes_disabled():
        extra = Relationship.objects.create(
            trust=world.trust,
            school=own.school,
            coach=world.people["other_coach"],
            teacher=rich.teacher,
            started_on=today - dt.timedelta(days=800),
            finished_on=today - dt.timedelta(days=500),
        )
        for n in range(3):
            step = ActionStepFactory(
                relationship=extra,
                framework_step=own.framework_step,
                set_on=today - dt.timedelta(days=790 - n),
                closed_on=today - dt.timedelta(days=600 - n),
                outcome="embedded",
            )
            RehearsalFactory(action_step=step)
            DropInFactory(relationship=extra, followup_step=step, followup="habit")
        for n in range(3):
            goal = Goal.objects.create(
                trust=world.trust,
                teacher=rich.teacher,
                title=f"Goal {n}",
                pupils="9X",
                review_on=today,
                created_by=world.own.coach,
                created_at=timezone.now(),
            )
            GoalProgress.objects.create(
                trust=world.trust,
                goal=goal,
                written_on=today,
                note="Better.",
                written_by=world.own.coach,
            )


def test_the_export_reads_a_fixed_number_of_queries_however_long_the_record(world, rich):
    before = _queries_to_export(rich.teacher, world.trust)
    _more_of_everything(world, rich)
    after = _queries_to_export(rich.teacher, world.trust)
    assert before == after <= 12


# -- the PDF ----------------------------------------------------------------------------------


def test_the_pdf_has_a_heading_per_section_and_british_dates(world, rich):
    with trust_scope(world.trust):
        record = teacher_record(teacher=rich.teacher, trust=world.trust)
        html = record_html(record, exported_at=timezone.make_aware(dt.datetime(2025, 11, 20, 9)))
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings == ["Coaching", "Goals", "Reflections", "Evidence", "Stages"]
    assert "From Trust A, on 20 November 2025." in html
    set_on = record.relationships[0].action_steps.all()[0].set_on
    assert f"{set_on.day} {set_on:%B %Y}" in html
    assert "Learning agreement" in html and "Version 2" in html
    assert "Drop-ins" in html and "Steps you proposed" in html
    assert "Pupils&#x27; work" in html or "Pupils' work" in html
    assert "Advanced beginner" in html
    assert "Why the starts drift" in html


def test_the_pdf_fetches_nothing_from_the_network_or_the_servers_files():
    fetcher = static_files_only()()
    for url in (
        "https://example.org/tracker.png",
        "http://127.0.0.1:8000/static/coachloop/coachloop.css",
        "file:///etc/passwd",
        f"{STATIC_PREFIX}../../settings.py",
        "data:text/css,body{}",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_pdf_reads_coachloops_own_static_files(settings, tmp_path):
    (tmp_path / "print.css").write_text("body { color: black; }")
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_DIRS = []
    response = static_files_only()().fetch(f"{STATIC_PREFIX}print.css")
    assert response.read() == b"body { color: black; }"


def test_text_in_a_record_cannot_make_the_pdf_fetch_anything(world, rich, monkeypatch):
    fetched = []

    def fetch(self, url, headers=None):
        fetched.append(url)
        raise ValueError(url)

    monkeypatch.setattr(static_files_only(), "fetch", fetch)
    tricks = '<img src="https://example.org/x.png"><link rel="stylesheet" href="file:///etc/pw">'
    with scopes_disabled():
        DropIn.objects.filter(relationship=rich.earlier).update(strengths=tricks)
    with trust_scope(world.trust):
        body = render_record_pdf(teacher_record(teacher=rich.teacher, trust=world.trust))
    assert body.startswith(b"%PDF")
    assert fetched == []


def test_the_pdf_is_tagged_for_screen_readers_with_its_title_and_language(world, rich):
    with trust_scope(world.trust):
        body = render_record_pdf(teacher_record(teacher=rich.teacher, trust=world.trust))
    tagging = tagging_of(body)
    assert tagging["structure"] and tagging["marked"] and tagging["title_shown"]
    assert tagging["language"].lower() == "en-gb"
    assert tagging["title"] == "Coaching record: Teacher a1"
