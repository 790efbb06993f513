"""What a provider's answer must say for someone to be signed in, for each kind of provider
(Google and Microsoft need more than another OpenID Connect provider), and how a trust's
providers become django-allauth's apps."""

import pytest
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import SignInProvider
from coachloop.people.single_sign_on import Refusal, sign_in_match
from tests.factories import SignInProviderFactory

pytestmark = pytest.mark.django_db
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OTHER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"


@pytest.fixture
def google(world):
    with scopes_disabled():
        return SignInProviderFactory(
            trust=world.trust, kind=SignInProvider.Kind.GOOGLE, server_url=""
        )


@pytest.fixture
def microsoft(world):
    with scopes_disabled():
        return SignInProviderFactory(
            trust=world.trust, kind=SignInProvider.Kind.MICROSOFT, tenant_id=TENANT
        )


@pytest.fixture
def openid_connect(world):
    with scopes_disabled():
        return SignInProviderFactory(trust=world.trust)


def outcome(provider, **claims):
    match = sign_in_match(provider=provider, claims=claims)
    return match.person.email if match.person else match.refusal


TEACHER = "teacher-a1@example.org"


def test_another_openid_connect_provider_must_say_the_address_is_verified(openid_connect):
    assert outcome(openid_connect, email=TEACHER, email_verified=True) == TEACHER
    assert outcome(openid_connect, email=TEACHER, email_verified="true") == TEACHER
    for said in (False, "false", None, "yes"):
        assert outcome(openid_connect, email=TEACHER, email_verified=said) == (
            Refusal.NO_VERIFIED_EMAIL
        )
    assert outcome(openid_connect, email=TEACHER) == Refusal.NO_VERIFIED_EMAIL
    assert outcome(openid_connect, email_verified=True) == Refusal.NO_VERIFIED_EMAIL


def test_google_signs_in_only_accounts_of_the_trusts_own_workspace(google):
    verified = {"email": TEACHER, "email_verified": True}
    assert outcome(google, **verified, hd="example.org") == TEACHER
    # A personal Google account made with the school address stays verified after the
    # person leaves; it has no hosted domain.
    assert outcome(google, **verified) == Refusal.OTHER_ORGANISATION
    assert outcome(google, **verified, hd="elsewhere.example.net") == Refusal.OTHER_ORGANISATION
    assert outcome(google, email=TEACHER, email_verified=False, hd="example.org") == (
        Refusal.NO_VERIFIED_EMAIL
    )


def test_microsoft_signs_in_only_accounts_of_the_trusts_own_organisation(microsoft):
    assert outcome(microsoft, email=TEACHER, tid=TENANT) == TEACHER
    assert outcome(microsoft, email=TEACHER, tid=TENANT.upper()) == TEACHER
    assert outcome(microsoft, email=TEACHER, tid=OTHER_TENANT) == Refusal.OTHER_ORGANISATION
    assert outcome(microsoft, email=TEACHER) == Refusal.OTHER_ORGANISATION


def test_microsoft_is_refused_when_it_says_the_address_is_not_the_domain_owners(microsoft):
    assert outcome(microsoft, email=TEACHER, tid=TENANT, xms_edov=True) == TEACHER
    assert outcome(microsoft, email=TEACHER, tid=TENANT, xms_edov=False) == (
        Refusal.NO_VERIFIED_EMAIL
    )
    assert outcome(microsoft, email=TEACHER, tid=TENANT, email_verified=False) == (
        Refusal.NO_VERIFIED_EMAIL
    )


def test_every_kind_signs_in_only_addresses_in_the_trusts_domains(
    google, microsoft, openid_connect
):
    email = "teacher@elsewhere.example.net"
    assert outcome(google, email=email, email_verified=True, hd="example.org") == (
        Refusal.OTHER_ORGANISATION
    )
    assert outcome(microsoft, email=email, tid=TENANT) == Refusal.OTHER_ORGANISATION
    assert outcome(openid_connect, email=email, email_verified=True) == Refusal.OTHER_ORGANISATION
    # A subdomain is another domain.
    assert outcome(openid_connect, email="x@staff.example.org", email_verified=True) == (
        Refusal.OTHER_ORGANISATION
    )


