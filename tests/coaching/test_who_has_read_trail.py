"""The teacher's "who has read my records" page: the whole history, grouped by reader and day,
a page at a time; each reader said to be what they are to the teacher; programme work named."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import Relationship
from coachloop.common.audit import audit_read
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import Submission
from tests.access.programme_records import programme_for, submission_for
from tests.access.rows_learning import evidence_file
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("coaching:my_audit")
LONDON = timezone.get_default_timezone()


def text(response):
    """The page's words, without its tags."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def read_at(when, *, reader, records, target=None, summary="coaching record"):
    """A read of the records' teacher's coaching, as if it happened ``when``."""
    with scopes_disabled():
        event = audit_read(
            viewer=reader,
            target=target or records.relationship,
            subject=records.teacher,
            summary=summary,
        )
        AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    return event


def many_reads(*, reader, records, days, per_day, ending):
    """``per_day`` reads on each of ``days`` days up to the day before ``ending``, written at
    once, each day's at noon London time: a day counted back in London's own calendar, so the
    days stay as many across a change of the clocks whatever the time the test runs (counted
    back in hours, 23:30 in winter is 00:30 the next day in summer)."""
    with scopes_disabled():
        made = AuditEvent.objects.bulk_create(
            AuditEvent(
                trust=records.school.trust,
                actor=reader,
                subject=records.teacher,
                verb="read",
                target_type="coaching.relationship",
                target_id=str(records.relationship.pk),
                summary="coaching record",
            )
            for _n in range(days * per_day)
        )
        last_day = timezone.localtime(ending).date() - dt.timedelta(days=1)
        for n, event in enumerate(made):
            day = last_day - dt.timedelta(days=n // per_day)
            noon = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
            event.created_at = noon - dt.timedelta(minutes=n % per_day)
        AuditEvent.objects.bulk_update(made, ["created_at"])


def every_page(client):
    """The text of each page of the trail, following its "Next" link to the end."""
    pages, url = [], URL
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(text(response))
        found = re.search(r'href="(\?page=\d+)" rel="next"', response.content.decode())
        url = URL + found[1] if found else None
    return pages


def test_a_reader_from_long_ago_is_listed_however_much_was_read_since(client, world):
    now = timezone.now()
    read_at(now - dt.timedelta(days=700), reader=world.people["other_coach"], records=world.own)
    many_reads(reader=world.own.coach, records=world.own, days=300, per_day=2, ending=now)
    client.force_login(world.own.teacher)
    pages = every_page(client)
    assert len(pages) == 13  # 301 readers-and-days, 25 to a page
    assert "Another Coach" not in " ".join(pages[:-1])
    assert "Another Coach Not your coach Read your coaching record." in pages[-1]
    assert pages[0].count("Coach a1 (your coach)") == 25


def test_each_page_of_the_trail_links_to_the_others(client, world):
    many_reads(reader=world.own.coach, records=world.own, days=60, per_day=1, ending=timezone.now())
    client.force_login(world.own.teacher)
    first = client.get(URL).content.decode()
    assert 'aria-label="Pages of who has read my records"' in first
    assert 'aria-current="page">1</a>' in first and 'href="?page=3"' in first
    assert 'rel="prev"' not in first
    last = client.get(URL + "?page=3").content.decode()
    assert 'rel="next"' not in last and 'href="?page=2" rel="prev"' in last
    assert "Page 3 of 3, newest first." in text(client.get(URL + "?page=3"))
    assert client.get(URL + "?page=not-a-page").status_code == 200


def test_one_persons_reads_on_one_day_are_one_line_naming_each_thing_once(client, world):
    morning = timezone.make_aware(dt.datetime(2025, 3, 4, 9), LONDON)
    coach = world.own.coach
    read_at(morning, reader=coach, records=world.own)
    dropin = world.own.dropin
    summary = f"drop-in of {dropin.visited_on:%Y-%m-%d}"
    for hours in (1, 2):
        read_at(
            morning + dt.timedelta(hours=hours),
            reader=coach,
            records=world.own,
            target=dropin,
            summary=summary,
        )
    read_at(morning + dt.timedelta(days=1), reader=coach, records=world.own)
    client.force_login(world.own.teacher)
    page = text(client.get(URL))
    visited = f"{dropin.visited_on.day} {dropin.visited_on:%B %Y}"
    assert (
        f"4 March 2025 : Coach a1 (your coach) Read your coaching record, the drop-in of {visited}."
    ) in page
    assert "5 March 2025 : Coach a1 (your coach) Read your coaching record." in page


def test_a_read_just_after_midnight_in_summer_is_on_that_day_in_the_schools_time(client, world):
    late = timezone.make_aware(dt.datetime(2025, 6, 2, 0, 30), LONDON)  # 23:30 on 1 June, UTC
    read_at(late, reader=world.own.coach, records=world.own)
    read_at(late + dt.timedelta(hours=8), reader=world.own.coach, records=world.own)
    client.force_login(world.own.teacher)
    page = text(client.get(URL))
    assert page.count("2 June 2025 : Coach a1") == 1
    assert "1 June 2025" not in page


def test_a_former_coach_and_a_stranger_are_told_apart(client, world):
    with scopes_disabled():
        Relationship.objects.filter(pk=world.own.relationship.pk).update(
            finished_on=timezone.localdate()
        )
    now = timezone.now()
    read_at(now, reader=world.own.coach, records=world.own)
    read_at(now, reader=world.people["headteacher"], records=world.own)
    client.force_login(world.own.teacher)
    page = text(client.get(URL))
    assert "Coach a1 (your former coach)" in page
    assert "Head A1 Not your coach" in page


def test_a_tutor_reading_programme_work_is_named_as_the_tutor_with_what_they_read(client, world):
    found = programme_for(world.own)
    submission = submission_for(world.own)
    client.force_login(found.tutor)
    portfolio = reverse("programmes:portfolio_read", args=[found.enrolment.pk, found.module.pk])
    assert client.get(portfolio).status_code == 200
    assert client.get(reverse("programmes:mark", args=[submission.pk])).status_code == 200
    for staff in (found.moderator, found.lead):
        client.force_login(staff)
        client.get(reverse("programmes:submission_detail", args=[submission.pk]))
    client.force_login(world.own.teacher)
    page = text(client.get(URL))
    assert "Tutor (your tutor on MA in Teaching a1)" in page
    assert (
        "Read your portfolio for MA1, your work for “A case study of one action step”, to mark it."
    ) in page
    assert "Not your coach" not in page
    assert "Moderator (a moderator of MA in Teaching a1) Read your work for “A case study" in page
    assert "Programme Lead (the lead of MA in Teaching a1) Read your work for “A case study" in page


def test_a_second_marker_who_is_nothing_else_to_the_teacher_is_named_as_a_marker(client, world):
    submission = submission_for(world.own)
    with scopes_disabled():
        marker = UserFactory(full_name="Second Tutor")
        Submission.objects.filter(pk=submission.pk).update(second_marker=marker)
    read_at(
        timezone.now(),
        reader=marker,
        records=world.own,
        target=submission,
        summary="final version, for marking",
    )
    client.force_login(world.own.teacher)
    page = text(client.get(URL))
    assert (
        "Second Tutor (a marker of your programme work) "
        "Read your work for “A case study of one action step”, to mark it."
    ) in page


def test_a_coach_on_the_programme_reading_its_shared_page_is_named_so(client, world):
    found = programme_for(world.own)
    read_at(
        timezone.now(),
        reader=world.own.coach,
        records=world.own,
        target=found.enrolment,
        summary="programme meetings and goals",
    )
    client.force_login(world.own.teacher)
    page = text(client.get(URL))
    assert "Coach a1 (your coach, your coach on MA in Teaching a1)" in page
    assert "Read your programme page, with its meetings and goals." in page


# -- what the coach read, named as what their page showed ------------------------------------


def _on_a_goal(world):
    return evidence_file(world.own)


def _on_a_step(world):
    return evidence_file(world.own, on_step=True)


def _visited(world):
    visited_on = world.own.dropin.visited_on
    return f"the drop-in of {visited_on.day} {visited_on:%B %Y}"


# Each page the coach opens about the teacher: what it needs, its address, its name in the trail.
PAGES_THE_COACH_READS = {
    "the coaching record": (
        None,
        lambda world, item: reverse("coaching:coachee", args=[world.own.relationship.pk]),
        lambda world: "your coaching record",
    ),
    "a drop-in": (
        None,
        lambda world, item: reverse("coaching:dropin_detail", args=[world.own.dropin.pk]),
        _visited,
    ),
    "the goals": (
        _on_a_goal,
        lambda world, item: reverse("coaching:coachee_goals", args=[world.own.relationship.pk]),
        lambda world: "your goals shared with your coach",
    ),
    "a goal": (
        _on_a_goal,
        lambda world, item: reverse("coaching:goal_detail", args=[item.goal_id]),
        lambda world: "a goal",
    ),
    "a piece of evidence": (
        _on_a_goal,
        lambda world, item: reverse("coaching:evidence_download", args=[item.pk]),
        lambda world: "a piece of evidence",
    ),
    "the evidence on a step": (
        _on_a_step,
        lambda world, item: reverse("coaching:step_evidence", args=[item.action_step_id]),
        lambda world: "the evidence on an action step",
    ),
    "the stages": (
        None,
        lambda world, item: reverse(
            "coaching:progression_coachee", args=[world.own.relationship.pk]
        ),
        lambda world: "your stages on the framework",
    ),
    "the steps proposed": (
        None,
        lambda world, item: reverse("coaching:step_proposals", args=[world.own.relationship.pk]),
        lambda world: "the steps you proposed",
    ),
}


@pytest.mark.parametrize("read", sorted(PAGES_THE_COACH_READS))
def test_each_page_the_coach_reads_is_named_in_the_trail_as_what_it_showed(
    client, world, media, read
):
    needs, address, name = PAGES_THE_COACH_READS[read]
    with scopes_disabled():
        item = needs(world) if needs else None
    client.force_login(world.own.coach)
    assert client.get(address(world, item)).status_code == 200
    client.force_login(world.own.teacher)
    page = text(client.get(URL))
    assert f"Coach a1 (your coach) Read {name(world)}." in page


def test_the_evidence_on_a_step_is_not_called_the_step_itself(client, world, media):
    with scopes_disabled():
        item = _on_a_step(world)
    client.force_login(world.own.coach)
    client.get(reverse("coaching:step_evidence", args=[item.action_step_id]))
    client.force_login(world.own.teacher)
    page = text(client.get(URL))
    assert "Read the evidence on an action step." in page
    assert "Read an action step." not in page
