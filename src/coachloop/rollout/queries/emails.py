"""Reads for the emails page: what the person asking has chosen to receive."""

from django.http import Http404

from coachloop.people.models import Trust, User
from coachloop.rollout.models import EmailPreference
from coachloop.rollout.unsubscribe import read_token


def email_preference(viewer) -> EmailPreference:
    """The viewer's choices in their trust; everything on (unsaved) until they choose (one
    query)."""
    return EmailPreference.objects.filter(
        trust=viewer.trust, person=viewer.user
    ).first() or EmailPreference(trust=viewer.trust, person=viewer.user)


def unsubscribe_for(token):
    """(trust, person, the choice it turns off) for the link in an email, or 404 when the token
    is not one this site signed, or its trust is gone, or its person is no longer one of the
    trust's people who can sign in (erased, or never in it): a link in an old email then
    changes nothing (two queries)."""
    wanted = read_token(token)
    if wanted is None:
        raise Http404
    trust = Trust.objects.filter(pk=wanted.trust_id).first()
    person = (
        User.objects.filter(pk=wanted.person_id, is_active=True, memberships__trust=trust)
        .distinct()
        .first()
        if trust is not None
        else None
    )
    if trust is None or person is None:
        raise Http404
    return trust, person, wanted.preference


def email_kind_is_on(*, trust, person, preference):
    """Whether ``person`` still gets that kind of email in ``trust`` (one query, in its scope)."""
    choices = EmailPreference.objects.filter(trust=trust, person=person).first()
    return choices is None or getattr(choices, preference)
