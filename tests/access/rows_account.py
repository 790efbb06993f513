"""The person's own account: every member opens theirs and signs themself out everywhere;
there is no way to name anyone else's. allauth's list of sessions is not offered (the account
page is where sessions end), and its pages for a password are the person's own."""

from tests.access.codes import MEMBERS, everyone, page_route, public_route

ROWS = {
    "account": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    # Signed out everywhere, then sent to sign in; anyone signed out is sent there too.
    "sign_out_everywhere": ("post", None, {"own": everyone(302)}),
    "usersessions_list": ("get", None, public_route(404)),
    "account_change_password": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    # Everyone has a password already: it leads to changing it (or, signed out, to sign in).
    "account_set_password": ("get", None, {"own": everyone(302)}),
}
