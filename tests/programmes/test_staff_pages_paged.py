"""An assignment's submissions and a cohort's places, a page at a time: the counts are of all
of them, page 2 shows the rest and nothing of page 1, and a wrong page number shows a page
rather than an error."""

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.queries import staff_pages
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import submit
from tests.programmes.test_pages_staff import as_lead

pytestmark = pytest.mark.django_db
WRONG = ("not a number", "-3", "0", "999")


@pytest.fixture
def three(world, scoped, monkeypatch):
    """Three teachers on a programme, each with work handed in; two a page."""
    monkeypatch.setattr(staff_pages, "SUBMISSIONS_SHOWN", 2)
    monkeypatch.setattr(staff_pages, "ENROLMENTS_SHOWN", 2)
    pw = build_programme(world, teachers=3)
    with scopes_disabled():
        for enrolment in pw.enrolments:
            submit(pw, enrolment)
        names = sorted(e.teacher.full_name for e in pw.enrolments)
    return pw, names


def _names(html, names):
    return [name for name in names if name in html]


def test_an_assignments_submissions_are_shown_a_page_at_a_time_with_counts_of_all(client, three):
    pw, names = three
    url = reverse("programmes:assignment", args=[pw.assignment.pk])
    first = as_lead(client, pw).get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()
    assert _names(first, names) == names[:2]
    assert _names(second, names) == names[2:]
    assert "Showing submissions 1 to 2 of 3" in first and "Not marked: 3" in first
    assert 'href="?page=2" rel="next"' in first
    assert "Showing submissions 3 to 3 of 3" in second and 'href="?page=1" rel="prev"' in second
    assert "3 submissions are still being marked" in second


def test_a_wrong_page_of_submissions_shows_the_nearest_page(client, three):
    pw, names = three
    url = reverse("programmes:assignment", args=[pw.assignment.pk])
    as_lead(client, pw)
    for wrong in WRONG:
        response = client.get(url, {"page": wrong})
        assert response.status_code == 200
        assert _names(response.content.decode(), names) in (names[:2], names[2:])


def test_a_cohorts_places_are_shown_a_page_at_a_time(client, three):
    pw, names = three
    with scopes_disabled():
        url = reverse("programmes:cohort", args=[pw.programme.cohorts.get().pk])
    first = as_lead(client, pw).get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()
    assert _names(first, names) == names[:2] and _names(second, names) == names[2:]
    assert "Showing places 1 to 2 of 3" in first and 'href="?page=2" rel="next"' in first
    assert 'href="?page=1" rel="prev"' in second
    for wrong in WRONG:
        assert client.get(url, {"page": wrong}).status_code == 200


def test_the_assignment_rows_are_part_of_the_page_not_an_include_for_each():
    from pathlib import Path

    import coachloop.programmes

    source = (
        Path(coachloop.programmes.__file__).parent / "templates/programmes/staff/assignment.html"
    ).read_text()
    for loop in source.split("{% for row in ")[1:]:
        assert "{% include" not in loop.split("{% endfor %}")[0]
