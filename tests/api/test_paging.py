"""Every list of the API comes a page at a time, with ``page`` and ``page_size`` in its schema
and checked: a value that is not what it should be is a 400 naming it, never ignored."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.api.tokens import bearer, make_token

pytestmark = pytest.mark.django_db


def _operations():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in raw["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation, raw["components"]["schemas"]


def _is_a_page(operation, components):
    answer = operation["responses"].get("200", {}).get("content", {}).get("application/json")
    if not answer:
        return False
    reference = answer["schema"].get("$ref", "")
    shape = components.get(reference.rsplit("/", 1)[-1], {})
    return "results" in shape.get("properties", {})


def test_every_list_of_the_api_declares_its_page_and_page_size():
    lists = {
        name: {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        for name, operation, components in _operations()
        if _is_a_page(operation, components)
    }
    assert len(lists) >= 8, sorted(lists)
    undeclared = sorted(name for name, asked in lists.items() if not {"page", "page_size"} <= asked)
    assert not undeclared, f"lists without page and page_size in the schema: {undeclared}"


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("coach", "/api/v1/coaching/"),
        ("programme_lead", "/api/v1/programmes/"),
        ("administrator", "/api/v1/people/"),
    ],
)
@pytest.mark.parametrize("asked", ["page=abc", "page=0", "page_size=100000"])
def test_a_list_asked_for_a_page_with_a_mistake_answers_400_naming_it(
    persona, url, asked, client, world
):
    secret, _token = make_token(world.people[persona], world.trust)
    response = client.get(f"{url}?{asked}", headers=bearer(secret))
    assert response.status_code == 400
    assert asked.split("=")[0] in response.json()["fields"]
