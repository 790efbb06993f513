"""Importing a teacher's record into another trust: every field arrives, all or nothing, once.

The round trip is checked generically, over the fields ``coaching.portability.format`` lists for
each model, and a separate test makes sure that list names every field of every coaching model:
a field added later fails here until someone decides how it travels.
"""

import base64
import copy
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from coachloop.coaching.models import ActionStep, AgreementConsent, Relationship, StepProposal
from coachloop.coaching.portability.export import document_bytes
from coachloop.coaching.portability.format import (
    COMMON,
    MODELS_LEFT_OUT,
    PARTS,
    all_parts,
)
from coachloop.coaching.portability.importer import RecordProblems
from coachloop.coaching.portability.pdf import record_html
from coachloop.coaching.queries.portability import teacher_record
from coachloop.coaching.services.portability import IMPORTED, teacher_record_import
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Membership, User
from tests.coaching.portability_fixtures import (
    PDF_BYTES,
    counts_of_every_table,
    export,
    items_of,
    path_to,
)

pytestmark = pytest.mark.django_db

SPECIAL_KEYS = {"relationships": {"school", "coach_name"}, "evidence": {"file"}}


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _stored(value):
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _expected(value):
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return parsed if "T" in value else value
    return value


# -- the format covers every field ------------------------------------------------------------


def test_every_field_of_every_coaching_model_is_in_the_file_or_left_out_on_purpose():
    for part in all_parts():
        named = (
            set(COMMON)
            | set(part.copied)
            | set(part.people)
            | set(part.references)
            | set(part.framework)
            | set(part.special)
            | set(part.left_out)
            | ({part.parent} if part.parent else set())
        )
        fields = {f.name for f in part.model._meta.concrete_fields}
        assert fields == named, (part.model.__name__, fields ^ named)
    described = {part.model for part in all_parts()} | set(MODELS_LEFT_OUT)
    coaching_models = set(apps.get_app_config("coaching").get_models())
    assert coaching_models == described, coaching_models ^ described


def _keys_of(part):
    return (
        {"id"}
        | set(part.copied)
        | set(part.people)
        | set(part.references)
        | set(part.framework)
        | SPECIAL_KEYS.get(part.key, set())
        | {child.key for child in part.children}
    )


def test_the_format_document_describes_every_key_of_every_list():
    text = (Path(__file__).parents[2] / "docs" / "export-format.md").read_text()
    sections = re.split(r"^#{2,3} ", text, flags=re.M)
    top = next(s for s in sections if s.startswith("The top level"))
    for key in ("format", "version", "exported_at", "trust", "teacher", *(p.key for p in PARTS)):
        assert f"`{key}`" in top, key
    for part in all_parts():
        section = next(s for s in sections if s.startswith(f"`{part.key}`"))
        missing = [key for key in _keys_of(part) if f"`{key}`" not in section]
        assert not missing, (part.key, missing)


def test_each_item_in_the_file_has_exactly_the_keys_the_format_names(world, rich):
    document = export(rich.teacher, world.trust)
    for part in all_parts():
        expected = _keys_of(part)
        found = list(items_of(document, part))
        assert found, f"the test record has no {part.key}"
        for item, _parents in found:
            assert set(item) == expected, (part.key, set(item) ^ expected)


# -- the round trip ---------------------------------------------------------------------------


