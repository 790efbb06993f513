"""Pages run their scripts under the Content-Security-Policy (GOV.UK Frontend, htmx, the
capture script), the admin site included, and the browser suite's guard really catches what
the policy refuses."""

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from tests.browser.conftest import PolicyViolations
from tests.browser.test_coaching_journey import sign_in
from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INLINE = (
    "<!DOCTYPE html><html lang='en'><head><title>Probe</title>"
    "<style>p { color: red }</style></head><body>"
    "<p style='color: blue' onclick='window.clicked = true'>Probe</p>"
    "<script>window.ran = true;</script></body></html>"
)


def test_the_suites_guard_hears_every_inline_script_and_style_the_policy_refuses(
    browser, live_server
):
    context = browser.new_context(base_url=live_server.url)
    violations = PolicyViolations(context)
    page = context.new_page()
    page.route(
        "**/probe/",
        lambda route: route.fulfill(
            body=INLINE,
            content_type="text/html",
            headers={"Content-Security-Policy": "default-src 'self'"},
        ),
    )
    page.goto("/probe/")
    page.get_by_text("Probe").click()
    assert page.evaluate("() => [window.ran, window.clicked]") == [None, None]
    context.close()
    heard = "\n".join(violations.messages)
    assert "script-src-elem" in heard  # the inline <script>
    assert "style-src-elem" in heard  # the <style> element
    assert "style-src-attr" in heard  # the style attribute
    assert "script-src-attr" in heard  # the onclick handler
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        violations.assert_none()


def test_gov_uk_frontend_and_htmx_start_under_the_policy(phone, axe):
    world = build_world()
    page = phone.new_page()
    sign_in(page, axe, world.people["coach"].email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(reverse("coaching:coachee", args=[world.own.relationship.pk]))
    body_classes = page.evaluate("() => document.body.className")
    assert "js-enabled" in body_classes
    assert "govuk-frontend-supported" in body_classes
    page.locator("[data-module='govuk-button'][data-govuk-button-init]").first.wait_for(
        state="attached"
    )
    config = page.evaluate("() => [htmx.config.allowEval, htmx.config.includeIndicatorStyles]")
    assert config == [False, False]
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0


def test_the_admin_site_runs_under_the_policy(desktop):
    world = build_world()
    with scopes_disabled():
        administrator = world.people["administrator"]
    page = desktop.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(administrator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for url in [
        reverse("admin:index"),
        reverse("admin:people_user_changelist"),
        reverse("admin:people_user_change", args=[administrator.pk]),
        reverse("admin:people_user_add"),
    ]:
        response = page.goto(url)
        assert response.ok, url
        page.wait_for_load_state("load")
