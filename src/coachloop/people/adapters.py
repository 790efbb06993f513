"""How django-allauth signs people in to Coachloop.

Nobody signs themself up: a school's administrator adds people, and they choose a password
from the emailed link or sign in with their trust's own accounts. So both adapters are closed
for sign-up, and a person allauth cannot match is told whom to ask.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from coachloop.people.two_step_signin import just_signed_in

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
        the person signed in a moment ago: as when made to set it up as they sign in."""
        if app == "allauth.mfa" and just_signed_in(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False