def test_export_then_import_into_another_trust_recreates_the_history_field_by_field(world, rich):
    document = export(rich.teacher, world.trust)
    other = world.other_trust
    result = teacher_record_import(trust=other, raw=document_bytes(document))
    teacher = result.teacher
    assert teacher == rich.teacher and not result.created_teacher
    export_date = timezone.localtime(dt.datetime.fromisoformat(document["exported_at"])).date()

    with scopes_disabled():
        created = {key: type(obj).objects.get(pk=obj.pk) for key, obj in result.created.items()}
        checked_fields = 0
        for part in all_parts():
            items = list(items_of(document, part))
            written = [k for k in created if k[0] == part.key]
            assert len(written) == len(items) == result.counts[part.key], part.key
            for item, parents in items:
                obj = created[(part.key, item["id"])]
                where = f"{part.key} {item['id']}"
                assert obj.trust_id == other.pk, where
                if part.parent:
                    parent_part_key = path_to(part)[-2]
                    assert getattr(obj, f"{part.parent}_id") == (
                        created[(parent_part_key, parents[-1]["id"])].pk
                    ), where
                for name in part.copied:
                    want = _expected(item[name])
                    got = _stored(getattr(obj, name))
                    if part.key == "relationships" and name == "finished_on" and want is None:
                        want = max(export_date, _date(item["started_on"])).isoformat()
                    if part.key == "relationships" and name == "imported_from" and not want:
                        want = f"{item['school']}, {document['trust']}"
                    if part.key == "action_steps" and item["closed_on"] is None:
                        ended = _date(parents[-1]["finished_on"]) or export_date
                        if name == "closed_on":
                            want = max(_date(item["set_on"]), ended).isoformat()
                        if name == "outcome":
                            want = ActionStep.Outcome.COACHING_ENDED
                    assert got == want, (where, name, got, want)
                    checked_fields += 1
                for name in part.people:
                    ref, person = item[name], getattr(obj, name)
                    if ref is None:
                        assert person is None and name not in obj.as_imported, (where, name)
                    elif ref["is_teacher"]:
                        assert person == teacher, (where, name)
                    else:  # someone with no account in trust B: kept by name
                        assert person is None, (where, name)
                        assert obj.as_imported[name] == {"name": ref["name"]}, (where, name)
                        assert obj.name_of(name) == ref["name"], (where, name)
                    checked_fields += 1
                for name, target in part.references.items():
                    ref = item[name]
                    want = None if ref is None else created[(target, ref)].pk
                    assert getattr(obj, f"{name}_id") == want, (where, name)
                    checked_fields += 1
                for name in part.framework:
                    ref, linked = item[name], getattr(obj, name)
                    if ref is None:
                        assert linked is None and name not in obj.as_imported, (where, name)
                    else:  # trust B's framework has the same strand and step
                        assert linked is not None and linked.trust_id == other.pk, (where, name)
                        assert (linked.code, linked.title) == (ref["code"], ref["title"])
                    checked_fields += 1
                if "teacher" in part.special:
                    assert obj.teacher == teacher, where
                if part.key == "relationships":
                    assert obj.school is None and obj.coach is None, where
                    assert obj.imported_coach_name == item["coach_name"], where
                    assert obj.coach_reads_until is None and obj.peer is None, where
                if part.key == "evidence":
                    if item["file"] is None:
                        assert not obj.file, where
                    else:
                        with obj.file.open("rb") as handle:
                            content = handle.read()
                        assert content == base64.b64decode(item["file"]["content_base64"])
                        assert hashlib.sha256(content).hexdigest() == item["file"]["sha256"]
                        assert obj.file.name.startswith(f"evidence/{other.pk}/")
    assert checked_fields > 200
    # The record in trust A is untouched, and nobody was given a role in trust B.
    assert export(rich.teacher, world.trust) | {"exported_at": None} == document | {
        "exported_at": None
    }
    with scopes_disabled():
        assert not Membership.objects.filter(trust=other, user=teacher).exists()


def test_the_evidence_files_arrive_byte_for_byte_and_the_agreements_word_for_word(world, rich):
    document = export(rich.teacher, world.trust)
    result = teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    with trust_scope(world.other_trust):
        item = result.created[("evidence", rich.evidence_file.pk)]
        with item.file.open("rb") as handle:
            assert handle.read() == PDF_BYTES
        imported = result.created[("relationships", rich.current.pk)]
        versions = list(imported.agreement_versions.order_by("number"))
        consents = list(AgreementConsent.objects.filter(version__relationship=imported))
    assert [v.ground_rules for v in versions] == [
        "We start on time and finish with one clear next step.",
        "We start on time.",
    ]
    assert versions[0].in_force_from is not None and versions[1].in_force_from is None
    # The coach has no account in trust B: their agreement is kept under their name.
    assert {(c.person, c.name_of("person")) for c in consents} == {
        (rich.teacher, rich.teacher.full_name),
        (None, world.own.coach.full_name),
    }


