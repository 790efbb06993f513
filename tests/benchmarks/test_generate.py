"""The benchmark's generator and its measurement work at a tiny size, so CI keeps them working.

The real runs (``make bench``) use PostgreSQL at 1x and 10x; here a few schools are enough.
"""

import datetime as dt
import json
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from benchmarks.bench import combine, measure_dashboards, write_results
from benchmarks.generate import GenerateError, Sizes, generate, plan, school_days
from coachloop.coaching.models import ActionStep, DropIn, Relationship
from coachloop.common.tenancy import scopes_disabled
from coachloop.frameworks.models import Step
from coachloop.insights.rollups import rollups_update
from coachloop.people.models import Membership, Role, School, StaffGroup, Trust, User
from coachloop.policy.models import SchoolModel, TrustPolicy
from coachloop.rollout.models import CoachTraining, CoverageTarget

pytestmark = pytest.mark.django_db

TINY = Sizes(schools=3, teachers=36, dropins=700)
LARGE_TRUST = 2  # so there are two trusts: the large one and one more
TODAY = dt.date(2026, 11, 23)


def _generate(seed=7, today=TODAY):
    return generate(TINY, seed=seed, today=today, large_trust=LARGE_TRUST)


def test_the_generator_writes_exactly_the_sizes_asked_for():
    summary = _generate()

    with scopes_disabled():
        assert Trust.objects.count() == 2
        assert School.objects.count() == TINY.schools
        assert Membership.objects.filter(role=Role.TEACHER).count() == TINY.teachers
        assert DropIn.objects.filter(is_draft=False).count() == TINY.dropins
        assert summary["rows"]["coaching.DropIn"] == TINY.dropins
        for school in School.objects.all():
            roles = Counter(Membership.objects.filter(school=school).values_list("role", flat=True))
            assert roles[Role.HEADTEACHER] == 1
            assert roles[Role.COACHING_LEAD] == 1
            assert roles[Role.COACH] >= 1
        for trust in Trust.objects.all():
            assert Membership.objects.filter(trust=trust, role=Role.TRUST_LEAD).exists()
            assert TrustPolicy.objects.filter(trust=trust).count() == 1


def test_generated_rows_keep_every_rule_of_the_models():
    _generate()

    with scopes_disabled():
        current_steps = set(
            Step.objects.filter(strand__version__is_current=True).values_list("pk", "trust_id")
        )
        coach_roles = set(
            Membership.objects.filter(role=Role.COACH).values_list("user_id", "school_id")
        )
        teacher_roles = set(
            Membership.objects.filter(role=Role.TEACHER).values_list("user_id", "school_id")
        )
        days = set(school_days(TODAY))
        relationships = {r.pk: r for r in Relationship.objects.select_related("school")}
        for r in relationships.values():
            assert r.coach_id != r.teacher_id
            assert r.trust_id == r.school.trust_id
            assert (r.coach_id, r.school_id) in coach_roles
            assert (r.teacher_id, r.school_id) in teacher_roles
            assert r.finished_on is None or r.finished_on >= r.started_on
        steps = {s.pk: s for s in ActionStep.objects.all()}
        for step in steps.values():
            assert (step.framework_step_id, step.trust_id) in current_steps
            assert step.title and step.success_looks_like
            if step.closed_on is None:
                assert step.outcome == ""
            else:
                assert step.closed_on >= step.set_on and step.outcome
                assert (step.status == ActionStep.Status.EMBEDDED) == (
                    step.outcome == ActionStep.Outcome.EMBEDDED
                )
        open_steps = Counter(s.relationship_id for s in steps.values() if s.closed_on is None)
        assert max(open_steps.values()) == 1
        for dropin in DropIn.objects.all():
            r = relationships[dropin.relationship_id]
            assert dropin.trust_id == r.trust_id and not dropin.is_draft
            assert dropin.visited_on in days
            assert r.started_on <= dropin.visited_on <= (r.finished_on or TODAY)
            assert dropin.strengths and dropin.class_or_group and 0 < dropin.minutes <= 30
            if dropin.followup_step_id:
                step = steps[dropin.followup_step_id]
                assert step.relationship_id == dropin.relationship_id
                assert step.set_on <= dropin.visited_on and dropin.followup
        # Every model's own validation (fields, choices, constraints, overlapping roles).
        models = (School, User, Membership, Relationship, ActionStep, DropIn, SchoolModel)
        for model in (*models, CoverageTarget, CoachTraining):
            for row in model._base_manager.order_by("pk")[:25]:
                row.full_clean()


