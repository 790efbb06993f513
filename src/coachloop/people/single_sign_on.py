"""Single sign-on: a trust's own accounts sign its staff in to Coachloop.

A trust's administrator sets up its sign-in providers (``SignInProvider``: its Google
Workspace, its Microsoft Entra ID organisation, or another OpenID Connect provider, such as a
partner university's). django-allauth runs the OpenID Connect exchange with each as an
``openid_connect`` app of its own (``social_app``), at ``/accounts/oidc/<provider_id>/``.

What the provider says back decides, every time, whether anyone is signed in
(``sign_in_match``): only someone who already has a current role in the provider's trust,
matched case-insensitively by an email address the provider has verified, in one of the
domains the trust allows (and for Microsoft, from the trust's own organisation; for Google,
from its own Workspace). Nobody is created, and no link between the provider's account and
the person is stored, so nothing kept from an earlier sign-in stands in for these checks.

A trust may also switch password sign-in off for its staff (``Trust.password_sign_in``):
``password_sign_in_closed`` says whom that stops.

django-allauth asks for providers before anyone is signed in, so outside any trust scope:
``providers_in_use`` is the one place these rows are read that way.
"""

import enum
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Membership, SignInProvider, Trust

logger = logging.getLogger(__name__)

OPENID_CONNECT = "openid_connect"
PROVIDER_ID = re.compile(r"^t(?P<trust_id>[0-9]{1,18})-(?P<slug>[-a-zA-Z0-9_]{1,40})$")


def providers_in_use(*, provider=None, client_id=None, trusts=None):
    """Every trust's sign-in providers that are in use (for the sign-in page and for
    django-allauth), the trust read with each. ``provider`` narrows them to allauth's
    ``openid_connect`` (every one) or to one ``provider_id``; ``client_id`` to that client;
    ``trusts`` to those trusts'.

    Read outside any trust scope: nobody is signed in yet, and the page lists every trust's.
    """
    with scopes_disabled():
        rows = SignInProvider.objects.filter(enabled=True).select_related("trust")
        if provider and provider != OPENID_CONNECT:
            match = PROVIDER_ID.match(provider)
            if not match:
                return []
            rows = rows.filter(trust_id=int(match["trust_id"]), slug=match["slug"])
        if client_id:
            rows = rows.filter(client_id=client_id)
        if trusts is not None:
            rows = rows.filter(trust__in=trusts)
        return list(rows.order_by("trust__name", "name", "pk"))


def provider_for(provider_id):
    """The provider in use with this ``provider_id``, or ``None``."""
    rows = providers_in_use(provider=provider_id)
    return rows[0] if rows and provider_id != OPENID_CONNECT else None


def social_app(provider):
    """The provider as django-allauth's app (never saved: our table is the one kept)."""
    return SocialApp(
        provider=OPENID_CONNECT,
        provider_id=provider.provider_id,
        name=provider.name,
        client_id=provider.client_id,
        secret=provider.client_secret,
        settings={"server_url": provider.issuer, "oauth_pkce_enabled": True},
    )


def origins_of(providers):
    """The origins (``https://host[:port]``) of the providers' issuers, where their sign-in
    pages are, sorted and once each."""
    origins = set()
    for provider in providers:
        parts = urlsplit(provider.issuer)
        if parts.scheme and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def sign_in_buttons():
    """The sign-in page's buttons: ``[(trust, [provider, ...]), ...]`` by trust name."""
    groups = {}
    for provider in providers_in_use():
        groups.setdefault(provider.trust, []).append(provider)
    return list(groups.items())


class Refusal(enum.Enum):
    """Why a sign-in through a provider signs nobody in."""

    NO_VERIFIED_EMAIL = "no_verified_email"
    OTHER_ORGANISATION = "other_organisation"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Match:
    provider: SignInProvider
    email: str
    person: object = None
    refusal: Refusal | None = None


def claims_of(sociallogin):
    """What the provider said about the account: the ID token's claims, over the userinfo
    endpoint's (allauth keeps both)."""
    data = sociallogin.account.extra_data or {}
    claims = dict(data.get("userinfo") or {})
    claims.update(data.get("id_token") or {})
    return claims


def sign_in_match(*, provider, claims):
    """Whom ``claims`` (from ``provider``) sign in, or why nobody."""
    email = str(claims.get("email") or "").strip().lower()
    if "@" not in email or not _verified(provider, claims):
        return _refused(provider, email, Refusal.NO_VERIFIED_EMAIL)
    domain = email.rpartition("@")[2]
    if domain not in provider.domains or not _same_organisation(provider, claims):
        return _refused(provider, email, Refusal.OTHER_ORGANISATION)
    with trust_scope(provider.trust):
        role = (
            Membership.objects.current()
            .filter(trust=provider.trust, user__email__iexact=email, user__is_active=True)
            .select_related("user")
            .first()
        )
    if role is None:
        return _refused(provider, email, Refusal.NOT_FOUND)
    return Match(provider=provider, email=email, person=role.user)


def _refused(provider, email, refusal):
    # Neither the address nor anything the provider sent is logged: only what was refused.
    logger.info("Single sign-on through %s refused: %s", provider.provider_id, refusal.value)
    return Match(provider=provider, email=email, refusal=refusal)


def _true(value):
    return value is True or str(value).strip().lower() == "true"


def _said_no(claims, name):
    return name in claims and not _true(claims[name])


def _verified(provider, claims):
    """Whether the provider vouches for the email address.

    Google and OpenID Connect providers say so in ``email_verified``. Microsoft Entra ID does
    not send it: the address comes from the trust's own directory (``tid`` is checked to be
    the trust's organisation), unless the token says otherwise (``email_verified`` or
    ``xms_edov``, "email domain owner verified", false).
    """
    if provider.kind == SignInProvider.Kind.MICROSOFT:
        return not _said_no(claims, "email_verified") and not _said_no(claims, "xms_edov")
    return _true(claims.get("email_verified"))


def _same_organisation(provider, claims):
    """Microsoft: the account is in the trust's own directory (``tid``). Google: the account
    is in one of the trust's Workspace domains (``hd``), so a personal Google account made
    with a school address, which stays verified after the person leaves, is not enough."""
    if provider.kind == SignInProvider.Kind.MICROSOFT:
        return str(claims.get("tid") or "").strip().lower() == provider.tenant_id.lower()
    if provider.kind == SignInProvider.Kind.GOOGLE:
        return str(claims.get("hd") or "").strip().lower() in provider.domains
    return True


def password_sign_in_closed(person):
    """The trusts whose own accounts ``person`` must sign in with instead of a password:
    every trust where they hold a current role, when none of them lets staff use one.
    Empty when any of them does, or when they hold no current role anywhere."""
    with scopes_disabled():
        trust_ids = Membership.objects.current().filter(user=person).values("trust_id")
        trusts = list(Trust.objects.filter(pk__in=trust_ids).order_by("name"))
    if trusts and not any(trust.password_sign_in for trust in trusts):
        return trusts
    return []


def providers_of(trusts):
    """The providers in use of these trusts (for naming their buttons)."""
    return providers_in_use(trusts=trusts)
