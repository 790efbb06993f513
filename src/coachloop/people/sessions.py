"""Ending a person's sessions, on every device they are signed in on.

django-allauth records each session a person signs in to (``UserSession``); ending one
deletes it from the session store, so the next request from that device is signed out.
"""

from allauth.usersessions.models import UserSession


def end_every_session(person, *, keep_session_key=None):
    """Sign ``person`` out everywhere (but the session ``keep_session_key``, when given).
    Returns how many sessions were ended."""
    ended = 0
    for session in UserSession.objects.filter(user=person).exclude(session_key=keep_session_key):
        session.end()
        ended += 1
    return ended