def test_the_data_has_the_variety_the_dashboards_need():
    _generate()

    with scopes_disabled():
        groups = set(
            Membership.objects.filter(role=Role.TEACHER).values_list("staff_group", flat=True)
        )
        assert {StaffGroup.EARLY_CAREER, StaffGroup.LEADER, StaffGroup.TEACHER} <= groups
        assert SchoolModel.objects.filter(cadence_teachers=14).exists()
        assert CoverageTarget.objects.filter(due_by__lt=TODAY).exists()
        assert CoverageTarget.objects.filter(due_by__gt=TODAY).exists()
        assert CoachTraining.objects.exists()
        outcomes = set(ActionStep.objects.values_list("outcome", flat=True))
        assert {"", ActionStep.Outcome.EMBEDDED} <= outcomes
        starts = Relationship.objects.aggregate(first=Count("started_on", distinct=True))
        assert starts["first"] > 1  # coaching starts through the year, not all at once
        # Some steps the teacher proposed, most the coach did (the school dashboard's share).
        proposers = ActionStep.objects.annotate(
            by_teacher=Q(proposed_by=F("relationship__teacher"))
        ).values_list("by_teacher", flat=True)
        assert {True, False} == set(proposers)


def _digest():
    with scopes_disabled():
        return sorted(
            DropIn.objects.values_list(
                "relationship__teacher__email",
                "relationship__coach__email",
                "visited_on",
                "class_or_group",
                "minutes",
                "followup",
                "uuid",
            )
        )


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not():
    digests = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            _generate(seed=seed)
            digests.append(_digest())
            transaction.set_rollback(True)

    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_the_large_trust_is_the_same_at_a_larger_size():
    small = plan(Sizes(4, 40, 800), seed=3, large_trust=2, school_days=190)
    large = plan(Sizes(40, 400, 8000), seed=3, large_trust=2, school_days=190)

    assert small[0].schools == large[0].schools
    assert sum(s.teachers for t in large for s in t.schools) == 400
    assert sum(s.dropins for t in large for s in t.schools) == 8000


def test_sizes_that_cannot_be_built_are_refused_with_a_reason():
    with pytest.raises(GenerateError, match="at least 2 teachers"):
        plan(Sizes(10, 15, 100), seed=1, large_trust=5, school_days=190)
    with pytest.raises(GenerateError, match="more than"):
        plan(Sizes(2, 4, 100_000), seed=1, large_trust=1, school_days=190)


def test_the_bench_measures_each_dashboard_against_its_raw_sql(tmp_path):
    today = timezone.localdate()  # the dashboards show the weeks up to today
    _generate(today=today)
    with scopes_disabled():
        trusts = list(Trust.objects.all())
    for trust in trusts:
        rollups_update(trust=trust, today=today)

    measured = measure_dashboards(today=today, runs=1, warmup=0)

    assert [m["name"] for m in measured] == ["school", "trust"]
    for m in measured:
        assert m["dashboard_ms"] > 0 and m["sql_ms"] > 0
        assert m["ratio_to_sql"] == pytest.approx(m["dashboard_ms"] / m["sql_ms"], rel=0.01)
        assert m["figures_match"], m["differences"]

    size = {"sizes": TINY.as_dict(), "measured": {}, "rows": {"coaching.DropIn": TINY.dropins}}
    at = {"1x": {**size, "dashboards": measured}, "10x": {**size, "dashboards": measured}}
    dashboards = combine(at)
    write_results(
        {
            "command": "make bench",
            "date": "today",
            "runs": 1,
            "warmup": 0,
            "machine": dict.fromkeys(("cpu", "cores", "memory_gb", "os", "python", "django"), ""),
            "database": {"engine": "SQLite", "where": "local", "settings": {}},
            "dashboards": dashboards,
            "sizes": {
                label: {
                    **size,
                    "trusts": 2,
                    "seconds_to_generate": 1,
                    "seconds_to_fill_rollups": 1,
                    "measured": {
                        "trust": {"schools": 2, "teachers": 24, "dropins": 500},
                        "school": {"teachers": 12, "dropins": 300},
                    },
                    "measured_trust": "A trust",
                    "measured_school": "A school",
                }
                for label in at
            },
        },
        tmp_path,
    )
    results = json.loads((tmp_path / "results.json").read_text())
    for dashboard in results["dashboards"]:
        assert {"name", "ratio_to_sql", "growth_10x", "data_sizes"} <= set(dashboard)
        assert dashboard["growth_10x"] == 1.0
        assert dashboard["data_sizes"]["10x"]["dropins"] == TINY.dropins
    assert "make bench" in (tmp_path / "RESULTS.md").read_text()
