"""A marker's queue a page at a time: work waiting for their mark by due date, and finished
work latest first, each with a link to the next page; work in flight is always on the first
page, and the page costs the same however long the marker's history."""

import datetime as dt

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import Submission
from coachloop.programmes.queries import marking_pages
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import mark, submit
from tests.programmes.test_pages_marking import staff_member

pytestmark = pytest.mark.django_db
FINISHED = 80


@pytest.fixture
def long_history(programme):
    """The tutor marked 80 finished submissions (one a day), and one more, handed in before
    all of them, waits for the tutor's mark."""
    staff_member(programme, programme.tutor)
    with scopes_disabled():
        waiting = submit(programme)
        first = waiting.submitted_at
        finished = []
        for n in range(FINISHED):
            copy = Submission.objects.get(pk=waiting.pk)
            copy.pk = None
            copy.attempt = n + 2
            copy.is_current = False
            copy.status = Submission.Status.RELEASED
            copy.agreed_mark = 60
            copy.submitted_at = first + dt.timedelta(days=n + 1)
            copy.save()
            finished.append(copy.pk)
    # Latest first: the newest finished submission heads the list.
    return waiting, finished[::-1]


def _done(programme, done_page):
    viewer = programme.as_(programme.tutor)
    with scopes_disabled():
        queue = marking_pages.marking_queue(viewer, done_page=done_page)
    return [row.submission.pk for row in queue.done], queue


def test_a_long_history_shows_the_latest_finished_page_and_a_link_to_the_next(
    client, programme, long_history
):
    waiting, finished = long_history
    first, queue = _done(programme, 1)
    assert first == finished[: marking_pages.DONE_SHOWN]
    assert queue.more_done
    client.force_login(programme.tutor)
    page = client.get(reverse("programmes:marking")).content.decode()
    assert 'href="?done=2" rel="next"' in page
    assert page.count('data-outcome="final"') == marking_pages.DONE_SHOWN


