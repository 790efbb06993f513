"""The reads of integrations: an administrator's own trust's only; anyone else refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coachloop.api.queries import integration_for, integrations_of
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.queries import viewer_for
from tests.api.tokens import make_integration
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_an_administrator_reads_their_trust_s_integrations_and_not_another_trust_s():
    world = build_world()
    ours = make_integration(world.trust, "Our MIS")
    theirs = make_integration(world.other_trust, "Their MIS")
    with scopes_disabled():
        admin = viewer_for(world.people["administrator"], trust_id=world.trust.pk)
        assert integrations_of(admin) == [ours]
        assert integration_for(admin, ours.pk) == ours
        with pytest.raises(Http404):
            integration_for(admin, theirs.pk)


def test_anyone_but_an_administrator_is_refused_integrations():
    world = build_world()
    ours = make_integration(world.trust)
    with scopes_disabled():
        head = viewer_for(world.people["headteacher"], trust_id=world.trust.pk)
        with pytest.raises(PermissionDenied):
            integrations_of(head)
        with pytest.raises(PermissionDenied):
            integration_for(head, ours.pk)
