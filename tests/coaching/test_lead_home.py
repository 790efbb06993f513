"""The coaching lead's home on any screen: a count for each place coaching stands (overdue, due
soon, not visited yet, on track), the teachers most urgent first in phone-first rows with
the drop-in fact first, and a page at a time as the school grows."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.queries import lead as lead_queries
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from tests.factories import DropInFactory, MembershipFactory, RelationshipFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n):
    return TODAY + dt.timedelta(days=n)


def _coached(world, name, *, started_days_ago, visited_days_ago=None):
    """A teacher at the world's school, coached by its coach since then, last seen then."""
    school = world.own.school
    teacher = UserFactory(full_name=name)
    MembershipFactory(user=teacher, school=school, role=Role.TEACHER)
    relationship = RelationshipFactory(
        school=school, coach=world.own.coach, teacher=teacher, started_on=days(-started_days_ago)
    )
    if visited_days_ago is not None:
        DropInFactory(relationship=relationship, visited_on=days(-visited_days_ago))
    return teacher


@pytest.fixture
def school_of_four(world):
    """Teacher a1 was seen two days ago (on track); three more teachers stand elsewhere."""
    with scopes_disabled():
        _coached(world, "Olive Overdue", started_days_ago=60, visited_days_ago=20)
        _coached(world, "Dora Due", started_days_ago=60, visited_days_ago=6)
        _coached(world, "Nina New", started_days_ago=1)
    return world


def _page(client, world, **query):
    client.force_login(world.people["coaching_lead"])
    response = client.get(reverse("coaching:lead_home", args=[world.own.school.slug]), query)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _counts(page):
    found = re.findall(r'cl-counts__figure">(\d+)</span> ([a-z ]+)</li>', page)
    return [(int(figure), words) for figure, words in found]


def _teachers(page):
    """The counts and the teachers' table, without the recent drop-ins below it."""
    return page.split("Recent drop-ins")[0]


def test_the_lead_sees_a_count_for_each_place_coaching_stands(client, school_of_four):
    page = _page(client, school_of_four)
    assert _counts(page) == [
        (1, "overdue"),
        (1, "due soon"),
        (1, "not visited yet"),
        (1, "on track"),
    ]
    assert "cl-counts__item--attention" in page  # something is overdue


def test_nothing_overdue_draws_no_attention(client, world):
    page = _page(client, world)
    assert (0, "overdue") in _counts(page)
    assert "cl-counts__item--attention" not in page


def test_the_most_urgent_teacher_comes_first_with_the_drop_in_fact_first(client, school_of_four):
    page = _page(client, school_of_four)
    order = [page.index(name) for name in ("Olive Overdue", "Dora Due", "Teacher a1")]
    assert order == sorted(order)
    first_row = page.split('<tbody class="govuk-table__body">')[1].split("</tr>")[0]
    cells = re.findall(r"<td class=\"govuk-table__cell([^\"]*)\"", first_row)
    assert cells[0] == " cl-rows__first"
    assert first_row.index("Drop-in overdue") < first_row.index("Olive Overdue")


def test_the_teachers_table_and_recent_drop_ins_are_phone_first_rows(client, world):
    page = _page(client, world)
    assert page.count('class="govuk-table cl-rows"') == 2
    assert 'data-label="Teacher and coach"' in page
    assert 'data-label="Current step"' in page
    assert "cl-table-region" not in page  # nothing scrolls sideways


def test_a_long_list_is_shown_a_page_at_a_time_most_urgent_first(
    client, world, monkeypatch, school_of_four
):
    monkeypatch.setattr(lead_queries, "ROWS_PER_PAGE", 2)
    first = _teachers(_page(client, school_of_four))
    assert "Olive Overdue" in first and "Dora Due" in first
    assert "Nina New" not in first
    assert "1 to 2 of 4, most urgent first" in first
    assert 'href="?page=2"' in first
    second = _teachers(_page(client, school_of_four, page="2"))
    assert "Olive Overdue" not in second
    assert "Nina New" in second or "Teacher a1" in second
    assert _counts(second) == _counts(first)  # the counts are the school's, not the page's
    assert "Olive Overdue" in _teachers(_page(client, school_of_four, page="not a number"))


