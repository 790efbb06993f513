"""How django-allauth signs people in to Coachloop.

Nobody signs themself up: a school's administrator adds people, and they choose a password
from the emailed link or sign in with their trust's own accounts. So both adapters are closed
for sign-up, and a person allauth cannot match is told whom to ask.
"""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import REAUTHENTICATION_TIMEOUT
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.http import Http404

from coachloop.people import queries, services, single_sign_on
from coachloop.people.middleware import SESSION_SIGNED_IN_FOR_TRUST_KEY
from coachloop.people.sign_in_records import steps_of_this_sign_in
from coachloop.people.two_step import SET_UP_AT_KEY
from coachloop.people.two_step_signin import just_signed_in
from coachloop.people.views import refused

# Signing in lands a person on their own home page, and signing out on the sign-in page:
# neither needs a banner saying so.
UNSAID = {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        if message_template in UNSAID:
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def is_reauthentication_required(self, *, app, **kwargs):
        """Changing one's two-step sign-in asks for the password (or a code) again, unless
        the person is being made to set it up as they sign in, or has just done so (their
        recovery codes come next): they are not asked for the password twice. Anything else
        (the recovery codes later, another app, removing one) asks, whoever is at the
        keyboard."""
        if app == "allauth.mfa" and made_to_set_up_a_moment_ago(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    """Each trust's sign-in providers are allauth's OpenID Connect apps, built from our own
    table (``people.single_sign_on``); allauth's own table of apps and its settings are not
    used. Whom a sign-in is for is decided here, every time, and nothing is stored for it."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        rows = single_sign_on.providers_in_use(provider=provider, client_id=client_id)
        return [single_sign_on.social_app(row) for row in rows]

    def pre_social_login(self, request, sociallogin):
        """Sign in the person the provider's answer matches, or refuse with a page that says
        why. allauth then signs the matched person in as an existing account, without
        storing a link to the provider's account (nor an email address, nor anyone new)."""
        if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
            raise Http404  # Coachloop does not connect further accounts to a person
        provider = single_sign_on.provider_for(sociallogin.account.provider)
        if provider is None:
            raise Http404  # taken out of use since the person set off
        match = single_sign_on.sign_in_match(
            provider=provider, claims=single_sign_on.claims_of(sociallogin)
        )
        if match.refusal is not None:
            raise ImmediateHttpResponse(refused(request, match))
        sociallogin.user = match.person


def work_in_the_providers_trust(sender, request, user, sociallogin=None, **kwargs):
    """A session signed in through a trust's own provider works in that trust, and in no
    other: that trust's identity service vouches for the person there, not elsewhere (its
    administrator chose the service, and a person may work in other trusts too). So someone
    with roles in more than one trust works in the provider's, without being asked, and
    cannot switch; to work in another they sign in again another way.

    Connected to allauth's ``user_logged_in``, sent once every step is done; after a second
    step allauth no longer passes the ``sociallogin``, so its record of the steps says which
    provider it was."""
    if sociallogin is not None:
        provider_id = sociallogin.account.provider
    else:
        steps = steps_of_this_sign_in(request, user)
        first = steps[0] if steps else {}
        provider_id = first.get("provider") if first.get("method") == "socialaccount" else None
    provider = single_sign_on.provider_for(provider_id) if provider_id else None
    if provider is None:
        return
    request.session[SESSION_SIGNED_IN_FOR_TRUST_KEY] = provider.trust_id
    if len(queries.trusts_of(user)) > 1:
        services.trust_choose(person=user, trust=provider.trust, session=request.session)


def forget_the_trust_signed_in_for(sender, request, user, **kwargs):
    """Every sign-in starts untied to a trust (Django's ``user_logged_in``, sent before
    allauth's): signing in again another way, in the same browser, frees the session."""
    request.session.pop(SESSION_SIGNED_IN_FOR_TRUST_KEY, None)


def made_to_set_up_a_moment_ago(request):
    """Whether this session signed in a moment ago and is being made to set up two-step
    sign-in, or finished doing so a moment ago (``people.two_step``)."""
    if request is None or not just_signed_in(request):
        return False
    if getattr(request, "two_step_to_set_up", False):
        return True
    set_up_at = request.session.get(SET_UP_AT_KEY)
    return set_up_at is not None and time.time() - set_up_at < REAUTHENTICATION_TIMEOUT