def _same_ids(document, created):
    """``document`` (exported from where ``created`` was imported) with each item's id and
    each link put back to the id the imported file gave it, so the two files can be compared."""
    original = {(key, obj.pk): file_id for (key, file_id), obj in created.items()}
    for part in all_parts():
        for item, _parents in items_of(document, part):
            item["id"] = original[(part.key, item["id"])]
            for name, target in part.references.items():
                if item[name] is not None:
                    item[name] = original[(target, item[name])]
    return document


def test_a_record_imported_then_exported_again_is_the_file_it_arrived_in(world, rich):
    first = export(rich.teacher, world.trust)
    result = teacher_record_import(trust=world.other_trust, raw=document_bytes(first))
    again = _same_ids(export(rich.teacher, world.other_trust), result.created)

    # What an import changes on purpose, and nothing else: the coaching happened elsewhere,
    # so it names where instead of a school here, and what was running has ended.
    expected = copy.deepcopy(first)
    expected.update(trust=world.other_trust.name, exported_at=again["exported_at"])
    export_date = timezone.localtime(dt.datetime.fromisoformat(first["exported_at"])).date()
    for relationship in expected["relationships"]:
        relationship["imported_from"] = f"{relationship['school']}, {first['trust']}"
        relationship["school"] = None
        if relationship["finished_on"] is None:
            ended = max(export_date, _date(relationship["started_on"]))
            relationship["finished_on"] = ended.isoformat()
        for step in relationship["action_steps"]:
            if step["closed_on"] is None:
                step["closed_on"] = max(_date(step["set_on"]), ended).isoformat()
                step["outcome"] = ActionStep.Outcome.COACHING_ENDED
    assert again == expected


def test_a_framework_step_this_trust_does_not_have_is_kept_as_the_file_named_it(world, rich):
    document = export(rich.teacher, world.trust)
    step = next(
        s for r in document["relationships"] for s in r["action_steps"] if s["framework_step"]
    )
    elsewhere = {
        "code": "9.9",
        "title": "Use the school's own feedback policy",
        "strand_code": "9",
        "strand_title": "Our own strand",
    }
    step["framework_step"] = elsewhere
    result = teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    with trust_scope(world.other_trust):
        written = ActionStep.objects.get(pk=result.created[("action_steps", step["id"])].pk)
    assert written.framework_step is None
    assert written.as_imported["framework_step"] == elsewhere
    assert any("not in this trust's framework" in note for note in result.notes)
    exported = export(rich.teacher, world.other_trust)
    assert elsewhere in [
        s["framework_step"] for r in exported["relationships"] for s in r["action_steps"]
    ]


def test_a_link_to_an_item_further_on_in_the_file_arrives_linked(world, rich):
    document = export(rich.teacher, world.trust)
    proposal = next(p for r in document["relationships"] for p in r["step_proposals"])
    later_step = document["relationships"][-1]["action_steps"][-1]["id"]
    proposal["action_step"] = later_step
    result = teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    with trust_scope(world.other_trust):
        written = StepProposal.objects.get(pk=result.created[("step_proposals", proposal["id"])].pk)
    assert written.action_step == result.created[("action_steps", later_step)]


def test_imported_coaching_is_finished_and_names_where_it_came_from(world, rich):
    document = export(rich.teacher, world.trust)
    result = teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    with trust_scope(world.other_trust):
        rows = list(Relationship.objects.filter(teacher=rich.teacher).order_by("started_on"))
        current = result.created[("relationships", rich.current.pk)]
        handed = result.created[("relationships", rich.earlier.pk)]
        open_steps = ActionStep.objects.filter(relationship__in=rows, closed_on__isnull=True)
        assert not open_steps.exists()
    assert all(r.finished_on is not None for r in rows)
    assert current.finished_on == timezone.localdate()
    assert current.imported_from == f"{world.own.school.name}, {world.trust.name}"
    assert current.imported_coach_name == world.own.coach.full_name
    assert current.handed_over_from_id == handed.pk
    assert len(rows) == 4  # the co-coaching half where the teacher coached stays behind


def test_what_the_teacher_did_as_a_coach_and_other_peoples_records_stay_out(world, rich):
    document = export(rich.teacher, world.trust)
    text = json.dumps(document)
    assert "Not the teacher's own record." not in text
    assert "Not the teacher's goal" not in text
    assert "Coach's own" not in text
    assert "half typed" not in text  # the coach's draft drop-in
    assert rich.co_coaching.pk not in [r["id"] for r in document["relationships"]]


