"""With DEBUG off, each error is the styled page in the product's words, not Django's bare
"Bad Request (400)"; the 500 page renders with no request context and no database."""

import pytest
from django.core import mail
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from tests.common.failing_urls import SECRET_IN_THE_FORM

pytestmark = pytest.mark.django_db

STYLED = ('<link rel="stylesheet" href="/static/coachloop/coachloop.css">', "govuk-heading-l")


def _styled(response, heading):
    page = response.content.decode()
    assert all(mark in page for mark in STYLED), page[:300]
    assert heading in page
    return page


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = "tests.common.failing_urls"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_a_host_name_that_is_not_allowed_gets_the_styled_400_page(client, settings):
    settings.DEBUG = False
    response = client.get(reverse("login"), HTTP_HOST="not-ours.example.com")
    assert response.status_code == 400
    page = _styled(response, "Sorry, Coachloop could not understand that request")
    assert "Bad Request (400)" not in page


def test_a_page_that_is_not_there_gets_the_styled_404_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    _styled(response, "Page not found")


def test_a_page_outside_ones_role_gets_the_styled_403_page(client, world, settings):
    settings.DEBUG = False
    client.force_login(world.people["teacher"])
    response = client.get(reverse("coaching:lead_home", args=[world.own.school.slug]))
    assert response.status_code == 403
    _styled(response, "This page is not part of your role")


def test_a_form_without_its_security_token_gets_the_styled_403_page(settings):
    settings.DEBUG = False
    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"login": "someone@example.org", "password": "x"}
    )
    assert response.status_code == 403
    _styled(response, "Your form could not be sent")


def test_a_server_error_gets_the_styled_500_page(failing_site):
    response = failing_site.get("/failing/")
    assert response.status_code == 500
    _styled(response, "Sorry, there is a problem with Coachloop")


def test_the_500_page_renders_with_no_context_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = get_template("500.html").render()
    assert "Sorry, there is a problem with Coachloop" in page


def test_a_server_error_is_emailed_to_the_admins_without_what_the_form_sent(failing_site, settings):
    settings.ADMINS = [("Operations", "ops@example.org")]
    failing_site.post("/failing/", {"notes": SECRET_IN_THE_FORM})
    (report,) = mail.outbox
    assert report.to == ["ops@example.org"]
    assert "Something went wrong in a view" in report.body
    assert report.subject.startswith("[Coachloop] ERROR")
    assert SECRET_IN_THE_FORM not in report.body
    assert SECRET_IN_THE_FORM not in str(report.alternatives)
    assert "notes = '********************'" in report.body


def test_a_server_error_is_emailed_to_the_admins_without_the_query_string(failing_site, settings):
    """A search for a person puts their name in the address: the report names the query's
    fields but shows neither their values nor the query in any address it quotes."""
    settings.ADMINS = [("Operations", "ops@example.org")]
    failing_site.get(
        "/failing/?q=Jane+Smith&page=2",
        HTTP_REFERER="https://coachloop.example.org/teachers/?q=Jane+Smith",
        REQUEST_URI="/failing/?q=Jane+Smith&page=2",
    )
    (report,) = mail.outbox
    message = report.message().as_string()
    for revealing in ("Jane", "Smith", "Jane+Smith", "Jane%20Smith"):
        assert revealing not in message
        assert revealing not in str(report.alternatives)
    assert "Something went wrong in a view" in report.body
    assert "q = '********************'" in report.body
    assert "/failing/?********************" in report.body


def test_no_email_goes_when_no_admins_are_set(failing_site, settings):
    settings.ADMINS = []
    failing_site.get("/failing/")
    assert mail.outbox == []
