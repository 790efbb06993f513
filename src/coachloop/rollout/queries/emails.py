"""Reads for the emails page: what the person asking has chosen to receive."""

from coachloop.rollout.models import EmailPreference


def email_preference(viewer) -> EmailPreference:
    """The viewer's choices in their trust; everything on (unsaved) until they choose (one
    query)."""
    return EmailPreference.objects.filter(
        trust=viewer.trust, person=viewer.user
    ).first() or EmailPreference(trust=viewer.trust, person=viewer.user)
