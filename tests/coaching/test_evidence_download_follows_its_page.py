"""An evidence file downloads for exactly those whose goal or step page lists it, whatever
has become of the coaching since: running, ended and still readable, ended past its read
period, or a goal the teacher has taken back to themselves. File ids are sequential, so a
file a page does not list must not download either."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import EvidenceItem, Goal, Relationship
from coachloop.common.tenancy import scopes_disabled
from tests.access.rows_learning import evidence_file

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
VIEWERS = ["teacher", "coach", "other_coach", "coaching_lead", "headteacher", "trust_lead"]


def _ended(world, *, reads_until):
    with scopes_disabled():
        Relationship.objects.filter(pk=world.own.relationship.pk).update(
            finished_on=TODAY - dt.timedelta(days=10), coach_reads_until=reads_until
        )


STATES = {
    "running": lambda world: None,
    "ended, still readable": lambda world: _ended(world, reads_until=TODAY),
    "ended, read period over": lambda world: _ended(
        world, reads_until=TODAY - dt.timedelta(days=1)
    ),
    "goal kept to the teacher": lambda world: Goal.objects.filter(teacher=world.own.teacher).update(
        relationship=None
    ),
}


def _page(world, item):
    if item.goal_id:
        return reverse("coaching:goal_detail", args=[item.goal_id])
    return reverse("coaching:step_evidence", args=[item.action_step_id])


@pytest.mark.parametrize("on_step", [False, True], ids=["on a goal", "on a step"])
@pytest.mark.parametrize("state", sorted(STATES))
def test_an_evidence_file_downloads_for_exactly_those_its_page_lists_it_to(
    client, world, media, state, on_step
):
    with scopes_disabled():
        item = evidence_file(world.own, on_step=on_step)
        STATES[state](world)
        item = EvidenceItem.objects.get(pk=item.pk)
    download = reverse("coaching:evidence_download", args=[item.pk])
    for persona in VIEWERS:
        client.force_login(world.people[persona])
        page = client.get(_page(world, item))
        listed = page.status_code == 200 and download in page.text
        assert (client.get(download).status_code == 200) == listed, (state, persona, listed)
    client.force_login(world.own.teacher)
    assert client.get(download).status_code == 200  # the teacher's own, always
