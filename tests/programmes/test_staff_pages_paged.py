"""An assignment's submissions, a cohort's places and a programme's school coaches, a page at a
time: the counts are of all of them, page 2 shows the rest and nothing of page 1, and a wrong
page number shows a page rather than an error."""

import datetime as dt

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.queries import staff_pages
from coachloop.programmes.services.qualifications import coach_qualification_record
from tests.factories import UserFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import submit
from tests.programmes.test_pages_staff import as_lead, sign_in

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


# A programme's school coaches: a count on the programme's page, their list a page at a time


@pytest.fixture
def three_coaches(world, scoped, monkeypatch):
    """Three teachers on a programme, each with their own coach; two coaches a page."""
    monkeypatch.setattr(staff_pages, "COACHES_SHOWN", 2)
    pw = build_programme(world, teachers=3)
    with scopes_disabled():
        for n, enrolment in enumerate(pw.enrolments):
            enrolment.coach = UserFactory(full_name=f"Coach {n}")
            enrolment.save()
    return pw, ["Coach 0", "Coach 1", "Coach 2"]


def test_the_programme_page_counts_its_school_coaches_and_lists_none_of_them(client, three_coaches):
    pw, names = three_coaches
    page = as_lead(client, pw).get(reverse("programmes:programme", args=[pw.programme.pk]))
    html = page.content.decode()
    assert "3 coaches support the teachers enrolled." in html
    assert reverse("programmes:coaches", args=[pw.programme.pk]) in html
    assert _names(html, names) == []


def test_a_coach_of_places_that_have_ended_is_not_counted(client, three_coaches):
    pw, names = three_coaches
    with scopes_disabled():
        ended = pw.enrolments[0]
        ended.finished_on = dt.date(2026, 2, 27)
        ended.save()
    as_lead(client, pw)
    html = client.get(reverse("programmes:programme", args=[pw.programme.pk])).content.decode()
    assert "2 coaches support the teachers enrolled." in html
    coaches = client.get(reverse("programmes:coaches", args=[pw.programme.pk])).content.decode()
    assert _names(coaches, names) == names[1:]


def test_a_programmes_coaches_are_shown_a_page_at_a_time_with_the_leads_links(
    client, three_coaches
):
    pw, names = three_coaches
    url = reverse("programmes:coaches", args=[pw.programme.pk])
    first = as_lead(client, pw).get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()
    assert _names(first, names) == names[:2] and _names(second, names) == names[2:]
    assert "Showing coaches 1 to 2 of 3, by name." in first
    assert 'href="?page=2" rel="next"' in first and 'href="?page=1" rel="prev"' in second
    with scopes_disabled():
        coach = pw.enrolments[2].coach
    assert reverse("programmes:qualification", args=[pw.programme.pk, coach.pk]) in second
    for wrong in WRONG:
        assert client.get(url, {"page": wrong}).status_code == 200


def test_each_coach_shows_their_teachers_here_and_their_latest_qualification(client, world, scoped):
    pw = build_programme(world, teachers=2)  # both coached by the school's coach
    for level, subject in (("pgcert", ""), ("masters", "Education")):
        coach_qualification_record(
            viewer=pw.as_(pw.lead),
            programme=pw.programme,
            coach=pw.coach,
            level=level,
            subject=subject,
        )
    url = reverse("programmes:coaches", args=[pw.programme.pk])
    response = as_lead(client, pw).get(url)
    (row,) = response.context["page"].rows
    assert (row.full_name, row.teachers) == (pw.coach.full_name, 2)
    assert "Master&#x27;s degree, Education" in response.content.decode()


@pytest.mark.parametrize("who, code", [("tutor", 403), ("moderator", 403)])
def test_only_the_lead_opens_the_list_of_coaches(client, three_coaches, who, code):
    pw, _names_ = three_coaches
    sign_in(client, getattr(pw, who), pw.trust)
    assert client.get(reverse("programmes:coaches", args=[pw.programme.pk])).status_code == code
