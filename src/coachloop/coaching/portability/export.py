"""Building the teacher-record document (docs/export-format.md) from a ``TeacherRecord``.

The document is plain JSON data: every item has an ``id`` (its number in this file only), the
fields ``format.PARTS`` lists, and its nested lists. Evidence files travel inside the document,
base64-encoded, each with the SHA-256 of its bytes.
"""

import base64
import datetime as dt
import hashlib
import json

from django.utils import timezone

from coachloop.coaching.portability.format import FORMAT, PARTS, VERSION, all_parts

# Where a prefetched list lives on its parent, when not under the list's own key.
ACCESSORS = {"dropins": "recorded_dropins"}


def plain(value):
    """A model value as JSON data: dates and times in ISO 8601, the rest as they are."""
    return value.isoformat() if isinstance(value, dt.date) else value  # a datetime is a date


def children_of(obj, part):
    found = getattr(obj, ACCESSORS.get(part.key, part.key))
    return list(found.all()) if hasattr(found, "all") else list(found)


def top_level_items(record, part):
    return getattr(record, part.key)


def _kept(obj, name):
    """What an import kept for ``name`` when it could not link it here, or None."""
    return getattr(obj, "as_imported", {}).get(name)


def _person(obj, name, teacher):
    person = getattr(obj, name)
    if person is None:
        kept = _kept(obj, name)
        return None if kept is None else {"name": kept["name"], "is_teacher": False}
    return {"name": person.full_name, "is_teacher": person.pk == teacher.pk}


def _framework(item, name, kind):
    obj = getattr(item, name)
    if obj is None:
        return _kept(item, name)
    if kind == "strand":
        return {"code": obj.code, "title": obj.title}
    return {
        "code": obj.code,
        "title": obj.title,
        "strand_code": obj.strand.code,
        "strand_title": obj.strand.title,
    }


def _evidence_file(item):
    if not item.file:
        return None
    try:
        with item.file.open("rb") as handle:
            content = handle.read()
    except OSError:
        return {"content_base64": None, "sha256": None, "missing": True}
    return {
        "content_base64": base64.b64encode(content).decode("ascii"),
        "sha256": hashlib.sha256(content).hexdigest(),
    }


def _special(part, obj):
    if part.key == "relationships":
        return {
            "school": obj.school.name if obj.school_id else None,
            "coach_name": obj.coach.full_name if obj.coach_id else obj.imported_coach_name,
        }
    if part.key == "evidence":
        return {"file": _evidence_file(obj)}
    return {}


class _Builder:
    def __init__(self, record):
        self.record = record
        self.teacher = record.teacher
        # Which ids each list holds, so a link to a row outside the file is written as null.
        self.ids = {part.key: set() for part in all_parts()}
        for part in PARTS:
            self._collect(part, top_level_items(record, part))

    def _collect(self, part, items):
        for obj in items:
            self.ids[part.key].add(obj.pk)
            for child in part.children:
                self._collect(child, children_of(obj, child))

    def item(self, part, obj):
        data = {"id": obj.pk}
        for name in part.copied:
            data[name] = plain(getattr(obj, name))
        for name in part.people:
            data[name] = _person(obj, name, self.teacher)
        for name, target in part.references.items():
            pk = getattr(obj, f"{name}_id")
            data[name] = pk if pk in self.ids[target] else None
        for name, kind in part.framework.items():
            data[name] = _framework(obj, name, kind)
        data.update(_special(part, obj))
        for child in part.children:
            data[child.key] = [self.item(child, c) for c in children_of(obj, child)]
        return data

    def document(self, exported_at):
        document = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": exported_at.isoformat(),
            "trust": self.record.trust.name,
            "teacher": {"name": self.teacher.full_name, "email": self.teacher.email},
        }
        for part in PARTS:
            document[part.key] = [
                self.item(part, obj) for obj in top_level_items(self.record, part)
            ]
        return document


def build_document(record, *, exported_at=None):
    """The record as the teacher-record document (a dict of JSON data)."""
    return _Builder(record).document(exported_at or timezone.now())


def document_bytes(document):
    """The document as the file's bytes: UTF-8 JSON, indented so a person can read it."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
