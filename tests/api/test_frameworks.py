"""The API's framework resources: versions listed and exported as coachloop-framework/1
documents that load again to an identical version; an import with problems is a 400 listing
them, and nothing is written; the published JSON Schemas."""

import json

import pytest
from django.urls import reverse

from coachloop.api.models import Scope
from coachloop.coaching.portability.schema import SCHEMA_PATH
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.frameworks.loader import framework_schema
from coachloop.frameworks.models import Framework, FrameworkVersion, Step
from tests.api.tokens import bearer, integration_token, token_for

pytestmark = pytest.mark.django_db


def _post(client, url, body, secret):
    return client.post(
        url, json.dumps(body), content_type="application/json", headers=bearer(secret)
    )


def _version_of(world):
    with scopes_disabled():
        return FrameworkVersion.objects.get(trust=world.trust)


def test_a_member_lists_their_trust_s_framework_versions_only(client, world):
    response = client.get(reverse("api:v1:frameworks"), headers=bearer(token_for(world, "coach")))
    assert response.status_code == 200
    assert [(v["slug"], v["number"]) for v in response.json()["results"]] == [("framework-a", 1)]


def test_an_integration_reads_no_frameworks(client, world):
    secret = integration_token(world, [Scope.READ_PEOPLE, Scope.READ_AGGREGATES])
    assert client.get(reverse("api:v1:frameworks"), headers=bearer(secret)).status_code == 403


def test_another_trust_s_version_is_not_found(client, world):
    with scopes_disabled():
        theirs = FrameworkVersion.objects.get(trust=world.other_trust)
    url = reverse("api:v1:framework_version", kwargs={"pk": theirs.pk})
    assert client.get(url, headers=bearer(token_for(world, "administrator"))).status_code == 404


def test_a_version_exported_and_imported_again_is_an_identical_version(client, world):
    secret = token_for(world, "administrator")
    version = _version_of(world)
    url = reverse("api:v1:framework_version", kwargs={"pk": version.pk})
    exported = client.get(url, headers=bearer(secret)).json()
    assert exported["format"] == "coachloop-framework/1"
    loaded = _post(client, reverse("api:v1:framework_import"), exported, secret)
    assert loaded.status_code == 201, loaded.content
    assert (loaded.json()["slug"], loaded.json()["number"]) == ("framework-a", 2)
    url = reverse("api:v1:framework_version", kwargs={"pk": loaded.json()["id"]})
    assert client.get(url, headers=bearer(secret)).json() == exported
    with scopes_disabled():
        assert AuditEvent.objects.filter(actor=world.people["administrator"]).exists()


def test_an_import_with_problems_is_a_400_listing_them_and_nothing_is_written(client, world):
    secret = token_for(world, "administrator")
    document = {"format": "coachloop-framework/1", "slug": "new", "strands": [{"code": "X"}]}
    with scopes_disabled():
        before = (Framework.objects.count(), FrameworkVersion.objects.count(), Step.objects.count())
        events = AuditEvent.objects.count()
    response = _post(client, reverse("api:v1:framework_import"), document, secret)
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert problems and all(isinstance(p, str) for p in problems)
    with scopes_disabled():
        after = (Framework.objects.count(), FrameworkVersion.objects.count(), Step.objects.count())
        assert after == before
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("persona", ["headteacher", "trust_lead", "coaching_lead", "coach"])
def test_nobody_but_an_administrator_imports_a_framework(client, world, persona):
    secret = token_for(world, persona)
    version = _version_of(world)
    url = reverse("api:v1:framework_version", kwargs={"pk": version.pk})
    exported = client.get(url, headers=bearer(secret)).json()
    response = _post(client, reverse("api:v1:framework_import"), exported, secret)
    assert response.status_code == 403
    with scopes_disabled():
        assert FrameworkVersion.objects.filter(trust=world.trust).count() == 1


def test_the_json_schemas_are_published_as_they_are_without_a_token(client, db):
    framework = client.get(reverse("api:v1:schema_framework"))
    assert framework.status_code == 200
    assert framework.json() == framework_schema()
    record = client.get(reverse("api:v1:schema_teacher_record"))
    assert record.json() == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
