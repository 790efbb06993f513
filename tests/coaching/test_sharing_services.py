"""Sharing, the writes: a teacher shares only their own items, only with someone else who works
in their trust now, for no more than a year; and stops a share at once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coachloop.coaching.models import EvidenceItem, Goal, Reflection, ShareGrant
from coachloop.coaching.services.evidence import evidence_remove
from coachloop.coaching.services.learning import reflection_delete
from coachloop.coaching.services.sharing import share_grant, share_revoke
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def reflection(teacher, trust, **fields):
    with scopes_disabled():
        return Reflection.objects.create(
            trust=trust,
            teacher=teacher,
            written_on=TODAY,
            title=fields.pop("title", "Calmer starts"),
            body=fields.pop("body", "The door routine is working."),
            **fields,
        )


def goal(teacher, trust):
    with scopes_disabled():
        return Goal.objects.create(
            trust=trust,
            teacher=teacher,
            title="More pupils explain their reasoning",
            pupils="Year 9 set 3",
            review_on=TODAY + dt.timedelta(days=30),
            created_at=timezone.now(),
        )


def evidence(teacher, trust):
    with scopes_disabled():
        return EvidenceItem.objects.create(
            trust=trust,
            teacher=teacher,
            kind=EvidenceItem.Kind.LINK,
            title="Lesson video",
            url="https://video.example.org/lesson",
            added_on=TODAY,
        )


@pytest.fixture
def colleague(world):
    return world.people["other_coach"]


def share(as_viewer, owner, item, grantee, *, days=30, note=""):
    viewer, scope = as_viewer(owner)
    with scope:
        return share_grant(
            viewer=viewer,
            item=item,
            grantee=grantee,
            expires_on=TODAY + dt.timedelta(days=days),
            note=note,
        )


def test_a_teacher_shares_each_kind_of_their_own_item_with_a_colleague(world, as_viewer, colleague):
    teacher, trust = world.own.teacher, world.trust
    items = {
        "reflection": reflection(teacher, trust),
        "goal": goal(teacher, trust),
        "dropin": world.own.dropin,
        "evidence": evidence(teacher, trust),
    }
    for kind, item in items.items():
        grant = share(as_viewer, teacher, item, colleague, note=" Before Friday ")
        assert (grant.owner, grant.grantee) == (teacher, colleague)
        assert (grant.item_kind, grant.item_id) == (kind, item.pk)
        assert grant.expires_on == TODAY + dt.timedelta(days=30)
        assert grant.note == "Before Friday"
        assert grant.revoked_at is None
    with scopes_disabled():
        assert ShareGrant.objects.get(item_kind="reflection").item_title == "Calmer starts"
        dropin_title = ShareGrant.objects.get(item_kind="dropin").item_title
        events = AuditEvent.objects.filter(verb="share.granted")
        assert events.count() == 4
        assert {e.subject for e in events} == {teacher}
    assert dropin_title.startswith("Drop-in of ") and dropin_title.endswith("9X2")


def test_a_teacher_cannot_share_someone_elses_item(world, as_viewer, colleague):
    others = reflection(world.other_school.teacher, world.trust)
    for item in (others, world.other_school.dropin):
        with pytest.raises(PermissionDenied):
            share(as_viewer, world.own.teacher, item, colleague)
    # The coach wrote the drop-in, but it is the teacher's record to share.
    with pytest.raises(PermissionDenied):
        share(as_viewer, world.own.coach, world.own.dropin, colleague)
    with scopes_disabled():
        assert not ShareGrant.objects.exists()


def test_a_draft_drop_in_is_not_yet_the_teachers_to_share(world, as_viewer, colleague):
    with pytest.raises(PermissionDenied):
        share(as_viewer, world.own.teacher, world.own.draft, colleague)


def test_a_teacher_cannot_share_with_themselves(world, as_viewer):
    item = reflection(world.own.teacher, world.trust)
    with pytest.raises(ValidationError) as caught:
        share(as_viewer, world.own.teacher, item, world.own.teacher)
    assert caught.value.message_dict["grantee"] == ["Choose someone other than yourself."]


def test_a_share_goes_only_to_someone_who_works_in_the_trust_now(world, as_viewer):
    item = reflection(world.own.teacher, world.trust)
    with scopes_disabled():
        left = UserFactory(full_name="Left Last Year")
        MembershipFactory(
            user=left,
            school=world.own.school,
            role=Role.TEACHER,
            finished_on=TODAY - dt.timedelta(days=1),
        )
        nowhere = UserFactory(full_name="No Role")
    for person in (world.other_trust_records.teacher, left, nowhere):
        with pytest.raises(ValidationError) as caught:
            share(as_viewer, world.own.teacher, item, person)
        assert caught.value.message_dict["grantee"] == [
            "Choose someone who works in your trust now."
        ]
    # Anyone with a current role in the trust will do, in another school or across the trust.
    assert share(as_viewer, world.own.teacher, item, world.other_school.teacher).pk
    assert share(as_viewer, world.own.teacher, item, world.people["trust_lead"]).pk


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "The end date cannot be in the past."),
        (366, "Share for a year at most: choose "),
    ],
)
def test_a_share_ends_today_at_the_earliest_and_within_a_year(
    world, as_viewer, colleague, days, message
):
    item = reflection(world.own.teacher, world.trust)
    with pytest.raises(ValidationError) as caught:
        share(as_viewer, world.own.teacher, item, colleague, days=days)
    assert caught.value.message_dict["expires_on"][0].startswith(message)
    assert share(as_viewer, world.own.teacher, item, colleague, days=0).pk
    with scopes_disabled():
        ShareGrant.objects.all().delete()
    assert share(as_viewer, world.own.teacher, item, colleague, days=365).pk


def test_the_same_item_is_not_shared_twice_with_one_person_at_once(world, as_viewer, colleague):
    item = reflection(world.own.teacher, world.trust)
    first = share(as_viewer, world.own.teacher, item, colleague)
    with pytest.raises(ValidationError) as caught:
        share(as_viewer, world.own.teacher, item, colleague)
    assert "You already share this with Another Coach" in caught.value.message_dict["grantee"][0]
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        share_revoke(viewer=viewer, grant=first)
    assert share(as_viewer, world.own.teacher, item, colleague).pk != first.pk


def test_a_note_is_kept_short(world, as_viewer, colleague):
    item = reflection(world.own.teacher, world.trust)
    with pytest.raises(ValidationError) as caught:
        share(as_viewer, world.own.teacher, item, colleague, note="x" * 501)
    assert "note" in caught.value.message_dict


def test_only_the_teacher_stops_a_share_and_only_while_it_runs(world, as_viewer, colleague):
    item = reflection(world.own.teacher, world.trust)
    grant = share(as_viewer, world.own.teacher, item, colleague)
    grantee, grantee_scope = as_viewer(colleague)
    with grantee_scope, pytest.raises(PermissionDenied):
        share_revoke(viewer=grantee, grant=grant)
    viewer, scope = as_viewer(world.own.teacher)
    with scope:
        share_revoke(viewer=viewer, grant=grant)
        grant.refresh_from_db()
        assert grant.revoked_at is not None
        assert AuditEvent.objects.filter(verb="share.revoked", subject=world.own.teacher).exists()
        with pytest.raises(ValidationError) as caught:
            share_revoke(viewer=viewer, grant=grant)
    assert caught.value.messages == ["This share has already ended."]


def test_a_share_of_someone_who_leaves_the_trust_cannot_be_made_again(world, as_viewer, colleague):
    item = reflection(world.own.teacher, world.trust)
    with scopes_disabled():
        Membership.objects.filter(user=colleague).update(finished_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        share(as_viewer, world.own.teacher, item, colleague)


def test_deleting_a_shared_item_stops_its_shares_and_no_others(world, as_viewer, colleague):
    teacher, trust = world.own.teacher, world.trust
    gone, kept = reflection(teacher, trust), reflection(teacher, trust, title="Kept")
    evidence_item = evidence(teacher, trust)
    shares = [share(as_viewer, teacher, item, colleague) for item in (gone, kept, evidence_item)]
    viewer, scope = as_viewer(teacher)
    with scope:
        reflection_delete(viewer=viewer, reflection=gone)
        evidence_remove(viewer=viewer, item=evidence_item)
    with scopes_disabled():
        stopped = [ShareGrant.objects.get(pk=s.pk).revoked_at is not None for s in shares]
    assert stopped == [True, False, True]
