"""The moderator's page a page at a time: sampled work waiting for them by due date, and work
moderated latest first, each read one row more than shown for the link to its next page; page 2
shows the rest and nothing of page 1, and a wrong page number shows a page, not an error."""

import datetime as dt

import pytest
from django.urls import reverse

from coachloop.programmes.queries import marking_pages
from coachloop.programmes.services.moderation import moderation_record
from tests.programmes.fixtures import build_programme
from tests.programmes.test_moderation import draw, marked
from tests.programmes.test_pages_marking import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_of_five(world, scoped, monkeypatch):
    """Five teachers' work, all in the sample: three wait for the moderator (two a page), and
    two are moderated a day apart (one a page)."""
    monkeypatch.setattr(marking_pages, "AWAITING_SHOWN", 2)
    monkeypatch.setattr(marking_pages, "MODERATED_SHOWN", 1)
    pw = build_programme(world, teachers=5, moderation_percent=100)
    for person in (pw.tutor, pw.lead, pw.moderator):
        staff_member(pw, person)
    submissions = [marked(pw, e, 60 + n) for n, e in enumerate(pw.enrolments)]
    draw(pw)
    moderated = submissions[3:]
    for days, submission in enumerate(moderated):
        moderation_record(
            viewer=pw.as_(pw.moderator),
            submission=submission,
            agree=True,
            now=dt.datetime(2026, 5, 1 + days, 10, tzinfo=dt.UTC),
        )
    waiting = sorted(submissions[:3], key=lambda s: s.pk)  # all due together: by pk
    return pw, [s.pk for s in waiting], [s.pk for s in moderated[::-1]]


def _page(client, pw, **query):
    client.force_login(pw.moderator)
    response = client.get(reverse("programmes:moderation", args=[pw.programme.pk]), query)
    assert response.status_code == 200
    found = response.context["moderation"]
    return (
        [s.pk for s in found.awaiting],
        [s.pk for s in found.done],
        response.content.decode(),
    )


def test_work_waiting_for_moderation_is_shown_a_page_at_a_time(client, sample_of_five):
    pw, waiting, _moderated = sample_of_five
    first, _done, html = _page(client, pw)
    assert first == waiting[:2]
    assert 'href="?page=2" rel="next"' in html and "Page 1, the earliest due first." in html
    second, _done, html = _page(client, pw, page="2")
    assert second == waiting[2:]
    assert 'href="?page=1" rel="prev"' in html and 'href="?page=3"' not in html


def test_work_moderated_is_shown_latest_first_a_page_at_a_time(client, sample_of_five):
    pw, _waiting, moderated = sample_of_five
    _awaiting, first, html = _page(client, pw)
    assert first == moderated[:1] and 'href="?done=2" rel="next"' in html
    _awaiting, second, html = _page(client, pw, done="2")
    assert second == moderated[1:] and 'href="?done=1" rel="prev"' in html
    assert "Page 2, the latest moderated first." in html


def test_a_wrong_page_number_shows_the_first_page_and_one_past_the_end_a_way_back(
    client, sample_of_five
):
    pw, waiting, moderated = sample_of_five
    for wrong in ("not a number", "-3", "0"):
        awaiting, done, _html = _page(client, pw, page=wrong, done=wrong)
        assert (awaiting, done) == (waiting[:2], moderated[:1])
    awaiting, done, html = _page(client, pw, page="999", done="999")
    assert (awaiting, done) == ([], [])
    assert 'href="?page=998" rel="prev"' in html and 'href="?done=998" rel="prev"' in html


def test_a_sample_on_one_page_shows_how_many_wait_and_no_page_links(client, world, scoped):
    pw = build_programme(world, teachers=2, moderation_percent=100)
    for person in (pw.tutor, pw.lead, pw.moderator):
        staff_member(pw, person)
    for n, enrolment in enumerate(pw.enrolments):
        marked(pw, enrolment, 60 + n)
    draw(pw)
    awaiting, _done, html = _page(client, pw)
    assert len(awaiting) == 2 and '<span class="govuk-tag govuk-tag--blue">2</span>' in html
    assert "govuk-pagination" not in html and "earliest due first" not in html
