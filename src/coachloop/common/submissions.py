"""Create forms that create once, however often they are sent.

Every page with a create form renders ``{% form_token %}`` (``common.templatetags.
submissions``): a hidden, random, one-use token. The view is wrapped in ``@creates_once``:
on a POST carrying a token, the token is claimed (a ``FormSubmission`` row, unique by token)
in the same transaction as whatever the view writes, and the claim remembers where the view
sent the person afterwards. The same form sent again (a double click, "Resubmit" after going
back, a slow network retrying) finds its token claimed, writes nothing and goes where the
first one went, saying "That was already saved". Two sent at the same moment queue on the
token's unique index, and the second then finds the first's claim.

A view that saves and shows its result on the same page says so with ``saved_here``. A form
that does not save (the view shows it again with its errors rather than redirecting)
releases its claim, so the corrected form can be sent with the same token. A POST with no
token (a script, an old page) is handled as before. The services stay one write each: the
claim is the view's, around them.

``CREATES_ONCE`` lists every view wrapped, for the tests that post each one twice.
"""

import datetime as dt
import re
import secrets
from functools import wraps

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.common.models import FormSubmission

FIELD = "form_token"
FORMAT = re.compile(r"[A-Za-z0-9_-]{22}")
REDIRECTS = (301, 302, 303, 307, 308)

CREATES_ONCE = {}


# A form sent again after this long is sent as new: the back button, not a double click.
KEPT_FOR = dt.timedelta(days=7)


def forget_old_tokens(now=None):
    """Delete claims older than ``KEPT_FOR`` (the daily job): how many went."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    return FormSubmission.objects.filter(created_at__lt=cutoff).delete()[0]


def new_token():
    """128 random bits, 22 characters of URL-safe base64."""
    return secrets.token_urlsafe(16)


def posted_token(request):
    """The token a POST carries, ``None`` when it carries none; a malformed one is refused
    before it is looked up."""
    if request.method != "POST" or FIELD not in request.POST:
        return None
    token = request.POST[FIELD]
    if not FORMAT.fullmatch(token):
        raise BadRequest("The form's token is not one this site makes.")
    return token


def saved_here(request, then=None):
    """Say that the view saved although it shows its result on the same page rather than
    redirecting (an import's counts): the same form sent again comes back to this page, or to
    ``then`` when this page is only ever an answer to the form (a secret shown once)."""
    request._form_saved_here = then or request.get_full_path()


def _where_it_went(request, response):
    """Where a view sent the person after saving, or ``None`` when it did not save."""
    if response.status_code in REDIRECTS:
        return response["Location"]
    if getattr(request, "_form_saved_here", None):
        return request._form_saved_here
    return response.headers.get("HX-Redirect")


def _already_saved(request, token):
    claim = FormSubmission.objects.filter(token=token).first()
    if claim is None or claim.user_id != request.user.pk or not claim.redirect_to:
        raise BadRequest("The form's token belongs to another form.")
    messages.info(request, _("That was already saved."))
    return redirect(claim.redirect_to)


def creates_once(view):
    """Make a create form's view create once per token (see the module's note). Only a view:
    it reads what the view answers to learn where the form went.

    Put it nearest the view function, inside the decorators that check who may post and that
    set upload handlers: it reads the posted form."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = posted_token(request)
        claimed = getattr(request, "_form_token_claimed", False)
        if token is None or claimed or not request.user.is_authenticated:
            # (A helper wrapped too, called by a wrapped view, runs inside the view's claim.)
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(token=token, user=request.user)
            except IntegrityError:
                return _already_saved(request, token)
            request._form_token_claimed = True
            try:
                response = view(request, *args, **kwargs)
            finally:
                request._form_token_claimed = False
            went_to = _where_it_went(request, response)
            if went_to:
                claim.redirect_to = went_to
                claim.save(update_fields=["redirect_to"])
            else:
                claim.delete()  # nothing saved: the corrected form may use the same token
        return response

    CREATES_ONCE[f"{view.__module__}.{view.__qualname__}"] = wrapper
    return wrapper
