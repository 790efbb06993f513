"""The demo's learning rows: the demo teacher's goals (shared, private, achieved) with progress
over weeks, evidence of every kind with real files, and a journal; other teachers' too."""

import datetime as dt
import random
from pathlib import Path

import filetype
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from coachloop.coaching.models import DropIn, EvidenceItem, Goal, GoalProgress, Reflection
from coachloop.coaching.services.learning import looks_like_a_pupils_name
from coachloop.common.tenancy import trust_scope
from coachloop.common.uploads import check_upload
from coachloop.demo.build import build_demo
from coachloop.demo.coaching.learning import _png, _stored, demo_learning
from coachloop.people.models import User

TODAY = dt.date(2025, 11, 20)  # a Thursday in the autumn term, as in the other demo tests
pytestmark = pytest.mark.django_db


@pytest.fixture
def trust(media):
    trust = build_demo(today=TODAY)
    with trust_scope(trust):
        if not Goal.objects.exists():  # until demo.build builds these rows itself
            demo_learning(trust, TODAY, random.Random(2026))
    return trust


def people(trust):
    return (
        User.objects.get(email=f"teacher@{trust.slug}.example.org"),
        User.objects.get(email=f"coach@{trust.slug}.example.org"),
    )


def test_the_demo_teacher_has_a_shared_a_private_and_an_achieved_goal(trust):
    teacher, coach = people(trust)
    with trust_scope(trust):
        goals = list(Goal.objects.filter(teacher=teacher).select_related("relationship"))
    shared = [g for g in goals if g.relationship and g.status == Goal.Status.OPEN]
    assert shared and shared[0].relationship.coach == coach
    assert shared[0].review_on <= TODAY + dt.timedelta(days=14)  # due for review soon
    assert any(g.relationship is None for g in goals)
    assert any(g.status == Goal.Status.ACHIEVED for g in goals)
    with trust_scope(trust):
        visited = set(
            DropIn.objects.filter(relationship=shared[0].relationship).values_list(
                "class_or_group", flat=True
            )
        )
    assert shared[0].pupils in visited  # about a class the coach has seen


def test_progress_notes_run_over_weeks_from_the_teacher_and_the_coach(trust):
    teacher, coach = people(trust)
    with trust_scope(trust):
        notes = list(
            GoalProgress.objects.filter(goal__teacher=teacher, goal__relationship__isnull=False)
        )
    days = sorted(note.written_on for note in notes)
    assert (days[-1] - days[0]).days >= 21
    assert {note.written_by for note in notes} == {teacher, coach}
    assert all(day <= TODAY for day in days)


def test_the_demo_teacher_has_evidence_of_every_kind_on_goals_and_their_step(trust):
    teacher, _coach = people(trust)
    with trust_scope(trust):
        items = list(EvidenceItem.objects.filter(teacher=teacher))
    assert {item.kind for item in items} == set(EvidenceItem.Kind.values)
    assert any(item.action_step_id for item in items)
    assert all(item.url.startswith("https://") for item in items if item.kind == "link")


def test_the_demo_files_are_real_files_that_pass_the_upload_checks(trust, media):
    with trust_scope(trust):
        files = list(EvidenceItem.objects.filter(kind=EvidenceItem.Kind.FILE))
    assert {item.content_type for item in files} == {"application/pdf", "image/png"}
    for item in files:
        content = Path(item.file.path).read_bytes()
        assert filetype.guess(content).mime == item.content_type
        upload = ContentFile(content, name=item.original_name)
        assert check_upload(upload).content_type == item.content_type


def test_storing_the_same_demo_file_twice_keeps_one_copy(media):
    content = _png([1, 5, 9])
    assert _stored(content, ".png") == _stored(content, ".png")
    assert len(list(Path(media).rglob("*.png"))) == 1


def test_the_demo_teacher_keeps_a_journal_and_others_have_goals_too(trust):
    teacher, _coach = people(trust)
    with trust_scope(trust):
        assert Reflection.objects.filter(teacher=teacher).count() >= 5
        others = set(Goal.objects.exclude(teacher=teacher).values_list("teacher", flat=True))
        assert len(others) >= 3
        assert not any(
            looks_like_a_pupils_name(p) for p in Goal.objects.values_list("pupils", flat=True)
        )


def test_each_learning_page_has_demo_content(trust, client):
    teacher, coach = people(trust)
    with trust_scope(trust):
        pdf = EvidenceItem.objects.filter(teacher=teacher, content_type="application/pdf").get()
        goal = pdf.goal
        entry = Reflection.objects.filter(teacher=teacher).first()
    client.force_login(teacher)
    for url, words in (
        (reverse("coaching:goals"), "Due for review"),
        (reverse("coaching:goal_detail", args=[goal.pk]), "Exit tickets, week 3"),
        (reverse("coaching:reflections"), entry.title),
        (reverse("coaching:my_evidence"), "Full-sentence answers by week"),
    ):
        response = client.get(url)
        assert words in response.content.decode(), url
    assert client.get(reverse("coaching:evidence_download", args=[pdf.pk])).status_code == 200
    client.force_login(coach)
    page = client.get(reverse("coaching:coachee_goals", args=[goal.relationship_id]))
    assert goal.title in page.content.decode()
