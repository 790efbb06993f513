"""An evidence file downloads for exactly those whose goal or step page lists it, whatever
has become of the coaching since: running, ended and still readable, ended past its read
period, a goal the teacher has taken back to themselves, or evidence from before the coaching
began, with and without the teacher's agreement. File ids are sequential, so a file a page
does not list must not download either.

Each state dates its evidence where that state's question lies (inside the coaching, before
it began, after it ended), and says who reads it: the teacher always; their coach only within
the coaching's window (``content_window``); nobody else."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import EvidenceItem, Goal, Relationship
from coachloop.common.tenancy import scopes_disabled
from tests.access.rows_learning import evidence_file

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ENDED_ON = TODAY - dt.timedelta(days=10)
VIEWERS = ["teacher", "coach", "other_coach", "coaching_lead", "headteacher", "trust_lead"]


def _relationship(world):
    return Relationship.objects.filter(pk=world.own.relationship.pk)


def _ended(*, reads_until):
    def end(world):
        _relationship(world).update(finished_on=ENDED_ON, coach_reads_until=reads_until)

    return end


def _goal_kept_to_the_teacher(world):
    Goal.objects.filter(teacher=world.own.teacher).update(relationship=None)


def _teacher_agreed(world):
    _relationship(world).update(earlier_content_consented_at=timezone.now())


def _while_coached(world):
    return ENDED_ON - dt.timedelta(days=10)  # after the coaching began, before any end


def _before_it_began(world):
    return world.own.relationship.started_on - dt.timedelta(days=30)


def _after_it_ended(world):
    return ENDED_ON + dt.timedelta(days=1)


@dataclass(frozen=True)
class State:
    change: object  # what has become of the coaching (given the world), or None
    added_on: object  # the evidence's date in this state (given the world)
    coach_reads_on_a_goal: bool
    coach_reads_on_a_step: bool

    def coach_reads(self, on_step):
        return self.coach_reads_on_a_step if on_step else self.coach_reads_on_a_goal


STATES = {
    "running": State(None, _while_coached, True, True),
    "ended, still readable": State(_ended(reads_until=TODAY), _while_coached, True, True),
    "ended, read period over": State(
        _ended(reads_until=TODAY - dt.timedelta(days=1)), _while_coached, False, False
    ),
    "ended, written after it ended": State(
        _ended(reads_until=TODAY), _after_it_ended, False, False
    ),
    # The goal leaves the coaching; a step's evidence stays with its coaching.
    "goal kept to the teacher": State(_goal_kept_to_the_teacher, _while_coached, False, True),
    "written before the coaching began, not agreed": State(None, _before_it_began, False, False),
    "written before the coaching began, agreed": State(
        _teacher_agreed, _before_it_began, True, True
    ),
}


def _expected(persona, state, on_step):
    if persona == "teacher":
        return 200
    if persona == "coach" and state.coach_reads(on_step):
        return 200
    return 404


def _page(world, item):
    if item.goal_id:
        return reverse("coaching:goal_detail", args=[item.goal_id])
    return reverse("coaching:step_evidence", args=[item.action_step_id])


@pytest.mark.parametrize("on_step", [False, True], ids=["on a goal", "on a step"])
@pytest.mark.parametrize("name", sorted(STATES))
def test_an_evidence_file_downloads_for_exactly_those_its_page_lists_it_to(
    client, world, media, name, on_step
):
    state = STATES[name]
    with scopes_disabled():
        item = evidence_file(world.own, on_step=on_step)
        EvidenceItem.objects.filter(pk=item.pk).update(added_on=state.added_on(world))
        if state.change:
            state.change(world)
        item = EvidenceItem.objects.get(pk=item.pk)
    download = reverse("coaching:evidence_download", args=[item.pk])
    for persona in VIEWERS:
        client.force_login(world.people[persona])
        page = client.get(_page(world, item))
        listed = page.status_code == 200 and download in page.text
        code = client.get(download).status_code
        assert code == _expected(persona, state, on_step), (name, persona)
        assert (code == 200) == listed, (name, persona, listed)
