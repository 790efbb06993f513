"""The site's own pages and the links between apps on every page."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, School
from coachloop.rosters.models import RosterImport
from tests.factories import RosterImportFactory, UserFactory

pytestmark = pytest.mark.django_db


def _labels(response):
    return [label for label, _url, _current in response.context["nav_links"]]


@pytest.mark.parametrize(
    ("persona", "labels"),
    [
        ("teacher", ["My development", "Framework"]),
        ("coach", ["My teachers", "Framework"]),
        ("coaching_lead", ["Coaching at School A1", "Framework"]),
        ("headteacher", ["Insights", "Framework"]),
        ("trust_lead", ["Insights", "Framework"]),
        ("administrator", ["Framework", "Administration", "Imports"]),
        ("tutor", ["Programmes", "Framework"]),
    ],
)
def test_the_header_links_to_each_home_the_signed_in_person_has(client, world, persona, labels):
    client.force_login(world.people[persona])
    response = client.get(reverse("privacy"))
    assert _labels(response) == labels


def test_the_header_marks_the_page_that_is_open(client, world):
    client.force_login(world.people["coach"])
    page = client.get(reverse("coaching:coach_home")).content.decode()
    assert f'href="{reverse("coaching:coach_home")}" aria-current="page">My teachers' in page
    assert f'href="{reverse("frameworks:library")}">Framework' in page


def test_a_headteacher_reads_insights_for_their_school_and_a_trust_lead_for_the_trust(
    client, world
):
    client.force_login(world.people["headteacher"])
    head_links = client.get(reverse("privacy")).context["nav_links"]
    assert ("Insights", reverse("insights:school", args=["a1"]), False) in head_links
    client.force_login(world.people["trust_lead"])
    lead_links = client.get(reverse("privacy")).context["nav_links"]
    assert ("Insights", reverse("insights:trust"), False) in lead_links


def test_the_footer_links_a_coachs_time_calendar_and_emails(client, world):
    client.force_login(world.people["coach"])
    page = client.get(reverse("privacy")).content.decode()
    for name, label in (
        ("rollout:time_mine", "Your coaching time and sessions"),
        ("rollout:time_calendar", "Your calendar"),
        ("rollout:emails", "Emails"),
    ):
        assert f'<a class="govuk-footer__link" href="{reverse(name)}">{label}</a>' in page


def test_someone_signed_out_gets_no_links_to_members_pages(client, world):
    page = client.get(reverse("privacy")).content.decode()
    assert "Who can see your coaching" in page
    assert reverse("rollout:time_mine") not in page
    assert 'class="cl-header__nav"' not in page


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("coach", "coaching:coach_home"),
        ("teacher", "coaching:teacher_home"),
        ("tutor", "programmes:home"),
    ],
)
def test_home_sends_each_person_to_the_page_they_use_most(client, world, persona, home):
    client.force_login(world.people[persona])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(home)


def test_home_sends_a_coaching_lead_to_their_schools_coaching(client, world):
    client.force_login(world.people["coaching_lead"])
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("coaching:lead_home", args=["a1"])


def test_a_headteachers_home_points_to_their_schools_insights_and_the_trusts(client, world):
    client.force_login(world.people["headteacher"])
    page = client.get(reverse("home")).content.decode()
    assert "Hello, " in page
    assert reverse("insights:school", args=["a1"]) in page
    assert reverse("insights:trust") in page
    assert reverse("rollout:policy_edit") not in page


def test_someone_with_no_current_role_is_told_so_on_the_home_page(client, world):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "You have no current role in a school" in response.content.decode()


def test_an_address_that_leads_nowhere_is_the_sites_page_not_found(client, world):
    client.force_login(world.people["teacher"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_page_outside_ones_role_is_the_sites_refusal(client, world):
    client.force_login(world.people["teacher"])
    response = client.get(reverse("coaching:lead_home", args=["a1"]))
    assert response.status_code == 403
    assert "This page is not part of your role" in response.content.decode()


def test_the_pages_about_coachloop_are_open_to_everyone(client, world):
    assert client.get(reverse("privacy")).status_code == 200
    page = client.get(reverse("accessibility")).content.decode()
    assert '<h1 class="govuk-heading-l">Accessibility statement for Coachloop</h1>' in page


def test_the_accessibility_statement_has_what_the_2018_regulations_ask_for(client, world):
    """The sections of the model statement for the Public Sector Bodies (Websites and Mobile
    Applications) (No. 2) Accessibility Regulations 2018."""
    page = html.unescape(client.get(reverse("accessibility")).content.decode())
    for heading in (
        "How accessible Coachloop is",
        "Feedback and contact information",
        "Reporting accessibility problems with Coachloop",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Disproportionate burden",
        "Content that's not within the scope of the accessibility regulations",
        "Preparation of this accessibility statement",
    ):
        assert heading in page, heading
    assert "partially compliant" in page and "Version 2.2".lower() in page.lower()
    assert "Equality and Human Rights Commission" in page
    assert "Equality Commission for Northern Ireland" in page


def test_every_page_links_to_home_the_pages_about_coachloop_and_signing_out(client, world):
    client.force_login(world.people["coach"])
    page = client.get(reverse("coaching:coach_home")).content.decode()
    assert f'<a href="{reverse("home")}" class="cl-header__name">Coachloop</a>' in page
    assert f'<form method="post" action="{reverse("logout")}" data-sign-out>' in page
    for name, label in (
        ("privacy", "Who can see your coaching"),
        ("accessibility", "Accessibility"),
    ):
        assert f'<a class="govuk-footer__link" href="{reverse(name)}">{label}</a>' in page


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [("teacher", "/no-such-page/", 404), ("teacher", "/lead/a1/", 403)],
)
def test_the_error_pages_lead_back_to_ones_home_page(client, world, persona, url, status):
    client.force_login(world.people[persona])
    response = client.get(url)
    assert response.status_code == status
    home = f'<a class="govuk-link" href="{reverse("home")}">Go to your home page</a>'
    assert home in response.content.decode()


def test_a_dashboards_note_links_to_who_can_see_your_coaching(client, world):
    client.force_login(world.people["headteacher"])
    page = client.get(reverse("insights:school", args=["a1"])).content.decode()
    privacy = reverse("privacy")
    assert f'href="{privacy}">How Coachloop decides what leaders see</a>' in page


def test_a_headteachers_home_opens_with_their_schools_coverage(client, world):
    client.force_login(world.people["headteacher"])
    response = client.get(reverse("home"))
    page = response.content.decode()
    facts = response.context["school_facts"]
    assert facts.school == world.own.school
    progress = facts.progress
    assert 'id="school-facts"' in page
    # The figures come first in the page's content, before the links to the dashboards.
    assert page.index("<main") < page.index('id="school-facts"') < page.index("Insights for ")
    assert f"of {progress.teachers.value} teacher" in page
    assert "trained coach" in page
    assert response.context["trust_facts"] is None  # a head is not the trust's lead


def test_a_trust_leads_home_opens_with_the_trusts_schools_that_may_need_support(client, world):
    from coachloop.insights.rollups import rollups_update

    rollups_update(trust=world.trust)
    client.force_login(world.people["trust_lead"])
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.context["school_facts"] is None
    assert response.context["trust_facts"] is not None
    assert 'id="trust-facts"' in page
    assert "may need support" in page


def test_an_administrators_home_opens_with_the_trusts_roster_and_its_latest_import(client, world):
    client.force_login(world.people["administrator"])
    empty = client.get(reverse("home"))
    assert empty.context["roster_facts"].latest_import is None
    assert "Nothing imported yet." in empty.content.decode()
    with scopes_disabled():
        RosterImportFactory(trust=world.trust, exported_on=dt.date(2026, 12, 1))
        # Another trust's import is not theirs to see.
        RosterImportFactory(
            trust=world.other_trust,
            status=RosterImport.Status.APPLIED,
            file_name="elsewhere.csv",
            exported_on=dt.date(2026, 12, 2),
        )
        open_schools = School.objects.filter(trust=world.trust, closed_on__isnull=True).count()
        people = (
            Membership.objects.filter(trust=world.trust).current().values("user").distinct()
        ).count()
    response = client.get(reverse("home"))
    page = response.content.decode()
    facts = response.context["roster_facts"]
    assert (facts.schools, facts.people) == (open_schools, people)
    assert facts.latest_import.file_name == "staff-december.csv"
    section = page[
        page.index('id="roster-facts"') : page.index("</ul>", page.index('id="roster-facts"'))
    ]
    assert "Has problems" in section
    assert "cl-counts__item--attention" in section
    assert (
        page.index("<main") < page.index('id="roster-facts"') < page.index("Go to administration")
    )


def test_only_an_administrator_is_shown_the_trusts_roster_on_their_home(client, world):
    client.force_login(world.people["trust_lead"])
    response = client.get(reverse("home"))
    assert response.context["roster_facts"] is None
    assert 'id="roster-facts"' not in response.content.decode()