def test_an_imported_record_exported_again_keeps_where_it_first_came_from(world, rich):
    first = export(rich.teacher, world.trust)
    teacher_record_import(trust=world.other_trust, raw=document_bytes(first))
    second = export(rich.teacher, world.other_trust)
    with scopes_disabled():
        third_trust = type(world.trust).objects.create(name="Trust C", slug="trust-c")
    result = teacher_record_import(trust=third_trust, raw=document_bytes(second))
    with trust_scope(third_trust):
        places = set(
            Relationship.objects.filter(teacher=rich.teacher).values_list(
                "imported_from", "imported_coach_name"
            )
        )
    assert (f"{world.own.school.name}, Trust A", world.own.coach.full_name) in places
    assert result.counts["dropins"] == len(second["relationships"][0]["dropins"]) + sum(
        len(r["dropins"]) for r in second["relationships"][1:]
    )


def test_a_teacher_new_to_this_coachloop_is_added_without_a_password_or_a_role(world, rich):
    document = export(rich.teacher, world.trust)
    document["teacher"] = {"name": "Robin Newcomer", "email": "Robin.Newcomer@Example.org"}
    result = teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    person = User.objects.get(email="robin.newcomer@example.org")
    assert result.created_teacher and result.teacher == person
    assert person.full_name == "Robin Newcomer"
    assert not person.has_usable_password()
    with scopes_disabled():
        assert not Membership.objects.filter(user=person).exists()
        assert Relationship.objects.filter(teacher=person).count() == 4


def test_the_import_is_in_the_trusts_audit_trail(world, rich):
    document = export(rich.teacher, world.trust)
    teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    with scopes_disabled():
        event = AuditEvent.objects.get(verb=IMPORTED)
    assert (event.trust, event.subject, event.actor) == (world.other_trust, rich.teacher, None)
    assert document["exported_at"] in event.summary


# -- refusals ---------------------------------------------------------------------------------


def test_importing_the_same_file_again_is_refused_and_changes_nothing(world, rich):
    raw = document_bytes(export(rich.teacher, world.trust))
    teacher_record_import(trust=world.other_trust, raw=raw)
    before = counts_of_every_table()
    with pytest.raises(RecordProblems) as refused:
        teacher_record_import(trust=world.other_trust, raw=raw)
    assert "already imported into Trust B" in str(refused.value.problems[0])
    assert counts_of_every_table() == before


def test_a_later_export_of_the_same_coaching_is_refused_too(world, rich):
    teacher_record_import(
        trust=world.other_trust, raw=document_bytes(export(rich.teacher, world.trust))
    )
    before = counts_of_every_table()
    later = export(rich.teacher, world.trust)
    with pytest.raises(RecordProblems) as refused:
        teacher_record_import(trust=world.other_trust, raw=document_bytes(later))
    messages = [str(p) for p in refused.value.problems]
    assert len(messages) == 4
    assert all("already in this trust's records" in m for m in messages)
    assert counts_of_every_table() == before


def test_a_record_cannot_be_imported_back_into_the_trust_it_came_from(world, rich):
    raw = document_bytes(export(rich.teacher, world.trust))
    before = counts_of_every_table()
    with pytest.raises(RecordProblems) as refused:
        teacher_record_import(trust=world.trust, raw=raw)
    messages = [str(p) for p in refused.value.problems]
    assert len(messages) == 4
    assert all("the file was exported from here" in m for m in messages)
    assert counts_of_every_table() == before


def _break(document, change):
    broken = copy.deepcopy(document)
    change(broken)
    return broken


def _file(document, index=0):
    return document["evidence"][index]["file"]


def _set_file(document, content, index=0):
    _file(document, index)["content_base64"] = base64.b64encode(content).decode()
    _file(document, index)["sha256"] = hashlib.sha256(content).hexdigest()


