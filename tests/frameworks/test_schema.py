"""The framework format's published JSON Schema says what the loader checks: the starter file
and every export validate, every document the loader refuses for its shape the schema refuses
too, and the loader refuses anything the schema does."""

import copy

import pytest
from jsonschema import Draft202012Validator

from coachloop.common.tenancy import trust_scope
from coachloop.frameworks import loader
from coachloop.frameworks.exporter import framework_document
from coachloop.frameworks.loader import (
    STEP_FIELDS,
    STRAND_FIELDS,
    TOP_FIELDS,
    FrameworkFormatError,
    framework_schema,
    parse_framework,
    schema_problems,
    starter_framework_data,
)
from coachloop.frameworks.models import Framework, FrameworkVersion, Step, Strand


def _valid(data):
    return not list(Draft202012Validator(framework_schema()).iter_errors(data))


def test_the_schema_is_a_draft_2020_12_schema():
    Draft202012Validator.check_schema(framework_schema())
    assert framework_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_starter_framework_and_a_small_document_are_valid(document):
    assert schema_problems(starter_framework_data()) == []
    assert schema_problems(document(maps_to={"ecf-2019": ["1a"]})) == []


def test_an_export_with_its_mappings_is_valid(starter, trust):
    with trust_scope(trust):
        assert schema_problems(framework_document(starter)) == []


def _without(data, *path):
    *parents, last = path
    for key in parents:
        data = data[key]
    del data[last]


# Each: a change the loader's own tests refuse the document for.
REFUSED = {
    "another format": lambda d: d.update(format="coachloop-framework/99"),
    "no format": lambda d: _without(d, "format"),
    "a blank name": lambda d: d.update(name="   "),
    "a slug with spaces": lambda d: d.update(slug="not a slug!"),
    "no strands": lambda d: d.update(strands=[]),
    "a step without a title": lambda d: _without(d, "strands", 1, "steps", 1, "title"),
    "an empty looks_like": lambda d: d["strands"][1]["steps"][0].update(looks_like=""),
    "a number for text": lambda d: d["strands"][0]["steps"][1].update(why_it_works=42),
    "an unknown field": lambda d: d["strands"][0]["steps"][0].update(loks_like="a typo"),
    "a long strand title": lambda d: d["strands"][1].update(title="x" * 201),
    "a long strand code": lambda d: d["strands"][0].update(code="C" * 21),
    "a long step code": lambda d: d["strands"][0]["steps"][0].update(code="D" * 30),
    "a strand without steps": lambda d: d["strands"][0].update(steps=[]),
    "a step that is text": lambda d: d["strands"][1]["steps"].__setitem__(0, "BR1 Use a signal"),
    "a strand without a code": lambda d: _without(d, "strands", 1, "code"),
    "maps_to with no codes": lambda d: d["strands"][0]["steps"][0].update(maps_to={"ecf-2019": []}),
    "maps_to with a code twice": lambda d: d["strands"][0]["steps"][0].update(
        maps_to={"ecf-2019": ["1a", "1a"]}
    ),
    "maps_to with a number": lambda d: d["strands"][0]["steps"][0].update(
        maps_to={"ecf-2019": [7]}
    ),
    "maps_to as a list": lambda d: d["strands"][0]["steps"][0].update(maps_to=["1a"]),
}


@pytest.mark.parametrize("change", REFUSED)
def test_the_schema_refuses_what_the_loader_refuses(document, change):
    data = document()
    REFUSED[change](data)
    with pytest.raises(FrameworkFormatError):
        parse_framework(copy.deepcopy(data))
    assert not _valid(data)


def test_the_schema_names_the_fields_the_loader_knows():
    schema = framework_schema()
    assert set(schema["properties"]) == TOP_FIELDS
    assert set(schema["$defs"]["strand"]["properties"]) == STRAND_FIELDS
    assert set(schema["$defs"]["step"]["properties"]) == STEP_FIELDS


def test_the_schemas_lengths_are_the_databases():
    schema = framework_schema()
    strand, step = schema["$defs"]["strand"]["properties"], schema["$defs"]["step"]["properties"]
    for given, model, name in (
        (schema["properties"]["slug"], Framework, "slug"),
        (schema["properties"]["name"], Framework, "name"),
        (schema["properties"]["version_label"], FrameworkVersion, "label"),
        (strand["code"], Strand, "code"),
        (strand["title"], Strand, "title"),
        (step["code"], Step, "code"),
        (step["title"], Step, "title"),
    ):
        assert given["maxLength"] == model._meta.get_field(name).max_length, (model, name)


def test_the_loader_refuses_what_the_schema_refuses_with_its_location(document, monkeypatch):
    strict = copy.deepcopy(framework_schema())
    strict["$defs"]["step"]["properties"]["title"]["maxLength"] = 10
    monkeypatch.setattr(loader, "framework_schema", lambda: strict)
    with pytest.raises(FrameworkFormatError) as refused:
        parse_framework(document())
    assert refused.value.problems[0].startswith("strands[0].steps[0].title: ")
