"""How long a signed-in session lasts, and ending a person's sessions on every device.

A session ends:

- when its person has not used Coachloop for their trust's idle time (``Trust.idle_minutes``,
  2 hours unless the trust's administrator changes it);
- ``COACHLOOP_SESSION_MAX_HOURS`` (12) after signing in, however busy the person has been;
- when the person's last role has ended, anywhere;
- when their password changes (every other session: see ``people.apps``), and when they sign
  out everywhere from their account page (every session, this one too).

``people.middleware.SessionLimitsMiddleware`` checks the first three on each request from two
times kept in the session itself (when the person signed in, and when they last used
Coachloop), so a page read writes nothing but the session. The time of last use is written at
most once a minute (``LAST_USE_PRECISION``), not on every request.

django-allauth records each session a person signs in to (``UserSession``); ending one
deletes it from the session store, so the next request from that device is signed out.
"""

import enum

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.common.audit import audit_record
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Trust

SIGNED_IN_AT = "coachloop_signed_in_at"
LAST_USED_AT = "coachloop_last_used_at"
LAST_USE_PRECISION = 60  # seconds
IDLE_MINUTES = Trust._meta.get_field("idle_minutes").default


class Ended(enum.Enum):
    """Why a session has ended."""

    IDLE = "idle"
    LIFETIME = "lifetime"
    NO_ROLE = "no_role"


def end_every_session(person, *, keep_session_key=None):
    """Sign ``person`` out everywhere (but the session ``keep_session_key``, when given).
    Returns how many sessions were ended."""
    ended = 0
    for session in UserSession.objects.filter(user=person).exclude(session_key=keep_session_key):
        session.end()
        ended += 1
    return ended


def on_password_changed(sender, request, user, **kwargs):
    """A new password chosen on allauth's pages ends every other session of the person.
    (Django would refuse those sessions at their next request anyway, as the password they
    were signed in with has changed; this also deletes them.)"""
    end_every_session(user, keep_session_key=request.session.session_key)


@transaction.atomic
def sign_out_everywhere(*, person, trust):
    """The person ends every session of theirs, the one they asked from too (the view then
    signs that one out). Written to the audit trail of the trust they were working in."""
    ended = end_every_session(person)
    audit_record(
        actor=person,
        verb="person.signed_out_everywhere",
        target=person,
        subject=person,
        trust=trust,
        summary=ngettext("%(count)d session ended", "%(count)d sessions ended", ended)
        % {"count": ended},
    )
    return ended


def _no_role_left(person):
    """Whether every role the person has held, in any trust, has ended (someone who never
    had one, or whose role has yet to begin, is not such a person)."""
    today = timezone.localdate()
    with scopes_disabled():
        roles = Membership.objects.filter(user=person).aggregate(
            held=Count("pk"),
            open=Count("pk", filter=Q(finished_on__isnull=True) | Q(finished_on__gte=today)),
        )
    return roles["held"] > 0 and roles["open"] == 0


def end_sessions_if_no_role_left(person):
    """After a role has ended: when it was the person's last, end all their sessions."""
    if _no_role_left(person):
        end_every_session(person)


def clock_start(sender, request, user, **kwargs):
    """On signing in (Django's ``user_logged_in``, which every way in sends): the session's
    clock starts."""
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_USED_AT] = now


def idle_minutes(viewer):
    """How long the person may leave Coachloop unused: the setting of the trust they are
    working in."""
    return viewer.trust.idle_minutes if viewer is not None else IDLE_MINUTES


def session_ended(request):
    """Why the signed-in request's session has ended, or ``None`` while it runs (its last use
    is then noted, once a minute at most)."""
    session, viewer = request.session, getattr(request, "viewer", None)
    now = timezone.now().timestamp()
    signed_in_at, last_used_at = session.get(SIGNED_IN_AT), session.get(LAST_USED_AT)
    if signed_in_at is None or last_used_at is None:
        # Signed in before these limits were kept (up to 14 days ago), and unknown to
        # allauth's record of sessions, so out of reach of signing out everywhere: it ends.
        return Ended.LIFETIME
    if now - signed_in_at > settings.COACHLOOP_SESSION_MAX_HOURS * 3600:
        return Ended.LIFETIME
    if now - last_used_at > idle_minutes(viewer) * 60:
        return Ended.IDLE
    if viewer is None and _no_role_left(request.user):
        return Ended.NO_ROLE
    if now - last_used_at >= LAST_USE_PRECISION:
        session[LAST_USED_AT] = now
    return None


def duration_in_words(minutes):
    """ "2 hours", "45 minutes", "1 hour and 30 minutes"."""
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes or not hours:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return _(" and ").join(parts)


def ended_message(ended, viewer):
    """What the sign-in page says about a session that has ended."""
    if ended is Ended.IDLE:
        return _(
            "You were signed out because you had not used Coachloop for %(duration)s. "
            "Sign in again to carry on."
        ) % {"duration": duration_in_words(idle_minutes(viewer))}
    if ended is Ended.LIFETIME:
        return _(
            "You were signed out because you signed in %(duration)s ago. Sign in again to carry on."
        ) % {"duration": duration_in_words(settings.COACHLOOP_SESSION_MAX_HOURS * 60)}
    return _(
        "You were signed out because you no longer have a role in a school or trust on "
        "Coachloop. If you should have one, ask your school's Coachloop administrator."
    )
