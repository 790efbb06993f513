"""A person's API tokens in their data download, and gone when they are erased."""

import pytest

from coachloop.api.models import ApiToken, Integration
from coachloop.api.personal_data import erase, export
from coachloop.common.tenancy import scopes_disabled
from tests.api.tokens import make_integration, make_token

pytestmark = pytest.mark.django_db


def test_the_download_lists_a_persons_tokens_without_their_secrets(world):
    coach = world.people["coach"]
    secret, _token = make_token(coach, world.trust, name="Timetable sync")
    with scopes_disabled():
        tokens = export(coach, world.trust, for_person_themself=True)[0]
    assert [record["name"] for record in tokens.records] == ["Timetable sync"]
    assert secret not in str(tokens.records)
    assert tokens.records[0]["prefix"] == secret[:12]


def test_erasure_deletes_the_persons_tokens_and_keeps_the_integrations_they_set_up(world):
    admin = world.people["administrator"]
    make_token(admin, world.trust)
    integration = make_integration(world.trust)
    with scopes_disabled():
        Integration.objects.filter(pk=integration.pk).update(created_by=admin)
        counts = erase(admin, world.trust)
        assert not ApiToken.objects.filter(user=admin).exists()
        assert Integration.objects.filter(pk=integration.pk).exists()
    assert counts["API tokens"] == 1


def test_erasure_leaves_other_peoples_tokens(world):
    make_token(world.people["teacher"], world.trust)
    with scopes_disabled():
        erase(world.people["coach"], world.trust)
        assert ApiToken.objects.filter(user=world.people["teacher"]).exists()
