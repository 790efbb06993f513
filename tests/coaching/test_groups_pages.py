"""Group coaching pages: the coaching lead's group list, set-up, members and ending; a
member's groups, sessions, changes (two at once) and what happened with an action."""

import datetime as dt

import pytest
from django.urls import reverse

from coachloop.coaching.models import CoachingGroup, GroupMember, GroupSession
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from tests.coaching.groups_fixtures import SESSION_WORDS, TODAY, group_in, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    return group_in(world.own, extra=2)


def lead_client(client, world):
    client.force_login(world.people["coaching_lead"])
    return client


def counts():
    with scopes_disabled():
        return (
            CoachingGroup.objects.count(),
            GroupMember.objects.count(),
            GroupSession.objects.count(),
        )


def test_a_lead_sets_up_a_group_from_the_form(client, world):
    people = [world.own.teacher, world.own.coach, *staff(world.own.school, 2)]
    lead_client(client, world)
    url = reverse("coaching:lead_group_new", args=["a1"])
    form = client.get(url)
    assert "Teacher a1" in form.text
    assert "Head A1" not in form.text  # only staff who teach or coach are offered
    response = client.post(
        url,
        {
            "kind": "action_learning_set",
            "name": "Early-career set",
            "focus": "Behaviour after lunch",
            "members": [str(p.pk) for p in people],
            "facilitator": str(world.own.coach.pk),
            "cadence_days": "14",
        },
    )
    with scopes_disabled():
        group = CoachingGroup.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("coaching:lead_group", args=["a1", group.pk])
    assert group.cadence_days == 14
    page = client.get(response.url)
    assert "Early-career set" in page.text
    assert "Early-career set is set up" in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"members": "few"}, "An action learning set has 3 to 8 members: you chose 2."),
        ({"kind": "dyad"}, "A dyad is two colleagues: choose exactly 2 members (you chose 3)."),
        ({"facilitator": "outsider"}, "The facilitator must be one of the members."),
        ({"name": ""}, "Enter a name for the group."),
        ({"cadence_days": "0"}, "Enter a number of days from 1 to 365."),
        ({"members": "other school"}, "Choose only people who teach or coach at the school."),
    ],
)
def test_a_group_that_breaks_a_rule_is_refused_with_a_clear_message(
    client, world, changes, message
):
    people = [world.own.teacher, world.own.coach, *staff(world.own.school, 1)]
    data = {
        "kind": "action_learning_set",
        "name": "Set",
        "members": [str(p.pk) for p in people],
        "cadence_days": "",
    }
    if changes.get("members") == "few":
        data["members"] = data["members"][:2]
    elif changes.get("members") == "other school":
        data["members"] = [*data["members"], str(world.other_school.teacher.pk)]
    elif changes.get("facilitator") == "outsider":
        data["facilitator"] = str(world.people["other_coach"].pk)
    else:
        data.update(changes)
    lead_client(client, world)
    before = counts()
    response = client.post(reverse("coaching:lead_group_new", args=["a1"]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert counts() == before


def test_the_leads_pages_show_who_and_when_but_never_what_was_said(client, world, group):
    lead_client(client, world)
    listing = client.get(reverse("coaching:lead_groups", args=["a1"]))
    page = client.get(reverse("coaching:lead_group", args=["a1", group.pk]))
    for response in (listing, page):
        assert response.status_code == 200
        assert "Set at a1" in response.text
        assert "Teacher a1" in response.text
        assert SESSION_WORDS not in response.text
        assert "two-minute task" not in response.text  # the action
        assert "first ten minutes" not in response.text  # the questions
    assert (TODAY - dt.timedelta(days=7)).strftime("%-d %B %Y") in page.text
    assert "1 session recorded." in page.text


def test_a_lead_adds_and_removes_members(client, world, group):
    newcomer = staff(world.own.school, 1, prefix="Newcomer")[0]
    lead_client(client, world)
    add = reverse("coaching:lead_group_member_add", args=["a1", group.pk])
    assert "Teacher a1" not in client.get(add).text  # already in the group
    response = client.post(add, {"person": str(newcomer.pk)})
    assert response.status_code == 302
    with scopes_disabled():
        member = group.members.get(person=newcomer)
    remove = reverse("coaching:lead_group_member_remove", args=["a1", group.pk, member.pk])
    assert "Remove Newcomer" in client.get(remove).text
    response = client.post(remove)
    assert response.status_code == 302
    with scopes_disabled():
        member.refresh_from_db()
    assert member.left_on == TODAY
    assert "no longer sees its sessions" in client.get(response.url).text


def test_removing_a_member_from_a_set_of_three_shows_why_not(client, world):
    set_of_three = group_in(world.own, extra=1)
    with scopes_disabled():
        member = set_of_three.members.get(person=world.own.teacher)
    lead_client(client, world)
    response = client.post(
        reverse("coaching:lead_group_member_remove", args=["a1", set_of_three.pk, member.pk])
    )
    assert response.status_code == 200
    assert "nobody can leave until someone joins" in response.text
    with scopes_disabled():
        member.refresh_from_db()
    assert member.left_on is None


def test_a_lead_ends_a_group_and_then_cannot_change_it(client, world, group):
    lead_client(client, world)
    end = reverse("coaching:lead_group_end", args=["a1", group.pk])
    assert client.get(end).status_code == 200
    response = client.post(end)
    assert response.status_code == 302
    with scopes_disabled():
        group.refresh_from_db()
    assert group.finished_on == TODAY
    again = client.get(reverse("coaching:lead_group_member_add", args=["a1", group.pk]))
    assert again.status_code == 302
    assert "can no longer be changed" in client.get(again.url).text
    listing = client.get(reverse("coaching:lead_groups", args=["a1"]))
    assert "Groups that have ended" in listing.text


def test_a_member_sees_my_groups_and_the_groups_sessions(client, world, group):
    client.force_login(world.own.teacher)
    mine = client.get(reverse("coaching:my_groups"))
    assert "Set at a1" in mine.text
    assert reverse("coaching:group", args=[group.pk]) in mine.text
    page = client.get(reverse("coaching:group", args=[group.pk]))
    assert SESSION_WORDS in page.text
    assert "Actions to hear about" in page.text
    assert "Try a two-minute task straight after the register." in page.text
    with scopes_disabled():
        session = group.sessions.get()
    assert reverse("coaching:group_action_report", args=[session.pk]) in page.text


def test_reading_the_group_is_not_listed_as_a_read_of_anyones_records(client, world, group):
    client.force_login(world.own.coach)
    client.get(reverse("coaching:group", args=[group.pk]))
    with scopes_disabled():
        assert not AuditEvent.objects.filter(verb="read").exists()


def test_people_outside_the_group_are_shown_not_found(client, world, group):
    with scopes_disabled():
        session = group.sessions.get()
    urls = [
        reverse("coaching:group", args=[group.pk]),
        reverse("coaching:group_session_new", args=[group.pk]),
        reverse("coaching:group_session_edit", args=[session.pk]),
        reverse("coaching:group_action_report", args=[session.pk]),
    ]
    for persona in ("other_coach", "coaching_lead", "headteacher", "trust_lead", "administrator"):
        client.force_login(world.people[persona])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (persona, url)
            assert SESSION_WORDS not in response.text


def test_a_member_records_a_session_and_everyone_in_the_group_reads_it(client, world, group):
    client.force_login(world.own.teacher)
    url = reverse("coaching:group_session_new", args=[group.pk])
    form = client.get(url)
    assert "Before the new problem, hear how the last actions went" in form.text
    response = client.post(
        url,
        {
            "met_on": TODAY.isoformat(),
            "presenter": str(world.own.coach.pk),
            "problem": "Parents' evening appointments overrun.",
            "questions": "What do you most want each parent to leave knowing?",
            "action": "Open with one strength and one next step for every pupil.",
            "notes": "",
        },
    )
    assert response.status_code == 302
    client.force_login(world.own.coach)
    page = client.get(reverse("coaching:group", args=[group.pk]))
    assert "Parents&#x27; evening appointments overrun." in page.text
    assert "Open with one strength and one next step for every pupil." in page.text


def test_a_session_with_bad_input_reshows_the_form_and_saves_nothing(client, world, group):
    client.force_login(world.own.teacher)
    before = counts()
    response = client.post(
        reverse("coaching:group_session_new", args=[group.pk]),
        {"met_on": TODAY.isoformat(), "presenter": "", "action": "Do something", "problem": ""},
    )
    assert response.status_code == 200
    assert "Say who brought the problem: the action is theirs to take." in response.text
    response = client.post(
        reverse("coaching:group_session_new", args=[group.pk]),
        {"met_on": TODAY.isoformat(), "presenter": str(world.people["other_coach"].pk)},
    )
    assert "Choose someone who is in the group." in response.text
    assert counts() == before


def test_a_member_records_what_happened_with_the_previous_action(client, world, group):
    with scopes_disabled():
        session = group.sessions.get()
    client.force_login(world.own.coach)
    url = reverse("coaching:group_action_report", args=[session.pk])
    form = client.get(url)
    assert "Try a two-minute task straight after the register." in form.text
    response = client.post(
        url,
        {"version": "1", "action_report": "Settled by 1:05 every day.", "reported_on": TODAY},
    )
    assert response.status_code == 302
    page = client.get(reverse("coaching:group", args=[group.pk]))
    assert "Settled by 1:05 every day." in page.text
    assert "Actions to hear about" not in page.text


def test_two_members_reporting_on_one_action_at_once_see_both_reports(client, world, group):
    with scopes_disabled():
        session = group.sessions.get()
    url = reverse("coaching:group_action_report", args=[session.pk])
    data = {"version": "1", "reported_on": TODAY}
    client.force_login(world.own.coach)
    assert client.post(url, {**data, "action_report": "The coach's telling."}).status_code == 302
    client.force_login(world.own.teacher)
    response = client.post(url, {**data, "action_report": "The teacher's telling."})
    assert response.status_code == 200
    assert "saved this session while you were changing it" in response.text
    assert "The coach&#x27;s telling." in response.text
    assert "The teacher&#x27;s telling." in response.text
    assert 'name="version" value="2"' in response.text
    response = client.post(url, {**data, "version": "2", "action_report": "Both tellings."})
    assert response.status_code == 302
    with scopes_disabled():
        session.refresh_from_db()
    assert (session.action_report, session.version) == ("Both tellings.", 3)


def test_two_members_changing_a_session_at_once_see_both_versions(client, world, group):
    with scopes_disabled():
        session = group.sessions.get()
    url = reverse("coaching:group_session_edit", args=[session.pk])
    data = {
        "version": "1",
        "met_on": session.met_on.isoformat(),
        "presenter": str(world.own.teacher.pk),
        "problem": session.problem,
        "questions": session.questions,
        "action": session.action,
    }
    client.force_login(world.own.coach)
    assert client.post(url, {**data, "notes": "The coach's notes."}).status_code == 302
    client.force_login(world.own.teacher)
    response = client.post(url, {**data, "notes": "The teacher's notes."})
    assert response.status_code == 200
    assert "saved this session while you were changing it" in response.text
    assert "The coach&#x27;s notes." in response.text
    assert "The teacher&#x27;s notes." in response.text
    assert 'name="version" value="2"' in response.text
    with scopes_disabled():
        session.refresh_from_db()
    assert session.notes == "The coach's notes."
    response = client.post(url, {**data, "version": "2", "notes": "Both."})
    assert response.status_code == 302
    with scopes_disabled():
        session.refresh_from_db()
    assert (session.notes, session.version) == ("Both.", 3)


def test_a_reported_session_can_have_its_report_changed(client, world, group):
    with scopes_disabled():
        session = group.sessions.get()
        GroupSession.objects.filter(pk=session.pk).update(
            action_report="First telling.", reported_on=TODAY
        )
    client.force_login(world.own.teacher)
    url = reverse("coaching:group_session_edit", args=[session.pk])
    form = client.get(url)
    assert "First telling." in form.text
    response = client.post(
        url,
        {
            "version": "1",
            "met_on": session.met_on.isoformat(),
            "presenter": str(world.own.teacher.pk),
            "problem": session.problem,
            "action": session.action,
            "action_report": "Second telling.",
            "reported_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        session.refresh_from_db()
    assert session.action_report == "Second telling."


def test_an_ended_groups_page_is_read_only_for_its_members(client, world, group):
    with scopes_disabled():
        CoachingGroup.objects.filter(pk=group.pk).update(finished_on=TODAY)
        session = group.sessions.get()
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:group", args=[group.pk]))
    assert SESSION_WORDS in page.text
    assert "can no longer be changed" in page.text
    assert reverse("coaching:group_session_new", args=[group.pk]) not in page.text
    assert reverse("coaching:group_session_edit", args=[session.pk]) not in page.text
    assert client.get(reverse("coaching:group_session_new", args=[group.pk])).status_code == 404
    mine = client.get(reverse("coaching:my_groups"))
    assert "Groups that have ended" in mine.text


def test_a_member_who_left_gets_not_found(client, world, group):
    with scopes_disabled():
        GroupMember.objects.filter(group=group, person=world.own.teacher).update(left_on=TODAY)
    client.force_login(world.own.teacher)
    assert client.get(reverse("coaching:group", args=[group.pk])).status_code == 404
    assert "Set at a1" not in client.get(reverse("coaching:my_groups")).text
