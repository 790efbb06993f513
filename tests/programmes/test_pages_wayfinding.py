"""Each partner finds their way from the page they land on: the tutor to the teachers they
tutor and their marking, the coach and tutor to a teacher's work (feedback on a draft, an
extension from the tutor, the work once handed in), the tutor to the portfolios, the teacher
to their own programme page, and a headteacher to the programme totals for their school."""

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.programmes.models import Submission
from coachloop.programmes.services.submissions import submission_version_add
from tests.factories import MembershipFactory
from tests.programmes.test_marking import ON_TIME, submit

pytestmark = pytest.mark.django_db


def _page(client, person, url):
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def tutor(programme):
    with scopes_disabled():
        MembershipFactory(
            user=programme.tutor, school=None, trust=programme.trust, role=Role.PARTNER_STAFF
        )
    return programme.tutor


def _draft(pw):
    enrolment = pw.enrolments[0]
    return submission_version_add(
        viewer=pw.as_(enrolment.teacher),
        enrolment=enrolment,
        assignment=pw.assignment,
        text="A first go at the introduction.",
        final=False,
        now=ON_TIME,
    ).submission


def test_the_tutor_home_lists_the_teachers_they_tutor_and_links_to_their_marking(
    client, programme, tutor
):
    page = _page(client, tutor, reverse("programmes:home"))
    assert "Teachers you tutor" in page
    assert reverse("programmes:enrolment", args=[programme.enrolments[0].pk]) in page
    assert reverse("programmes:marking") in page


def test_the_lead_home_has_no_tutees_and_no_marking_link(client, programme):
    with scopes_disabled():
        MembershipFactory(
            user=programme.lead, school=None, trust=programme.trust, role=Role.PARTNER_STAFF
        )
    page = _page(client, programme.lead, reverse("programmes:home"))
    assert "Teachers you tutor" not in page
    assert reverse("programmes:marking") not in page


def test_a_draft_on_the_three_way_page_offers_feedback_to_both_and_an_extension_to_the_tutor(
    client, programme, tutor
):
    submission = _draft(programme)
    url = reverse("programmes:enrolment", args=[programme.enrolments[0].pk])
    feedback = reverse("programmes:feedback", args=[submission.pk])
    extension = reverse("programmes:extension", args=[submission.pk])
    as_tutor = _page(client, tutor, url)
    assert feedback in as_tutor and extension in as_tutor
    as_coach = _page(client, programme.coach, url)
    assert feedback in as_coach and extension not in as_coach


def test_handed_in_work_on_the_three_way_page_links_to_the_work_and_not_to_feedback(
    client, programme, tutor
):
    submission = submit(programme)
    page = _page(client, tutor, reverse("programmes:enrolment", args=[programme.enrolments[0].pk]))
    assert reverse("programmes:submission_detail", args=[submission.pk]) in page
    assert reverse("programmes:feedback", args=[submission.pk]) not in page


def test_the_tutor_reaches_each_module_portfolio_and_the_coach_does_not(client, programme, tutor):
    enrolment = programme.enrolments[0]
    url = reverse("programmes:enrolment", args=[enrolment.pk])
    portfolio = reverse(
        "programmes:portfolio_read", args=[enrolment.pk, programme.assignment.module_id]
    )
    assert portfolio in _page(client, tutor, url)
    assert portfolio not in _page(client, programme.coach, url)


def test_the_teacher_is_sent_to_their_own_programme_page_not_a_list_of_submissions(
    client, programme
):
    submission = submit(programme)
    teacher = programme.enrolments[0].teacher
    page = _page(
        client, teacher, reverse("programmes:enrolment", args=[programme.enrolments[0].pk])
    )
    assert reverse("programmes:my_programme") in page
    assert reverse("programmes:submission_detail", args=[submission.pk]) not in page
    home = _page(client, teacher, reverse("coaching:teacher_home"))
    assert reverse("programmes:my_programme") in home


def test_a_headteacher_is_pointed_to_the_programme_totals_for_their_school(client, world):
    school = world.own.school
    page = _page(client, world.people["headteacher"], reverse("home"))
    assert reverse("programmes:school_programmes", args=[school.slug]) in page


def test_the_tutor_opens_an_extension_for_a_teacher_who_has_not_started(client, programme, tutor):
    enrolment = programme.enrolments[0]
    page = _page(client, tutor, reverse("programmes:enrolment", args=[enrolment.pk]))
    start = reverse("programmes:extension_start", args=[enrolment.pk, programme.assignment.pk])
    assert start in page and "Not started" in page
    response = client.post(start)
    with scopes_disabled():
        submission = Submission.objects.get(enrolment=enrolment)
    assert response.url == reverse("programmes:extension", args=[submission.pk])
    assert submission.status == Submission.Status.DRAFTING and not submission.versions.exists()
    assert client.post(start).url == response.url  # the same submission, not a second one


def test_only_the_teachers_tutor_opens_an_extension(client, programme, tutor):
    enrolment = programme.enrolments[0]
    start = reverse("programmes:extension_start", args=[enrolment.pk, programme.assignment.pk])
    client.force_login(programme.coach)
    assert client.post(start).status_code == 403
    with scopes_disabled():
        MembershipFactory(
            user=programme.other_tutor, school=None, trust=programme.trust, role=Role.PARTNER_STAFF
        )
        client.force_login(programme.other_tutor)
        assert client.post(start).status_code == 404
        assert not Submission.objects.exists()
