"""The teacher-record format (docs/export-format.md) as a JSON Schema (Draft 2020-12), built
from ``format.PARTS`` and the models' fields, so that it names every field the file holds and
cannot drift from the export. The published copy is ``teacher-record-1.schema.json`` beside
this module; a test checks it equals ``record_schema()`` (``write_schema()`` rewrites it).
"""

import json
from pathlib import Path

from django.db import models

from coachloop.coaching.portability.format import FORMAT, PARTS, VERSION, all_parts

SCHEMA_PATH = Path(__file__).resolve().parent / "teacher-record-1.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _nullable(schema, field):
    if not field.null:
        return schema
    kind = schema.get("type")
    return {**schema, "type": [kind, "null"]} if kind else schema


def _field_schema(field) -> dict:
    if isinstance(field, models.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, models.JSONField):
        schema = {}
    else:
        schema = {"type": "string"}
    if field.choices and schema.get("type") == "string":
        values = [value for value, _label in field.flatchoices]
        schema["enum"] = (
            values
            + ([""] if field.blank and "" not in values else [])
            + ([None] if field.null else [])
        )
    return _nullable(schema, field)


# Keys that carry a field another way (format.Part.special), by list.
SPECIAL_KEYS = {
    "relationships": {
        "school": {"type": ["string", "null"]},
        "coach_name": {"type": ["string", "null"]},
    },
    "evidence": {"file": {"$ref": "#/$defs/file"}},
}


def _item(part) -> dict:
    properties = {"id": {"type": "integer"}}
    for name in part.copied:
        properties[name] = _field_schema(part.model._meta.get_field(name))
    for name in part.people:
        properties[name] = {"$ref": "#/$defs/person"}
    for name in part.references:
        properties[name] = {"type": ["integer", "null"]}
    for name, kind in part.framework.items():
        properties[name] = {"$ref": f"#/$defs/framework_{kind}"}
    properties.update(SPECIAL_KEYS.get(part.key, {}))
    for child in part.children:
        properties[child.key] = {"type": "array", "items": {"$ref": f"#/$defs/{child.key}"}}
    return {
        "type": "object",
        "title": part.label,
        "properties": properties,
        "required": [name for name in properties if name not in part.added_later],
        "additionalProperties": False,
    }


def record_schema() -> dict:
    defs = {
        "person": {
            "type": ["object", "null"],
            "properties": {"name": {"type": "string"}, "is_teacher": {"type": "boolean"}},
            "required": ["name", "is_teacher"],
        },
        "framework_step": {
            "type": ["object", "null"],
            "properties": {
                name: {"type": "string"}
                for name in ("code", "title", "strand_code", "strand_title")
            },
        },
        "framework_strand": {
            "type": ["object", "null"],
            "properties": {"code": {"type": "string"}, "title": {"type": "string"}},
        },
        "file": {
            "type": ["object", "null"],
            "properties": {
                "content_base64": {"type": ["string", "null"]},
                "sha256": {"type": ["string", "null"], "pattern": "^[0-9a-f]{64}$"},
                "missing": {"type": "boolean"},
            },
            "required": ["content_base64", "sha256"],
        },
    }
    for part in all_parts():
        defs[part.key] = _item(part)
    properties = {
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "exported_at": {"type": "string", "format": "date-time"},
        "trust": {"type": "string"},
        "teacher": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
            "required": ["name", "email"],
        },
    }
    for part in PARTS:
        properties[part.key] = {"type": "array", "items": {"$ref": f"#/$defs/{part.key}"}}
    return {
        "$schema": DIALECT,
        "$id": "https://coachloop.org/schemas/teacher-record-1.schema.json",
        "title": f"A teacher's coaching record ({FORMAT} version {VERSION})",
        "description": "See docs/export-format.md. Ids point only within the same file.",
        "type": "object",
        "required": ["format", "version", "teacher"],
        "properties": properties,
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(record_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema():
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
