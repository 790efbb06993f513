"""The demo reads as a real trust's would: what a teacher writes (and what is written about
them) fits their school's phase, case studies read in order, each assignment has feedback of
its own, and each mark's comments say what its band says."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import models

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.demo.build import build_demo
from coachloop.demo.deletion import delete_demo
from coachloop.demo.programmes.course import BANDS
from coachloop.demo.programmes.submissions import (
    CASE_STUDY,
    DRAFT_FEEDBACK,
    MARK_COMMENTS,
)
from coachloop.frameworks.models import ReferenceFramework
from coachloop.people.models import Membership, School
from coachloop.programmes.models import Feedback, Mark, SubmissionVersion

TODAY = dt.date(2025, 11, 20)
pytestmark = pytest.mark.django_db

# Secondary years, exams and class names ("Year 9", "GCSE", "A level", "10 set 2", "8C", "9X1")
SECONDARY = re.compile(
    r"\bYear (?:[7-9]|1[0-3])\b|\bGCSE|\bA[ -]level|\bsixth form|\bKS[345]\b"
    r"|\b(?:[7-9]|1[0-3]) set \d|\b(?:[7-9]|1[0-3])[A-Z]\d?\b",
    re.IGNORECASE,
)
# The ways a row leads to the teacher it is about.
TEACHER_PATHS = (
    "teacher", "relationship__teacher", "enrolment__teacher", "submission__enrolment__teacher",
    "version__submission__enrolment__teacher", "goal__teacher",
    "action_step__relationship__teacher", "dropin__relationship__teacher", "presenter",
)  # fmt: skip


def _row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def trust(django_db_setup, django_db_blocker):
    """One demo for the module, built outside any test's transaction, so it is deleted after,
    the shared ECF with it, and the database is left as it was for the tests that follow."""
    with django_db_blocker.unblock(), scopes_disabled():
        before = _row_counts()
        reference_ids = set(ReferenceFramework.objects.values_list("pk", flat=True))
        trust = build_demo(today=TODAY)
    yield trust
    with django_db_blocker.unblock(), scopes_disabled():
        delete_demo()
        ReferenceFramework.objects.exclude(pk__in=reference_ids).delete()
        left = {label: n for label, n in _row_counts().items() if n != before[label]}
    assert left == {}, f"the demo left rows behind: {left}"


def _path_to_teacher(model):
    for path in TEACHER_PATHS:
        try:
            field = None
            current = model
            for part in path.split("__"):
                field = current._meta.get_field(part)
                current = field.related_model
            if current is not None and current._meta.label == "people.User":
                return path
        except Exception:  # noqa: BLE001, S112
            continue
    return None


def _texts_about(teacher_ids):
    """(model, field, text) for every piece of writing about the given teachers."""
    for config in (apps.get_app_config("coaching"), apps.get_app_config("programmes")):
        for model in config.get_models():
            path = _path_to_teacher(model)
            fields = [
                f.name
                for f in model._meta.get_fields()
                if isinstance(f, (models.TextField, models.CharField)) and not f.choices
            ]
            if path is None or not fields:
                continue
            rows = model.objects.filter(**{f"{path}__in": teacher_ids}).values_list(*fields)
            for row in rows:
                for name, text in zip(fields, row, strict=True):
                    if text:
                        yield model.__name__, name, text


def test_nothing_about_a_primary_teacher_mentions_secondary_years_or_exams(trust):
    with trust_scope(trust):
        primary = set(
            Membership.objects.filter(trust=trust, school__phase=School.Phase.PRIMARY).values_list(
                "user_id", flat=True
            )
        )
        assert primary
        found = [
            (model, field, text)
            for model, field, text in _texts_about(primary)
            if SECONDARY.search(text)
        ]
    assert not found, sorted({(model, field, text[:90]) for model, field, text in found})


def test_a_case_study_reads_its_paragraphs_in_the_order_they_were_written(trust):
    with trust_scope(trust):
        texts = list(
            SubmissionVersion.objects.filter(
                submission__assignment__module__code="EDM701"
            ).values_list("text", flat=True)
        )
    assert texts
    for text in texts:
        positions = [CASE_STUDY.index(p) for p in text.split("\n\n")]
        assert positions == sorted(positions), positions


def test_each_assignment_has_feedback_of_its_own(trust):
    with trust_scope(trust):
        by_assignment = {}
        for code, body in Feedback.objects.values_list(
            "version__submission__assignment__module__code", "body"
        ):
            by_assignment.setdefault(code, set()).add(body)
    assert len(by_assignment) == 2
    first, second = by_assignment.values()
    assert not first & second
    assert set(DRAFT_FEEDBACK) == {"EDM701", "EDM702"}


def test_no_draft_gets_the_same_feedback_twice(trust):
    with trust_scope(trust):
        seen = {}
        for version, body in Feedback.objects.values_list("version_id", "body"):
            seen.setdefault(version, []).append(body)
    assert all(len(bodies) == len(set(bodies)) for bodies in seen.values())


def test_each_marks_comments_are_those_of_its_band(trust):
    def band(mark):
        return next(name for name, lowest, highest, _ in BANDS if lowest <= mark <= highest)

    with trust_scope(trust):
        marks = list(Mark.objects.values_list("overall", "comments"))
    assert marks
    for overall, comments in marks:
        assert comments in MARK_COMMENTS[band(overall)], (overall, comments)
    assert not any("excellent" in c.lower() for o, c in marks if o < 70)
