"""Chromium takes the Permissions-Policy as sent: every feature it names is one the browser
knows (no console errors), each is denied, and passkeys stay allowed."""

import pytest
from django.template.loader import get_template
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chromium_denies_the_devices_and_keeps_passkeys(desktop, axe):
    page = desktop.new_page()
    heard = []
    page.on("console", lambda message: heard.append(message.text))
    page.goto(reverse("login"))
    axe.check(page)
    assert not [text for text in heard if "Permissions-Policy" in text], heard
    allowed = page.evaluate("() => document.featurePolicy.allowedFeatures()")
    assert not {"camera", "microphone", "geolocation", "payment", "usb"} & set(allowed)
    assert "publickey-credentials-get" in allowed


@pytest.mark.parametrize("template", ["400.html", "500.html", "403_csrf.html"])
def test_the_error_pages_without_context_pass_the_accessibility_checks(desktop, axe, template):
    """Served as Django serves them: rendered with no request, on the site's own address."""
    page = desktop.new_page()
    body = get_template(template).render()
    page.route("**/error-page/", lambda route: route.fulfill(body=body, content_type="text/html"))
    page.goto("/error-page/")
    axe.check(page)
    assert page.locator("link[rel=stylesheet]").count() == 1
    assert page.evaluate("() => getComputedStyle(document.body).fontFamily") != "Times New Roman"


def test_the_404_page_passes_the_accessibility_checks(desktop, axe):
    page = desktop.new_page()
    page.goto("/no-such-page/")
    axe.check(page)
    assert page.get_by_role("heading", name="Page not found").is_visible()