def test_the_next_page_follows_on_and_the_last_shows_the_rest(client, programme, long_history):
    waiting, finished = long_history
    shown = marking_pages.DONE_SHOWN
    first, _ = _done(programme, 1)
    second, queue = _done(programme, 2)
    assert second == finished[shown : 2 * shown]
    assert not set(first) & set(second) and queue.more_done
    last = -(-FINISHED // shown)
    rest, queue = _done(programme, last)
    assert rest == finished[(last - 1) * shown :]
    assert not queue.more_done
    client.force_login(programme.tutor)
    page = client.get(reverse("programmes:marking"), {"done": str(last)}).content.decode()
    assert f'href="?done={last - 1}" rel="prev"' in page and f"?done={last + 1}" not in page


def test_work_in_flight_is_always_on_the_first_page(programme, long_history):
    waiting, _ = long_history
    for page in (1, 2):
        queue = _done(programme, page)[1]
        assert [row.submission.pk for row in queue.to_mark] == [waiting.pk]
        assert waiting.pk not in [row.submission.pk for row in queue.done]


def test_a_page_number_that_is_not_one_shows_the_first_page(client, programme, long_history):
    client.force_login(programme.tutor)
    for wrong in ("not a number", "-3", "0"):
        response = client.get(reverse("programmes:marking"), {"done": wrong, "page": wrong})
        assert response.status_code == 200
        assert 'href="?done=2" rel="next"' in response.content.decode()


def test_work_to_mark_is_shown_a_page_at_a_time_earliest_due_first(
    client, monkeypatch, world, scoped
):
    pw = build_programme(world, teachers=3)
    staff_member(pw, pw.tutor)
    monkeypatch.setattr(marking_pages, "TO_MARK_SHOWN", 2)
    with scopes_disabled():
        submitted = [submit(pw, enrolment).pk for enrolment in pw.enrolments]
    viewer = pw.as_(pw.tutor)
    with scopes_disabled():
        first = marking_pages.marking_queue(viewer)
        second = marking_pages.marking_queue(viewer, to_mark_page=2)
    assert [r.submission.pk for r in first.to_mark] == submitted[:2] and first.more_to_mark
    assert [r.submission.pk for r in second.to_mark] == submitted[2:]
    assert not second.more_to_mark
    client.force_login(pw.tutor)
    page = client.get(reverse("programmes:marking")).content.decode()
    assert "More than 2" in page and 'href="?page=2" rel="next"' in page


def test_the_cards_are_part_of_the_page_not_an_include_for_each():
    from pathlib import Path

    import coachloop.programmes

    source = (
        Path(coachloop.programmes.__file__).parent / "templates/programmes/marking/queue.html"
    ).read_text()
    for loop in source.split("{% for row in ")[1:]:
        assert "{% include" not in loop.split("{% endfor %}")[0]


@pytest.fixture
def marks_to_agree(client, monkeypatch, world, scoped):
    """Three teachers' marks far apart, each waiting for the markers to agree a mark, two a
    page."""
    pw = build_programme(world, teachers=3)
    staff_member(pw, pw.tutor)
    monkeypatch.setattr(marking_pages, "IN_HAND_SHOWN", 2)
    with scopes_disabled():
        waiting = []
        for enrolment in pw.enrolments:
            submission = submit(pw, enrolment)
            mark(pw, submission, pw.tutor, 80, 80)
            mark(pw, submission, pw.coach, 50, 50)
            waiting.append(submission.pk)
    return pw, waiting


def _in_hand(pw, page):
    with scopes_disabled():
        queue = marking_pages.marking_queue(pw.as_(pw.tutor), in_hand_page=page)
    return [row.submission.pk for row in queue.to_reconcile + queue.to_settle], queue


def test_marks_to_agree_are_shown_a_page_at_a_time_with_a_link_to_the_next(client, marks_to_agree):
    pw, waiting = marks_to_agree
    first, queue = _in_hand(pw, 1)
    assert first == waiting[:2] and queue.more_in_hand
    client.force_login(pw.tutor)
    page = client.get(reverse("programmes:marking")).content.decode()
    assert 'href="?agree=2" rel="next"' in page
    assert "More than 2" in page and "marks to agree or settle" in page


def test_the_second_page_of_marks_to_agree_shows_the_rest_and_nothing_from_the_first(
    client, marks_to_agree
):
    pw, waiting = marks_to_agree
    first, _ = _in_hand(pw, 1)
    second, queue = _in_hand(pw, 2)
    assert second == waiting[2:] and not set(first) & set(second)
    assert not queue.more_in_hand and queue.in_hand_figure == 3
    client.force_login(pw.tutor)
    response = client.get(reverse("programmes:marking"), {"agree": "2"})
    page = response.content.decode()
    assert 'href="?agree=1" rel="prev"' in page and "?agree=3" not in page
    assert "page 2" in page


def test_a_wrong_page_of_marks_to_agree_shows_the_first(client, marks_to_agree):
    pw, waiting = marks_to_agree
    client.force_login(pw.tutor)
    for wrong in ("not a number", "-3", "0"):
        response = client.get(reverse("programmes:marking"), {"agree": wrong})
        assert response.status_code == 200
        assert 'href="?agree=2" rel="next"' in response.content.decode()


def _done_table(client, person):
    client.force_login(person)
    page = client.get(reverse("programmes:marking")).content.decode()
    return page.split('id="marking-done"', 1)[1].split("</table>", 1)[0]


def test_done_work_shows_its_mark_only_once_the_marks_are_agreed(client, world, scoped):
    pw = build_programme(world)
    staff_member(pw, pw.tutor)
    with scopes_disabled():
        submission = submit(pw)
        mark(pw, submission, pw.tutor, 62, 62)
    # The tutor's part is done, the coach's mark is not in: blind, so no mark at all.
    row = _done_table(client, pw.tutor)
    assert pw.enrolments[0].teacher.full_name in row and "In marking" in row
    assert 'data-outcome="final"' not in row and "62" not in row
    assert f'href="{reverse("programmes:mark", args=[submission.pk])}"' in row
    with scopes_disabled():
        mark(pw, submission, pw.coach, 62, 62)  # within tolerance: agreed at once
    row = _done_table(client, pw.tutor)
    assert '<strong data-outcome="final">62</strong>' in row and "Marking done" in row


def test_the_queue_is_one_template_its_rows_written_inline():
    from tests.common.test_list_templates import LIST_LOOPS

    assert "programmes/templates/programmes/marking/queue.html" in LIST_LOOPS


def test_each_card_and_row_links_where_reverse_would(client, programme, long_history):
    waiting, finished = long_history
    client.force_login(programme.tutor)
    page = client.get(reverse("programmes:marking")).content.decode()
    for name in ("mark", "claim"):
        assert f'"{reverse(f"programmes:{name}", args=[waiting.pk])}"' in page
    for pk in finished[: marking_pages.DONE_SHOWN]:
        assert f'href="{reverse("programmes:mark", args=[pk])}"' in page
    viewer = programme.as_(programme.tutor)
    with scopes_disabled():
        row = marking_pages.marking_queue(viewer).to_mark[0]
    assert row.give_up_link == reverse("programmes:claim_give_up", args=[waiting.pk])


def test_work_the_viewer_has_marked_leaves_their_list_to_mark_but_not_the_other_markers(
    programme,
):
    """The tutor marks first; until the coach marks second, the work is done on the tutor's
    part and still waits for the coach."""
    staff_member(programme, programme.tutor)
    with scopes_disabled():
        submission = submit(programme)
        mark(programme, submission, programme.tutor, 70, 55)
        tutor = marking_pages.marking_queue(programme.as_(programme.tutor))
        coach = marking_pages.marking_queue(programme.as_(programme.coach))
    assert tutor.to_mark == []
    assert [row.submission.pk for row in tutor.done] == [submission.pk]
    assert [row.submission.pk for row in coach.to_mark] == [submission.pk]
