"""Signing in with a trust's own accounts, in Chromium, through a real OpenID Connect provider
running on loopback (npm's oidc-provider, started for each test by tests/oidc): someone the
trust knows lands on their home; someone it does not know, or whose account is from a domain
the trust does not allow, is told why and nothing is created for them. On a phone and on a
desktop, every Coachloop page checked with axe-core."""

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people import services
from coachloop.people.models import Role, User
from tests.oidc import providers_for, rows_kept
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = ["phone", "desktop"]


@pytest.fixture
def trust_a(live_server):
    """The test world, with Trust A signing in through the loopback provider."""
    world = build_world()
    with providers_for(world.trust, base_url=live_server.url) as (_loopback, [provider]):
        yield world, provider


def sign_in_through_the_provider(page, axe, provider, account_id):
    """From Coachloop's sign-in page, press the trust's button, then sign in on the
    provider's own page (its development page: any listed account, by its id)."""
    page.goto("/accounts/login/")
    page.get_by_role("heading", name=provider.trust.name).wait_for()
    axe.check(page)
    page.get_by_role("button", name=f"Sign in with {provider.name}").click()
    page.locator("input[name=login]").fill(account_id)
    page.locator("input[name=password]").fill("not checked")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(lambda url: not url.startswith(provider.server_url))


@pytest.mark.parametrize("size", SIZES)
def test_someone_the_trust_knows_lands_on_their_home(request, size, trust_a, axe):
    world, provider = trust_a
    before = rows_kept()
    page = request.getfixturevalue(size).new_page()
    sign_in_through_the_provider(page, axe, provider, "teacher")
    page.wait_for_url(f"**{reverse('coaching:teacher_home')}")
    page.get_by_role("button", name="Sign out").wait_for()
    axe.check(page)
    assert rows_kept() == before


@pytest.mark.parametrize("size", SIZES)
def test_someone_the_trust_does_not_know_is_told_whom_to_ask_and_nothing_is_created(
    request, size, trust_a, axe
):
    _world, provider = trust_a
    before = rows_kept()
    page = request.getfixturevalue(size).new_page()
    sign_in_through_the_provider(page, axe, provider, "stranger")
    page.get_by_role("heading", name="There is no Coachloop account for you here").wait_for()
    page.get_by_text(
        "We could not find a Coachloop account for stranger@example.org in Trust A."
    ).wait_for()
    page.get_by_text("Ask your school's Coachloop administrator to add you.").wait_for()
    axe.check(page)
    assert rows_kept() == before
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")  # not signed in


@pytest.mark.parametrize("size", SIZES)
def test_an_account_from_a_domain_the_trust_does_not_allow_is_refused(request, size, trust_a, axe):
    world, provider = trust_a
    with scopes_disabled():
        person = User.objects.create_user("teacher@elsewhere.example.net", full_name="Out Sider")
        services.membership_start(
            actor=None, trust=world.trust, user=person, role=Role.TEACHER, school=world.own.school
        )
    before = rows_kept()
    page = request.getfixturevalue(size).new_page()
    sign_in_through_the_provider(page, axe, provider, "teacher-elsewhere")
    page.get_by_role("heading", name="You cannot sign in with this account").wait_for()
    page.get_by_text("Trust A signs in only accounts from its own domains").wait_for()
    page.get_by_role("listitem").filter(has_text="example.org").first.wait_for()
    axe.check(page)
    assert rows_kept() == before
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
