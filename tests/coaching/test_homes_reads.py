"""The coaching homes read what they show, not a person's whole history: a teacher's record and
the teacher's home read only their newest drop-ins (a LIMIT in SQL, with a count beside it), and
the coach's home reads each teacher's last visit from the drop-ins in one small grouped query
rather than grouping the relationships, joined to every drop-in, by every column of the teacher.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import ActionStep
from coachloop.common.tenancy import scopes_disabled
from tests.factories import ActionStepFactory, DropInFactory, RehearsalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.queries]

MANY = 60


def _many_dropins(world):
    relationship = world.own.relationship
    today = timezone.localdate()
    with scopes_disabled():
        for n in range(MANY):
            DropInFactory(
                relationship=relationship,
                visited_on=today - dt.timedelta(days=n + 1),
                class_or_group=f"Group {n}",
            )
    return relationship


def _sql(client, person, url):
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries], response.content.decode()


def _dropin_reads(sql):
    """The queries that read drop-ins' own columns (counts and aggregates left out)."""
    return [q for q in sql if re.search(r'FROM "coaching_dropin"', q) and "strengths" in q]


def test_a_teachers_record_reads_only_its_newest_dropins_and_counts_the_rest(client, world):
    relationship = _many_dropins(world)
    url = reverse("coaching:coachee", args=[relationship.pk])
    sql, page = _sql(client, world.own.coach, url)
    reads = _dropin_reads(sql)
    assert reads
    assert all("LIMIT" in q for q in reads), reads
    assert "Group 0" in page and "Group 59" not in page
    assert f"Show all {MANY + _earlier(world)} drop-ins" in page
    _sql_all, page_all = _sql(client, world.own.coach, url + "?drop-ins=all")
    assert "Group 59" in page_all


def _earlier(world):
    """The drop-ins the shared world already recorded for the relationship."""
    with scopes_disabled():
        return world.own.relationship.dropins.filter(is_draft=False).count() - MANY


def test_the_teachers_home_reads_only_their_newest_dropins_and_keeps_show_all(client, world):
    _many_dropins(world)
    url = reverse("coaching:teacher_home")
    sql, page = _sql(client, world.own.teacher, url)
    reads = _dropin_reads(sql)
    assert reads
    assert all("LIMIT" in q for q in reads), reads
    assert "Group 0" in page and "Group 59" not in page
    assert "?history=all" in page
    _sql_all, page_all = _sql(client, world.own.teacher, url + "?history=all")
    assert "Group 59" in page_all


def _long_history(world):
    """Many steps set and closed, and a rehearsal done on each, long before the newest entry."""
    today = timezone.localdate()
    with scopes_disabled():
        for n in range(MANY):
            set_on = today - dt.timedelta(days=400 + 3 * n)
            step = ActionStepFactory(
                relationship=world.own.relationship,
                title=f"Old step {n}",
                set_on=set_on,
                closed_on=set_on + dt.timedelta(days=2),
                outcome="moved_on",
            )
            RehearsalFactory(action_step=step, planned_for=set_on, done_on=set_on, plan=f"Plan {n}")


def test_the_teachers_home_reads_only_their_newest_steps_and_rehearsals_and_counts_all(
    client, world
):
    _long_history(world)
    url = reverse("coaching:teacher_home")
    sql, page = _sql(client, world.own.teacher, url)
    history = [
        q
        for q in sql
        if re.search(r'FROM "coaching_(actionstep|rehearsal)"', q)
        and '"closed_on" IS NULL' not in q  # the current steps
    ]
    assert history
    # The rehearsals are read with the current steps' plans: their history by row number.
    assert all("LIMIT" in q or "ROW_NUMBER()" in q for q in history), history
    assert "Old step 0" in page and "Old step 59" not in page
    _sql_all, page_all = _sql(client, world.own.teacher, url + "?history=all")
    assert "Old step 59" in page_all and "Plan 59" in page_all
    entries = page_all.count('class="cl-timeline__item"')
    assert f"Show all {entries} entries" in page


