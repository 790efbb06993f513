"""Playwright driving Debian's Chromium, headless, at a phone-sized viewport."""

import json
import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("COACHLOOP_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: browser tests skipped "
            "(install Debian's chromium, or run `make test` as root)"
        )
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}: run `npm ci` first")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the tests themselves are still synchronous and safe here.
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        # Only the browser tests need it; later tests (the deployment check) must not see it.
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


# Every document reports what its Content-Security-Policy refused on the console, where the
# context's listener below catches it with Chromium's own "Refused to ..." messages.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("Content Security Policy violation: " + event.violatedDirective + " refused "
    + (event.blockedURI || "inline") + " on " + event.documentURI);
});
"""
CSP_MESSAGES = ("Content Security Policy", "Refused to")


class PolicyViolations:
    """What the Content-Security-Policy refused on any page of a browser context."""

    def __init__(self, context):
        self.messages = []
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", self.heard)

    def heard(self, message):
        if any(marker in message.text for marker in CSP_MESSAGES):
            self.messages.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def assert_none(self):
        assert not self.messages, "Content-Security-Policy violations:\n" + "\n".join(self.messages)


def _context(browser, **options):
    """A browser context that fails its test if a page breaks the Content-Security-Policy."""
    context = browser.new_context(locale="en-GB", **options)
    context.set_default_timeout(15_000)
    violations = PolicyViolations(context)
    yield context
    context.close()
    violations.assert_none()


class AccessibilityLog:
    """Runs axe-core on every page a test visits and keeps the violations."""

    def __init__(self):
        self.violations = []
        self.pages = []

    def check(self, page):
        # A click that navigates may have committed the new address while its document is
        # still arriving: wait for it, so axe never reads a half-built page.
        page.wait_for_load_state("load")
        # Evaluated by the browser's debugging protocol, not added as an inline script, which
        # the pages' Content-Security-Policy would refuse.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            # Every rule axe has, best practice included (such as `region`: all content in a
            # landmark), whatever its impact, not only the WCAG-tagged ones.
            "async () => { const r = await axe.run(document); "
            "return r.violations.map(v => ({id: v.id, impact: v.impact, "
            "help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})); }"
        )
        self.pages.append(page.url)
        for violation in result:
            self.violations.append({"url": page.url, **violation})

    def assert_clean(self):
        assert not self.violations, json.dumps(self.violations, indent=2)


@pytest.fixture
def axe():
    """The accessibility log of the test; whatever it caught fails the test at the end."""
    log = AccessibilityLog()
    yield log
    log.assert_clean()


@pytest.fixture
def phone(browser, live_server):
    yield from _context(
        browser, viewport=PHONE, is_mobile=True, has_touch=True, base_url=live_server.url
    )


@pytest.fixture
def desktop(browser, live_server):
    yield from _context(browser, viewport={"width": 1280, "height": 800}, base_url=live_server.url)
