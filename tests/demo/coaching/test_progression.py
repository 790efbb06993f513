"""The demo's progression rows: stage histories that go down as well as up, and steps the
teachers proposed themselves, counted by the rollups as ``load_demo`` fills them."""

import datetime as dt
import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db.models import F, Sum

from coachloop.coaching.models import ActionStep, StageAssessment, StepProposal
from coachloop.common.tenancy import trust_scope
from coachloop.demo.build import build_demo
from coachloop.insights.models import SchoolWeek
from coachloop.people.models import User

TODAY = dt.date(2025, 11, 20)
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """The demo trust (``build_demo`` runs ``demo_progression``), with its rollups filled the
    way ``load_demo`` fills them."""
    trust = build_demo(today=TODAY)
    call_command("update_rollups", trust=trust.slug, stdout=io.StringIO())
    return trust


def _paths(**filters):
    paths = defaultdict(list)
    for row in StageAssessment.objects.filter(**filters).order_by("assessed_on", "pk"):
        paths[(row.teacher_id, row.strand_code)].append(row.stage)
    return paths


def _goes_down_and_up(stages):
    pairs = list(zip(stages, stages[1:], strict=False))
    return any(b < a for a, b in pairs) and any(b > a for a, b in pairs)


def test_the_demo_has_stage_histories_over_months_that_go_down_as_well_as_up(demo):
    with trust_scope(demo):
        teacher = User.objects.get(email="teacher@riverside.example.org")
        mine = list(StageAssessment.objects.filter(teacher=teacher))
        my_paths = _paths(teacher=teacher)
        paths = _paths()
    # The demo teacher: several strands over months, one placed by their coach, one dipping.
    assert len(my_paths) >= 2
    assert any(_goes_down_and_up(stages) for stages in my_paths.values())
    days = [row.assessed_on for row in mine]
    assert (max(days) - min(days)).days > 90
    assert max(days) <= TODAY
    assert any(row.assessed_by_id != teacher.pk for row in mine)
    # Several others too.
    assert len({teacher for teacher, _code in paths}) >= 6
    assert sum(_goes_down_and_up(stages) for stages in paths.values()) >= 3
    assert all(1 <= stage <= 5 for stages in paths.values() for stage in stages)


def test_the_demo_has_steps_teachers_proposed_one_waiting_and_the_rollups_count_them(demo):
    with trust_scope(demo):
        teacher = User.objects.get(email="teacher@riverside.example.org")
        coach = User.objects.get(email="coach@riverside.example.org")
        proposed = list(
            ActionStep.objects.filter(proposed_by=F("relationship__teacher")).select_related(
                "proposal"
            )
        )
        total = ActionStep.objects.count()
        mine = dict(
            StepProposal.objects.filter(relationship__teacher=teacher, relationship__coach=coach)
            .exclude(status=StepProposal.Status.ACCEPTED)
            .values_list("status", "proposed_on")
        )
        waiting = StepProposal.objects.get(
            relationship__teacher=teacher, status=StepProposal.Status.OPEN
        )
        rollup = SchoolWeek.objects.aggregate(
            set=Sum("steps_set"), proposed=Sum("steps_proposed_by_teacher")
        )
    # Some steps, not most, each with the proposal the coach accepted before it was set.
    assert 0.05 * total < len(proposed) < 0.6 * total
    assert all(s.proposal.status == StepProposal.Status.ACCEPTED for s in proposed)
    assert all(s.proposal.proposed_on <= s.set_on for s in proposed)
    assert any(s.relationship.teacher_id == teacher.pk for s in proposed)
    # The demo teacher's coach has a proposal waiting, and talked an earlier one through.
    assert set(mine) == {"open", "to_discuss"}
    assert all(day <= TODAY for day in mine.values())
    assert waiting.framework_step is not None
    # The school dashboard's figures include them.
    assert 0 < rollup["proposed"] < rollup["set"]
