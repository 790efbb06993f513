"""A real OpenID Connect provider on loopback (``provider.mjs``, npm's oidc-provider run by
the ``node`` on PATH), for the single sign-on tests, and a way to sign in on it.

    with loopback_provider(clients=[client(...)], accounts={...}) as provider:
        provider.issuer                      # http://127.0.0.1:<a free port>
        provider.sign_in(authorize_url, "known")   # the URL it sends the browser back to

    with providers_for(world.trust) as (loopback, [provider]):   # a trust's SignInProvider
        sign_in_with(client, loopback, provider, "teacher")     # on it, as an account

Nothing leaves the machine: the provider listens on 127.0.0.1 only and is stopped when the
block ends.
"""

import contextlib
import html
import json
import re
import select
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, User
from tests.factories import SignInProviderFactory
from tests.processes import stop

SCRIPT = Path(__file__).with_name("provider.mjs")
PACKAGE = Path(__file__).resolve().parents[2] / "node_modules" / "oidc-provider"
STARTING_SECONDS = 30
FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


def client(*, client_id, client_secret, redirect_uris):
    return {"client_id": client_id, "client_secret": client_secret, "redirect_uris": redirect_uris}


def account(email, *, verified=True, name="Someone"):
    return {"email": email, "email_verified": verified, "name": name}


@dataclass
class LoopbackProvider:
    issuer: str

    def sign_in(self, authorize_url, account_id):
        """Sign in as ``account_id`` on the provider's own page, starting from the address
        Coachloop sent the browser to; returns the address the provider sends it back to."""
        session = requests.Session()
        url = authorize_url
        for _step in range(10):
            response = session.get(url, allow_redirects=False, timeout=10)
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                if not url.startswith(self.issuer):
                    return url
                continue
            action = FORM_ACTION.search(response.text)
            assert action, f"No sign-in form at {url}: {response.status_code} {response.text}"
            response = session.post(
                urljoin(url, html.unescape(action[1])),
                data={"prompt": "login", "login": account_id, "password": "not checked"},
                allow_redirects=False,
                timeout=10,
            )
            url = urljoin(url, response.headers["Location"])
        raise AssertionError(f"The provider never sent the browser back (last at {url})")


@contextlib.contextmanager
def loopback_provider(*, clients, accounts):
    node = shutil.which("node")
    if node is None or not PACKAGE.exists():
        pytest.skip("node and npm's oidc-provider are needed (run `make install`)")
    config = json.dumps({"clients": clients, "accounts": accounts})
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [node, str(SCRIPT), config], stdout=subprocess.PIPE, stderr=errors
        )
        try:
            ready, _, _ = select.select([process.stdout], [], [], STARTING_SECONDS)
            line = process.stdout.readline() if ready else b""
            if not line:
                errors.seek(0)
                raise RuntimeError(f"The OpenID Connect provider did not start: {errors.read()}")
            yield LoopbackProvider(issuer=json.loads(line)["issuer"])
        finally:
            stop(process)


SECRET = "a-secret-only-these-tests-know"
# The accounts on the loopback provider, by the id typed on its sign-in page (the world's
# personas are at example.org; see tests/world.py).
ACCOUNTS = {
    "teacher": account("teacher-a1@example.org", name="Teacher a1"),
    "teacher-shouting": account("TEACHER-A1@Example.ORG", name="Teacher a1"),
    "teacher-unconfirmed": account("teacher-a1@example.org", verified=False),
    "administrator": account("admin@example.org", name="Administrator"),
    "stranger": account("stranger@example.org", name="Stranger"),
    "trust-b-lead": account("lead-b1@example.org", name="Lead B1"),
    "lead-in-two-trusts": account("lead-two-trusts@example.org", name="Lead in Two Trusts"),
    "teacher-elsewhere": account("teacher@elsewhere.example.net", name="Out Sider"),
}


@contextlib.contextmanager
def providers_for(*trusts, domains="example.org", base_url="http://testserver"):
    """A sign-in provider for each trust (``SignInProvider``, in use), all of them served by
    one loopback provider that knows ``ACCOUNTS``; Coachloop is served at ``base_url``."""
    rows = [
        SignInProviderFactory.build(
            trust=trust, slug="accounts", client_id=f"coachloop-{trust.slug}", name=trust.name
        )
        for trust in trusts
    ]
    clients = [
        client(
            client_id=row.client_id,
            client_secret=SECRET,
            redirect_uris=[base_url + reverse("openid_connect_callback", args=[row.provider_id])],
        )
        for row in rows
    ]
    with loopback_provider(clients=clients, accounts=ACCOUNTS) as loopback:
        with scopes_disabled():
            for row in rows:
                row.server_url = loopback.issuer
                row.client_secret = SECRET
                row.allowed_domains = domains
                row.full_clean()
                row.save()
        yield loopback, rows


def sign_in_with(client, loopback, provider, account_id, *, process="login"):
    """Press the provider's button (Django's test client), sign in on the provider as
    ``account_id``, and come back: the answer to coming back."""
    start = client.post(
        reverse("openid_connect_login", args=[provider.provider_id]), {"process": process}
    )
    assert start.status_code == 302, start.content.decode()
    back = urlsplit(loopback.sign_in(start["Location"], account_id))
    return client.get(f"{back.path}?{back.query}")


def rows_kept():
    """What a sign-in through a provider must never add to: people, roles, email addresses,
    links to a provider's account, allauth's own table of apps."""
    with scopes_disabled():
        return (
            User.objects.count(),
            Membership.objects.count(),
            EmailAddress.objects.count(),
            SocialAccount.objects.count(),
            SocialApp.objects.count(),
        )