def test_the_current_steps_plan_shows_all_its_rehearsals_read_with_a_long_history(client, world):
    """The current step's plan and the newest rehearsals of the history are one read: a
    rehearsal of the current step done long before the newest entries stays in its plan."""
    _long_history(world)
    today = timezone.localdate()
    with scopes_disabled():
        step = ActionStep.objects.get(relationship=world.own.relationship, closed_on=None)
        RehearsalFactory(
            action_step=step,
            planned_for=today - dt.timedelta(days=900),
            done_on=today - dt.timedelta(days=900),
            plan="Practised long ago",
        )
        RehearsalFactory(action_step=step, planned_for=today, plan="Practise tomorrow")
    _sql_run, page = _sql(client, world.own.teacher, reverse("coaching:teacher_home"))
    plan = page.split(f'id="step-{step.pk}"', 1)[1].split("</div>\n</div>", 1)[0]
    assert plan.index("Practised long ago") < plan.index("Practise tomorrow")
    history = page.split("My history", 1)[1]
    assert "Practised long ago" not in history


def test_the_coach_home_groups_drop_ins_only_never_people(client, world):
    _many_dropins(world)
    sql, page = _sql(client, world.own.coach, reverse("coaching:coach_home"))
    grouped = [q for q in sql if "GROUP BY" in q]
    assert all('"people_user"' not in q.split("GROUP BY", 1)[1] for q in grouped), grouped
    assert all("coaching_relationship" not in q.split("GROUP BY", 1)[1] for q in grouped)
    # The last visit still shows: the newest drop-in was yesterday.
    assert "Yesterday" in page


def test_a_teachers_record_counts_its_drop_ins_and_finds_a_draft_in_the_read_that_lists_them(
    client, world
):
    """One read of the drop-ins lists the newest recorded ones and counts them and the coach's
    drafts; a draft is never listed, even when fewer drop-ins are recorded than the page
    shows."""
    relationship = world.own.relationship
    with scopes_disabled():
        recorded = relationship.dropins.filter(is_draft=False).count()
        DropInFactory(relationship=relationship, is_draft=True, class_or_group="Draft-group-7d1e")
    assert recorded < 8  # fewer than the page shows, so the draft is read with them
    url = reverse("coaching:coachee", args=[relationship.pk])
    sql, page = _sql(client, world.own.coach, url)
    assert len([q for q in sql if 'FROM "coaching_dropin"' in q]) == 1
    assert "Finish drop-in" in page and "Draft-group-7d1e" not in page
    assert page.count('href="/drop-ins/') == recorded
    _many_dropins(world)
    _sql_many, page_many = _sql(client, world.own.coach, url)
    assert "Finish drop-in" in page_many and "Draft-group-7d1e" not in page_many
    assert f"Show all {MANY + recorded} drop-ins" in page_many


def test_the_teachers_home_asks_about_earlier_content_only_for_coaching_not_yet_agreed(
    client, world
):
    """Whether the teacher has anything from before their coaching began is asked of the
    database only while they have not agreed to share it: once they have, it shows anyway."""
    earlier = 'FROM "coaching_stageassessment"'
    url = reverse("coaching:teacher_home")
    with scopes_disabled():
        world.own.relationship.earlier_content_consented_at = None
        world.own.relationship.save(update_fields=["earlier_content_consented_at"])
    sql, _page = _sql(client, world.own.teacher, url)
    assert any(earlier in q for q in sql)
    with scopes_disabled():
        world.own.relationship.earlier_content_consented_at = timezone.now()
        world.own.relationship.save(update_fields=["earlier_content_consented_at"])
    sql, page = _sql(client, world.own.teacher, url)
    assert not any(earlier in q for q in sql)
    assert "can read what you recorded before your coaching with them began" in page
