"""The teacher-record format's published JSON Schema: built from the format's own description
(``format.PARTS``), so it names every field the file holds; every export validates."""

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from coachloop.coaching.portability.format import all_parts
from coachloop.coaching.portability.schema import SCHEMA_PATH, record_schema
from tests.coaching.portability_fixtures import export

pytestmark = pytest.mark.django_db


def _errors(document):
    return list(Draft202012Validator(record_schema()).iter_errors(document))


def test_the_published_schema_is_the_one_the_format_describes():
    published = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert published == record_schema(), (
        "The teacher-record schema is out of date: run .venv/bin/python manage.py shell -c "
        '"from coachloop.coaching.portability.schema import write_schema; write_schema()"'
    )
    Draft202012Validator.check_schema(published)


def test_every_field_of_every_list_is_in_the_schema():
    defs = record_schema()["$defs"]
    for part in all_parts():
        named = {"id", *part.copied, *part.people, *part.references, *part.framework} | {
            child.key for child in part.children
        }
        assert named <= set(defs[part.key]["properties"]), part.key


def test_a_teachers_whole_record_validates(world, rich):
    document = export(rich.teacher, world.trust)
    assert document["relationships"] and document["evidence"]
    assert _errors(document) == []


def test_the_schema_refuses_a_wrong_type_an_unknown_key_and_a_missing_field(world, rich):
    document = export(rich.teacher, world.trust)
    dropin = document["relationships"][0]["dropins"][0]
    for change in (
        lambda d: d.update(minutes="ten"),
        lambda d: d.update(unknown="x"),
        lambda d: d.pop("noticed"),
    ):
        broken = copy.deepcopy(document)
        change(broken["relationships"][0]["dropins"][0])
        assert _errors(broken), change
    assert dropin  # the original is untouched


def test_an_import_refuses_a_file_the_schema_refuses_saying_where(world, rich, monkeypatch):
    from coachloop.coaching.portability import importer

    strict = record_schema()
    strict["$defs"]["dropins"]["properties"]["minutes"]["maximum"] = 0
    monkeypatch.setattr(importer, "record_schema", lambda: strict)
    document = export(rich.teacher, world.trust)
    with pytest.raises(importer.RecordProblems) as refused:
        importer.read_record(json.dumps(document))
    problems = [str(p) for p in refused.value.problems]
    minutes = document["relationships"][0]["dropins"][0]["minutes"]
    assert problems[0] == (
        f"coaching relationship 1 › drop-in 1 › minutes: {minutes} is greater than the maximum of 0"
    )
    assert all(p.endswith("maximum of 0") for p in problems)
