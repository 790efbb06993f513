"""Making a token asks the person to confirm who they are first (their password, or a code
from their authenticator app), as changing their two-step sign-in does: a token opens the API
without a second step. allauth keeps the form that was sent and sends it on once they have
confirmed, so the token is made on that answer. Someone with no way of confirming (who signs
in only through their trust's own accounts) is not asked: their sign-in there was the check.
"""

from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required


def _can_confirm(request):
    # Only a form sent is checked (a GET passes anyway), so showing the form costs no query.
    if request.method == "GET":
        return False
    return bool(get_adapter(request).get_reauthentication_methods(request.user))


def confirmed_first(view):
    return reauthentication_required(view, allow_get=True, enabled=_can_confirm)
