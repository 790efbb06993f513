"""Each role's header and footer: the links that are theirs, and none that refuse them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TIME = ("Your coaching time and sessions", "rollout:time_mine")
CALENDAR = ("Your calendar", "rollout:time_calendar")
EMAILS = ("Emails", "rollout:emails")

FOOTER_BY_PERSONA = {
    "teacher": [TIME, CALENDAR],
    "coach": [TIME, CALENDAR, EMAILS],
    "coaching_lead": [TIME, CALENDAR, EMAILS],
    "headteacher": [],
    "trust_lead": [],
    "administrator": [],
    "programme_lead": [],
    "tutor": [],
    "moderator": [],
}
COACHES_ONLY = {"rollout:time_mine", "rollout:time_calendar", "rollout:emails"}


def _footer(response):
    return [(str(label), url) for label, url in response.context["footer_links"]]


@pytest.mark.parametrize(("persona", "expected"), FOOTER_BY_PERSONA.items())
def test_each_role_sees_the_footer_links_that_are_theirs(client, world, persona, expected):
    client.force_login(world.people[persona])
    response = client.get(reverse("privacy"))
    assert _footer(response) == [(label, reverse(name)) for label, name in expected]
    page = response.content.decode()
    for name in COACHES_ONLY - {name for _label, name in expected}:
        assert f'class="govuk-footer__link" href="{reverse(name)}"' not in page


@pytest.mark.parametrize("persona", ["headteacher", "trust_lead", "tutor", "administrator"])
def test_the_coaches_calendar_and_digests_are_not_offered_to_people_who_do_not_coach(
    client, world, persona
):
    client.force_login(world.people[persona])
    page = client.get(reverse("privacy")).content.decode()
    assert "Your calendar" not in page
    assert ">Emails<" not in page


@pytest.mark.parametrize("persona", FOOTER_BY_PERSONA)
def test_no_header_or_footer_link_refuses_the_person_it_is_shown_to(client, world, persona):
    client.force_login(world.people[persona])
    response = client.get(reverse("privacy"))
    urls = [url for _label, url, _current in response.context["nav_links"]]
    urls += [url for _label, url in response.context["footer_links"]]
    urls.append(reverse("account"))
    for url in urls:
        status = client.get(url).status_code
        assert status in (200, 302), f"{persona} is shown {url}, which answers {status}"
        if status == 302:
            landing = client.get(url, follow=True)
            assert landing.status_code == 200, f"{persona}: {url} leads to {landing.status_code}"
