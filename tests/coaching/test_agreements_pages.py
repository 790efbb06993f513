"""Learning agreement pages: writing, changing and agreeing in the browser's forms, bad input,
out-of-date proposals, who reaches which page, and what the teacher's audit trail shows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import AgreementVersion, CoachingGroup, GroupMember, Relationship
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from tests.coaching.test_agreements_services import (
    agree,
    co_coaching,
    colleague,
    make_group,
    propose,
    terms,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def page(relationship):
    return reverse("coaching:agreement", args=[relationship.pk])


def change(relationship):
    return reverse("coaching:agreement_propose", args=[relationship.pk])


def version_page(relationship, number):
    return reverse("coaching:agreement_version", args=[relationship.pk, number])


def agree_url(relationship, number):
    return reverse("coaching:agreement_agree", args=[relationship.pk, number])


def posted(based_on, **overrides):
    return {"based_on": str(based_on), **terms(**overrides)}


def versions():
    with scopes_disabled():
        return list(AgreementVersion.objects.order_by("number").values_list("number", flat=True))


def reads():
    with scopes_disabled():
        return list(AuditEvent.objects.filter(verb="read").values_list("actor", "subject"))


def test_with_no_agreement_yet_a_party_is_offered_starting_wording(client, world):
    client.force_login(world.own.teacher)
    response = client.get(page(world.own.relationship))
    assert "Write the agreement" in response.content.decode()
    form = client.get(change(world.own.relationship)).content.decode()
    assert "We meet when we say we will" in form
    assert 'value="separate" checked' in form
    assert "unless the teacher chooses" in form
    assert 'name="based_on" value="0"' in form


def test_the_coach_proposes_and_the_teacher_agrees_in_the_app(client, world):
    client.force_login(world.own.coach)
    response = client.post(change(world.own.relationship), posted(0), follow=True)
    text = response.content.decode()
    assert f"It comes into force once {world.own.teacher.full_name} agrees to it" in text
    assert "waiting for agreement" in text
    client.force_login(world.own.teacher)
    text = client.get(page(world.own.relationship)).content.decode()
    assert "Version 1 is waiting for you to agree." in text
    assert "Nothing is in force yet" in text
    response = client.post(agree_url(world.own.relationship, 1), follow=True)
    text = response.content.decode()
    assert "Everyone has agreed: version 1 is now in force." in text
    assert "Version 1, in force since" in text


def test_while_a_change_waits_the_page_shows_the_version_still_in_force(client, world):
    first = propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    agree(world.own.coach, first)
    propose(
        world.own.coach,
        relationship=world.own.relationship,
        based_on=1,
        meeting_frequency="Every week, for half an hour.",
    )
    client.force_login(world.own.teacher)
    text = client.get(page(world.own.relationship)).content.decode()
    assert "Until then, version 1 stays in force." in text
    assert "Every two weeks, for about an hour." in text  # version 1, in force
    text = client.get(version_page(world.own.relationship, 2)).content.decode()
    assert "Every week, for half an hour." in text
    assert 'Changed<span class="govuk-visually-hidden"> in this version' in text
    assert "I agree to version 2" in text
    assert "Not agreed yet" in text


def test_an_earlier_version_page_shows_who_agreed_and_when(client, world):
    first = propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    agree(world.own.coach, first)
    second = propose(world.own.coach, relationship=world.own.relationship, based_on=1, sharing="x")
    agree(world.own.teacher, second)
    client.force_login(world.own.teacher)
    text = client.get(version_page(world.own.relationship, 1)).content.decode()
    assert "This version was in force from" in text
    assert text.count("Agreed on") == 2
    assert "I agree to" not in text
    assert client.get(version_page(world.own.relationship, 3)).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ground_rules", "", "Enter the ground rules."),
        ("ground_rules", "   ", "Enter the ground rules."),
        ("confidentiality", "", "Say what stays confidential."),
        ("sharing", "", "Say what is shared, and with whom."),
        ("sharing", "x" * 4001, "at most 4000 characters"),
        ("appraisal", "", "Choose how this relates to appraisal."),
        ("appraisal", "reported_to_the_head", "Select a valid choice"),
        ("meeting_frequency", "", "Say how often you will meet."),
        ("meeting_frequency", "x" * 201, "at most 200 characters"),
    ],
)
def test_bad_input_re_shows_the_form_with_a_clear_message_and_stores_nothing(
    client, world, field, value, message
):
    client.force_login(world.own.coach)
    response = client.post(change(world.own.relationship), posted(0, **{field: value}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    assert versions() == []


def test_an_out_of_date_proposal_is_refused_with_a_message_and_the_typed_text_is_kept(
    client, world
):
    propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    client.force_login(world.own.coach)
    response = client.post(
        change(world.own.relationship), posted(0, sharing="Words the coach typed.")
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Someone proposed version 1 of the agreement while you were writing" in text
    assert "Words the coach typed." in text
    assert versions() == [1]


def test_agreeing_to_a_version_that_was_replaced_says_so_and_changes_nothing(client, world):
    propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    propose(world.own.coach, relationship=world.own.relationship, based_on=1, sharing="y")
    client.force_login(world.own.coach)
    response = client.post(agree_url(world.own.relationship, 1), follow=True)
    assert "Version 2 has been proposed since" in response.content.decode()
    with scopes_disabled():
        assert not AgreementVersion.objects.filter(in_force_from__isnull=False).exists()


def test_agreeing_only_accepts_a_post(client, world):
    propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    client.force_login(world.own.teacher)
    assert client.get(agree_url(world.own.relationship, 1)).status_code == 405


@pytest.mark.parametrize(
    "persona", ["other_coach", "coaching_lead", "headteacher", "trust_lead", "administrator"]
)
def test_nobody_but_the_parties_reaches_any_agreement_page(client, world, persona):
    propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    client.force_login(world.people[persona])
    for url in (
        page(world.own.relationship),
        change(world.own.relationship),
        version_page(world.own.relationship, 1),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(agree_url(world.own.relationship, 1)).status_code == 404
    assert client.post(change(world.own.relationship), posted(1, sharing="z")).status_code == 404
    assert versions() == [1]


def test_another_schools_agreement_is_not_found(client, world):
    client.force_login(world.own.coach)
    for records in (world.other_school, world.other_trust_records):
        assert client.get(page(records.relationship)).status_code == 404
        assert client.post(change(records.relationship), posted(0)).status_code == 404
    assert versions() == []


def test_a_former_coach_reads_the_agreement_but_is_offered_no_change(client, world):
    propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    with scopes_disabled():
        Relationship.objects.filter(pk=world.own.relationship.pk).update(finished_on=TODAY)
    client.force_login(world.own.coach)
    text = client.get(page(world.own.relationship)).content.decode()
    assert "can still be read, but not changed" in text
    assert "Propose a change" not in text and "I agree" not in text
    assert client.get(change(world.own.relationship)).status_code == 404
    assert client.post(agree_url(world.own.relationship, 1)).status_code == 404


def test_the_coachs_reads_are_in_the_teachers_audit_trail_and_posts_are_not_reads(client, world):
    propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    client.force_login(world.own.teacher)
    client.get(page(world.own.relationship))
    client.get(version_page(world.own.relationship, 1))
    assert reads() == []
    client.force_login(world.own.coach)
    client.post(agree_url(world.own.relationship, 1))
    assert reads() == []
    client.get(page(world.own.relationship))
    client.get(version_page(world.own.relationship, 1))
    assert reads() == [(world.own.coach.pk, world.own.teacher.pk)] * 2


def test_a_change_shown_again_with_a_problem_is_a_read_in_the_teachers_trail(client, world):
    propose(world.own.teacher, relationship=world.own.relationship, based_on=0)
    client.force_login(world.own.coach)
    response = client.post(change(world.own.relationship), posted(1, sharing=""))
    assert response.status_code == 200
    assert "Say what is shared, and with whom." in response.content.decode()
    assert reads() == [(world.own.coach.pk, world.own.teacher.pk)]


def test_either_co_coaching_peer_reaches_the_pairs_one_agreement_from_either_row(client, world):
    first = colleague(world.own.school, "Peer One")
    second = colleague(world.own.school, "Peer Two")
    one, other = co_coaching(world.own.school, first, second)
    client.force_login(second)
    client.post(change(other), posted(0))
    client.force_login(first)
    response = client.post(agree_url(one, 1), follow=True)
    assert "version 1 is now in force" in response.content.decode()
    with scopes_disabled():
        assert AgreementVersion.objects.get().relationship_id == min(one.pk, other.pk)


# -- groups ------------------------------------------------------------------------------------


def test_group_members_agree_and_someone_who_left_is_not_found(client, world):
    third = colleague(world.own.school, "Third Member")
    leaver = colleague(world.own.school, "Leaver")
    group = make_group(world.own.school, [world.own.teacher, world.own.coach, third, leaver])
    with scopes_disabled():
        GroupMember.objects.filter(person=leaver).update(left_on=TODAY)
    client.force_login(world.own.teacher)
    text = client.get(reverse("coaching:group_agreement_propose", args=[group.pk])).content
    assert b"whoever brings a problem" in text
    response = client.post(
        reverse("coaching:group_agreement_propose", args=[group.pk]), posted(0), follow=True
    )
    assert "once Coach a1 and Third Member agree to it" in response.content.decode()
    for person in (world.own.coach, third):
        client.force_login(person)
        client.post(reverse("coaching:group_agreement_agree", args=[group.pk, 1]))
    with scopes_disabled():
        assert AgreementVersion.objects.get(group=group).in_force_from is not None
    client.force_login(leaver)
    assert client.get(reverse("coaching:group_agreement", args=[group.pk])).status_code == 404
    client.force_login(world.people["coaching_lead"])
    assert client.get(reverse("coaching:group_agreement", args=[group.pk])).status_code == 404
    assert reads() == []


def test_my_agreements_lists_coaching_and_groups_with_what_waits_for_me(client, world):
    group = make_group(
        world.own.school, [world.own.teacher, world.own.coach], kind=CoachingGroup.Kind.DYAD
    )
    propose(world.own.coach, relationship=world.own.relationship, based_on=0)
    client.force_login(world.own.teacher)
    text = client.get(reverse("coaching:agreements_mine")).content.decode()
    assert world.own.coach.full_name in text and group.name in text
    assert "Waiting for you" in text and "Not written yet" in text
    client.force_login(world.people["headteacher"])
    text = client.get(reverse("coaching:agreements_mine")).content.decode()
    assert "You are not part of any coaching or group yet" in text
