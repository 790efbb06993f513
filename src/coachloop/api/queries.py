"""Reads of tokens, always for someone who is asking: a person sees and revokes only their own
(in the trust they are working in)."""

from django.http import Http404

from coachloop.api.models import ApiToken


def own_tokens(viewer):
    """The viewer's own tokens in the viewer's trust, newest first (revoked and expired too)."""
    return list(ApiToken.objects.filter(user=viewer.user, integration__isnull=True))


def own_token(viewer, pk):
    """One of the viewer's own tokens; anyone else's, or another trust's, is a 404."""
    token = ApiToken.objects.filter(pk=pk, user=viewer.user, integration__isnull=True).first()
    if token is None:
        raise Http404
    return token
