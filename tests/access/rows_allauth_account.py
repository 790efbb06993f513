"""django-allauth's own account pages, as Coachloop offers them: its sign-in and sign-out
addresses are ours; confirming a password again is for members; its pages for signing up,
email addresses, codes by email and confirming an address are closed (404); its password
links lead to ours (302), whatever the link."""

from tests.access.codes import MEMBERS, everyone, page_route, public_route

CLOSED = public_route(404)
LEADS_TO_OUR_PASSWORD_LINKS = public_route(302)

ROWS = {
    "account_login": ("get", None, public_route()),
    "account_logout": ("post", None, {"own": everyone(302)}),
    "account_inactive": ("get", None, public_route()),
    "account_reauthenticate": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    "account_signup": ("get", None, CLOSED),
    "account_email": ("get", None, CLOSED),
    "account_email_verification_sent": ("get", None, CLOSED),
    "account_confirm_email": ("get", lambda records: {"key": "a-key"}, CLOSED),
    "account_confirm_login_code": ("get", None, CLOSED),
    "account_request_reauthentication_code": ("get", None, CLOSED),
    "account_confirm_reauthentication_code": ("get", None, CLOSED),
    "account_reset_password": ("get", None, LEADS_TO_OUR_PASSWORD_LINKS),
    "account_reset_password_done": ("get", None, LEADS_TO_OUR_PASSWORD_LINKS),
    "account_reset_password_from_key": (
        "get",
        lambda records: {"uidb36": "1", "key": "a-key"},
        LEADS_TO_OUR_PASSWORD_LINKS,
    ),
    "account_reset_password_from_key_done": ("get", None, LEADS_TO_OUR_PASSWORD_LINKS),
}