def test_each_kind_has_its_issuer(google, microsoft, openid_connect):
    assert google.issuer == "https://accounts.google.com"
    assert microsoft.issuer == f"https://login.microsoftonline.com/{TENANT}/v2.0"
    assert openid_connect.issuer == "https://accounts.example.org"


def provider_problems(**fields):
    provider = SignInProviderFactory.build(**fields)
    with pytest.raises(ValidationError) as refused:
        provider.full_clean()
    return refused.value.message_dict


def test_a_microsoft_provider_needs_its_directory_id(world, unscoped):
    problems = provider_problems(
        trust=world.trust, kind=SignInProvider.Kind.MICROSOFT, tenant_id="common"
    )
    assert "tenant_id" in problems
    provider = SignInProviderFactory.build(
        trust=world.trust, kind=SignInProvider.Kind.MICROSOFT, tenant_id=TENANT.upper()
    )
    provider.full_clean()
    assert provider.tenant_id == TENANT and provider.server_url == ""


def test_an_issuer_must_be_https_unless_it_runs_on_this_machine(world, unscoped):
    assert "server_url" in provider_problems(trust=world.trust, server_url="http://idp.example.org")
    assert "server_url" in provider_problems(trust=world.trust, server_url="")
    SignInProviderFactory.build(trust=world.trust, server_url="http://127.0.0.1:8080").full_clean()


@pytest.mark.parametrize(
    "issuer", ["https://accounts.google.com", "https://login.microsoftonline.com/common/v2.0"]
)
def test_google_or_microsoft_as_another_provider_is_refused_since_it_would_skip_their_checks(
    world, unscoped, issuer
):
    assert "server_url" in provider_problems(trust=world.trust, server_url=issuer)


def test_microsofts_directory_of_personal_accounts_is_refused(world, unscoped):
    problems = provider_problems(
        trust=world.trust,
        kind=SignInProvider.Kind.MICROSOFT,
        tenant_id="9188040d-6c67-4c5b-b112-36a304b66dad",
        server_url="",
    )
    assert "tenant_id" in problems


def test_domains_are_one_a_line_and_only_domains(world, unscoped):
    problems = provider_problems(trust=world.trust, allowed_domains="@example.org\nnot a domain")
    assert "allowed_domains" in problems
    assert "allowed_domains" in provider_problems(trust=world.trust, allowed_domains=" \n ")
    provider = SignInProviderFactory.build(
        trust=world.trust, allowed_domains="Example.org\n\nschool.example.org \nexample.org"
    )
    provider.full_clean()
    assert provider.domains == ["example.org", "school.example.org"]


def test_allauth_sees_each_provider_in_use_as_an_openid_connect_app_of_its_own(world, rf):
    with scopes_disabled():
        first = SignInProviderFactory(trust=world.trust, slug="google", client_id="one")
        SignInProviderFactory(trust=world.other_trust, slug="google", client_id="two")
        SignInProviderFactory(trust=world.trust, enabled=False, client_id="three")
    adapter = get_adapter()
    request = rf.get("/")
    assert {app.client_id for app in adapter.list_apps(request)} == {"one", "two"}
    app = adapter.get_app(request, provider=first.provider_id)
    assert (app.provider, app.provider_id, app.client_id, app.secret, app.pk) == (
        "openid_connect",
        f"t{world.trust.pk}-google",
        "one",
        "a-client-secret-for-tests",
        None,
    )
    assert app.settings == {"server_url": first.issuer, "oauth_pkce_enabled": True}
    assert adapter.get_app(request, provider="openid_connect", client_id="two").client_id == "two"
    for missing in ("openid_connect", f"t{world.trust.pk}-nothing", "google", "t-x"):
        with pytest.raises(SocialApp.DoesNotExist):
            adapter.get_app(request, provider=missing, client_id="three")
    assert not SocialApp.objects.exists()
