"""The OpenAPI 3.1 schema at /api/schema/ and its documentation at /api/docs/, both public."""

import pytest
import yaml
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _schema(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_openapi_3_1_and_anyone_may_read_it(client):
    schema = _schema(client)
    assert schema["openapi"] == "3.1.0"
    assert schema["info"]["title"] == "Coachloop API"


def test_every_operation_lists_the_standard_errors_in_the_one_error_shape(client):
    schema = _schema(client)
    assert "Error" in schema["components"]["schemas"]
    operations = [
        operation
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "responses" in operation
    ]
    assert operations
    for operation in operations:
        for status in ("400", "401", "403", "404", "429"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_schema_names_bearer_tokens_as_the_way_in(client):
    schema = _schema(client)
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal or integration token: Authorization: Bearer cl_…",
    }
    assert schema["paths"]["/api/v1/me/"]["get"]["security"] == [{"token": []}]


def test_the_documentation_page_has_no_inline_style_or_script_and_serves_its_own(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert "<script>" not in html
    assert 'lang="en-GB"' in html
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in script.content