def test_the_counts_come_from_the_query_layer(world, as_viewer, school_of_four):
    viewer, scope = as_viewer(world.people["coaching_lead"])
    with scope:
        home = lead_queries.lead_home(viewer, school=world.own.school)
    assert {c.bucket: c.figure for c in home.counts} == {
        "overdue": 1,
        "due": 1,
        "not_visited": 1,
        "on_track": 1,
    }
    assert home.total == 4


def test_a_teacher_stands_by_their_latest_recorded_drop_in_not_a_later_draft(world, as_viewer):
    with scopes_disabled():
        teacher = _coached(world, "Rita Recorded", started_days_ago=60, visited_days_ago=30)
        relationship = teacher.coaching_as_teacher.get()
        DropInFactory(relationship=relationship, visited_on=days(-3))
        DropInFactory(relationship=relationship, visited_on=days(-1), is_draft=True)
    viewer, scope = as_viewer(world.people["coaching_lead"])
    with scope:
        rows = lead_queries.lead_activity(viewer, school=world.own.school)
    (standing,) = [s for s in rows.standings if s.relationship_id == relationship.pk]
    assert standing.last_visit == days(-3)


def test_full_rows_are_built_for_the_page_shown_only(world, as_viewer, monkeypatch):
    """With 60 teachers coached, the names, kind and step are made up for one page of rows,
    not for the whole school (the order and the counts need only each one's standing)."""
    from coachloop.coaching.queries import loop

    with scopes_disabled():
        for n in range(60):
            _coached(world, f"Teacher {n:02}", started_days_ago=30, visited_days_ago=n % 20)
    built = []
    real = loop.kind_of_row
    monkeypatch.setattr(loop, "kind_of_row", lambda row: built.append(row) or real(row))
    viewer, scope = as_viewer(world.people["coaching_lead"])
    with scope:
        home = lead_queries.lead_home(viewer, school=world.own.school, page=2)
        shown = list(home.page)
    assert home.total == 61  # and Teacher a1 from the world
    assert len(shown) == lead_queries.ROWS_PER_PAGE
    assert len(built) <= lead_queries.ROWS_PER_PAGE
    assert sum(c.figure for c in home.counts) == 61


def test_the_school_is_ordered_and_counted_from_tuples_and_one_query_of_its_size(
    world, as_viewer, monkeypatch
):
    """A rhythm (with its words) is made for each row shown only, every other relationship
    is a tuple, and no query lists the school's teachers or relationships: the SQL sent is
    the same with 10 teachers coached as with 60."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coachloop.coaching.queries import loop

    made = []
    real = loop.rhythm_for
    monkeypatch.setattr(loop, "rhythm_for", lambda **kw: made.append(kw) or real(**kw))

    def sql_of_a_page():
        viewer, scope = as_viewer(world.people["coaching_lead"])
        with scope, CaptureQueriesContext(connection) as captured:
            home = lead_queries.lead_home(viewer, school=world.own.school)
            list(home.page)
        return home, [re.sub(r"\d+", "n", q["sql"]) for q in captured]

    with scopes_disabled():
        for n in range(10):
            _coached(world, f"Teacher {n:02}", started_days_ago=30, visited_days_ago=n)
    small, small_sql = sql_of_a_page()
    with scopes_disabled():
        for n in range(10, 60):
            _coached(world, f"Teacher {n:02}", started_days_ago=30, visited_days_ago=n % 20)
    made.clear()
    large, large_sql = sql_of_a_page()
    assert large.total == 61
    assert all(isinstance(s, tuple) for s in large.page.paginator.object_list.standings)
    shown_rhythms = len(made) - large.total  # one status each, and a rhythm for a row shown
    assert shown_rhythms == lead_queries.ROWS_PER_PAGE
    assert large_sql == small_sql


def test_the_rows_are_part_of_the_page_not_an_include_for_each():
    from pathlib import Path

    import coachloop.coaching

    source = (
        Path(coachloop.coaching.__file__).parent / "templates/coaching/lead_home.html"
    ).read_text()
    rows = source.split("{% for row in rows %}")[1].split("{% endfor %}")[0]
    assert "{% include" not in rows
