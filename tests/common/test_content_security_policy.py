"""Every page answers with a Content-Security-Policy that runs no inline script or style and
no eval; operators can add origins a form may post to, or only report for a while, and
production warns while the policy is only reported."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from coachloop.common.checks import (
    POLICY_ALLOWS_INLINE,
    POLICY_NOT_ENFORCED,
    content_security_policy_is_enforced,
)
from tests.common.test_deploy_checks import PRODUCTION_ENV, REPO
from tests.queries.test_query_counts import _pages


def directives(header):
    """{'script-src': ["'self'"], ...} from a Content-Security-Policy header."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_strict(response, url):
    """Pages have the site's policy; a download may set a stricter one of its own."""
    header = response.headers["Content-Security-Policy"]
    policy = directives(header)
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, url
    for fetching in ("script-src", "style-src", "object-src"):
        assert policy.get(fetching, policy["default-src"]) in (["'self'"], ["'none'"]), url
    if not response["Content-Type"].startswith("text/html"):
        return
    assert policy["default-src"] == ["'self'"], url
    assert policy["script-src"] == ["'self'"], url
    assert policy["style-src"] == ["'self'"], url
    assert policy["object-src"] == ["'none'"], url
    assert policy["base-uri"] == ["'self'"], url
    assert policy["frame-ancestors"] == ["'none'"], url
    assert "'self'" in policy["form-action"], url


@pytest.mark.django_db
def test_every_page_answers_with_a_policy_that_runs_no_inline_script(client):
    call_command("load_demo", "--replace", stdout=io.StringIO())
    pages = _pages()
    assert len(pages) > 50  # the query-count list of every page
    for user, url, *headers in pages:
        client.force_login(user)
        response = client.get(url, headers=headers[0] if headers else None)
        assert response.status_code == 200, url
        assert_strict(response, url)


@pytest.mark.django_db
def test_pages_for_people_not_signed_in_and_error_pages_carry_the_policy_too(client):
    for url, status in [
        (reverse("login"), 200),
        (reverse("password_reset"), 200),
        (reverse("privacy"), 200),
        (reverse("admin:login"), 302),
        ("/no-such-page/", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert_strict(response, url)


@pytest.mark.django_db
def test_the_admin_site_carries_the_policy(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert_strict(response, "admin:index")


def _settings(*names, **env):
    """The named settings as a production server with these variables would have them."""
    show = "from django.conf import settings; " + "; ".join(
        f"print(repr(getattr(settings, {name!r}, None)))" for name in names
    )
    environment = {**os.environ, **PRODUCTION_ENV, **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", show],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_an_operator_adds_the_identity_providers_a_sign_in_form_may_post_to():
    (policy,) = _settings(
        "CONTENT_SECURITY_POLICY",
        COACHLOOP_CSP_FORM_ACTION="https://login.microsoftonline.com, https://accounts.google.com",
    )
    assert (
        "'form-action': [\"'self'\", 'https://login.microsoftonline.com', "
        "'https://accounts.google.com']" in policy
    )


def test_report_only_sends_the_same_policy_as_a_report_and_enforces_nothing():
    enforced, reported = _settings(
        "CONTENT_SECURITY_POLICY",
        "CONTENT_SECURITY_POLICY_REPORT_ONLY",
        COACHLOOP_CSP_REPORT_ONLY="1",
        COACHLOOP_CSP_REPORT_URI="https://reports.example.org/csp",
    )
    assert enforced == "None"
    assert "'script-src': [\"'self'\"]" in reported
    assert "'report-uri': 'https://reports.example.org/csp'" in reported


def test_report_only_in_production_fails_the_deployment_check():
    environment = {**os.environ, **PRODUCTION_ENV, "COACHLOOP_CSP_REPORT_ONLY": "1"}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert POLICY_NOT_ENFORCED in result.stdout + result.stderr


def test_a_policy_without_its_middleware_is_warned(settings):
    assert content_security_policy_is_enforced() == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "csp" not in m]
    assert [w.id for w in content_security_policy_is_enforced()] == [POLICY_NOT_ENFORCED]


@pytest.mark.parametrize("directive", ["script-src", "style-src", "default-src"])
def test_a_policy_that_allows_inline_code_is_warned(settings, directive):
    policy = {"DIRECTIVES": dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])}
    policy["DIRECTIVES"][directive] = ["'self'", "'unsafe-inline'"]
    settings.CONTENT_SECURITY_POLICY = policy
    found = content_security_policy_is_enforced()
    assert [w.id for w in found] == [POLICY_ALLOWS_INLINE]
    assert directive in found[0].msg
