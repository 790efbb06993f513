"""Two-step sign-in's pages (django-allauth's, in Coachloop's design): each person's own.

Signed in by ``force_login`` no one has just proved who they are, so every page that changes
how someone signs in asks them to confirm it first (a redirect); pages about codes or keys
that the person does not have are not found. The leaders (and the programme lead) of the
world have an authenticator app and recovery codes; nobody else has set anything up. Someone
else's passkey is not found once the person has confirmed who they are
(tests/people/test_two_step_pages.py).
"""

from tests.access.codes import LOGIN, MEMBERS, everyone, only
from tests.factories import passkey_set_up

WITH_TWO_STEP = ("headteacher", "trust_lead", "administrator", "programme_lead")


def _key(records):
    """A passkey of the school's coach."""
    return {"pk": passkey_set_up(records.coach).pk}


def _own(codes):
    return {"own": codes}


def _theirs(code, *, others):
    """``code`` for the people with two-step sign-in, ``others`` for everyone else."""
    return only(dict.fromkeys(WITH_TWO_STEP, code), others=others)


ROWS = {
    "mfa_index": ("get", None, _own(only(dict.fromkeys(MEMBERS, 200), others=200))),
    # Only in the middle of signing in (after the password): otherwise back to signing in.
    "mfa_authenticate": ("get", None, _own(everyone(302))),
    # Confirming who they are with a code: only for someone with an app; with a passkey, only
    # for someone with one (nobody here).
    "mfa_reauthenticate": ("get", None, _own(_theirs(200, others=302))),
    "mfa_reauthenticate_webauthn": ("get", None, _own(everyone(302))),
    "mfa_activate_totp": ("get", None, _own(only({}, others=302))),
    "mfa_deactivate_totp": ("get", None, _own(_theirs(302, others=404))),
    "mfa_view_recovery_codes": ("get", None, _own(_theirs(302, others=404))),
    "mfa_download_recovery_codes": ("get", None, _own(_theirs(302, others=404))),
    "mfa_generate_recovery_codes": ("get", None, _own(everyone(302))),
    "mfa_list_webauthn": ("get", None, _own(only(dict.fromkeys(MEMBERS, 200), others=200))),
    "mfa_add_webauthn": ("get", None, _own(everyone(302))),
    "mfa_edit_webauthn": ("get", _key, _own(everyone(LOGIN))),
    "mfa_remove_webauthn": ("get", _key, _own(everyone(LOGIN))),
}