BREAKAGES = {
    "not a teacher record": (lambda d: d.update(format="something.else"), "format"),
    "a version this Coachloop cannot read": (lambda d: d.update(version=2), "version"),
    "a missing field": (
        lambda d: d["relationships"][0]["action_steps"][0].pop("set_on"),
        "coaching relationship 1 › action step 1 › set_on",
    ),
    "a bad date": (
        lambda d: d["goals"][0].update(review_on="2025-13-01"),
        "goal 1 › review_on",
    ),
    "a time without its offset": (
        lambda d: d["goals"][0].update(created_at="2025-01-01T10:00:00"),
        "goal 1 › created_at",
    ),
    "a choice that does not exist": (
        lambda d: d["relationships"][0].update(kind="life_coaching"),
        "coaching relationship 1 › kind",
    ),
    "bad base64": (
        lambda d: _file(d).update(content_base64="not base64!"),
        "evidence item 1 › file › content_base64",
    ),
    "a SHA-256 that does not match": (
        lambda d: _file(d).update(sha256="0" * 64),
        "evidence item 1 › file › sha256",
    ),
    "a file type that is not allowed": (
        lambda d: _set_file(d, b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00"),
        "evidence item 1 › file",
    ),
    "a link to an item that is not in the file": (
        lambda d: d["reflections"][0].update(goal=999999),
        "reflection 1 › goal",
    ),
    "a list that is missing": (lambda d: d.pop("stage_assessments"), "stage_assessments"),
    "a bad email address": (
        lambda d: d["teacher"].update(email="not an address"),
        "teacher › email",
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_file_is_refused_with_where_the_problem_is_and_nothing_written(
    world, rich, breakage
):
    change, where = BREAKAGES[breakage]
    document = _break(export(rich.teacher, world.trust), change)
    before = counts_of_every_table()
    with pytest.raises(RecordProblems) as refused:
        teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    assert [p.where for p in refused.value.problems] == [where], refused.value.problems
    assert counts_of_every_table() == before


def test_every_problem_in_a_file_is_reported_at_once_row_by_row(world, rich, media):
    document = export(rich.teacher, world.trust)
    several = (
        "a bad date",
        "bad base64",
        "a missing field",
        "a link to an item that is not in the file",
        "a choice that does not exist",
    )
    for name in several:
        BREAKAGES[name][0](document)
    files_before = sorted(p for p in media.rglob("*") if p.is_file())
    before = counts_of_every_table()
    with pytest.raises(RecordProblems) as refused:
        teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    assert len(refused.value.problems) == 5
    assert counts_of_every_table() == before
    assert sorted(p for p in media.rglob("*") if p.is_file()) == files_before


def test_a_file_that_is_not_json_is_refused_with_where_it_broke(world):
    before = counts_of_every_table()
    with pytest.raises(RecordProblems) as refused:
        teacher_record_import(trust=world.other_trust, raw=b'{"format": "coachloop.teacher')
    assert "not valid JSON (line 1" in str(refused.value)
    assert counts_of_every_table() == before


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(world, rich):
    document = export(rich.teacher, world.trust)
    index = [i["original_name"] for i in document["evidence"]].index("starter tally.pdf")
    _set_file(document, bytes.fromhex("89504e470d0a1a0a") + b"\x00" * 40, index)
    with pytest.raises(RecordProblems) as refused:
        teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    assert refused.value.problems[0].where == f"evidence item {index + 1} › file"
    assert "PNG" in refused.value.problems[0].message


def test_the_record_read_in_the_new_trust_names_the_people_who_have_no_account_there(world, rich):
    document = export(rich.teacher, world.trust)
    result = teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    with trust_scope(world.other_trust):
        html = record_html(teacher_record(teacher=rich.teacher, trust=world.other_trust))
    coach = world.own.coach.full_name
    assert f"{coach}, " in re.search(r"Proposed</dt><dd>([^<]*)", html).group(1)  # version 1
    assert f"({coach})" in html  # the coach's progress note
    assert any(coach in note for note in result.notes)


def test_a_file_from_before_steps_were_agreed_reads_its_steps_as_agreed_when_set(world, rich):
    document = export(rich.teacher, world.trust)
    steps = [s for r in document["relationships"] for s in r["action_steps"]]
    for step in steps:
        for key in ("agreed_on", "agreed_by", "not_now_reason"):
            del step[key]
    result = teacher_record_import(trust=world.other_trust, raw=document_bytes(document))
    for item in steps:
        written = result.created[("action_steps", item["id"])]
        assert timezone.localtime(written.agreed_on).date().isoformat() == item["set_on"]
        assert written.agreed_by_id is None and written.not_now_reason == ""
