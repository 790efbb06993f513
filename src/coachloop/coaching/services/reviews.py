"""Coaches as learners: reviewing a coaching conversation against the principles, and the
coach's own learning log.

A review names which coaching or group session it was about, never what was said in it: the
teacher's content stays in the teacher's record. It is the coach's own unless they share it
with their school's coaching leads, who run QA of coaching.
"""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.models import CoachLearningEntry, GroupMember, SessionReview
from coachloop.coaching.principles import CODES, Showing
from coachloop.common.audit import audit_record
from coachloop.common.text import text_problem
from coachloop.people.models import Role
from coachloop.people.queries import holds_role

REVIEW_TEXT_LIMIT = 4000
TITLE_LIMIT = 200
ENTRY_LIMIT = 10_000


def _raise(problems):
    problems = {field: message for field, message in problems.items() if message}
    if problems:
        raise ValidationError(problems)


def _date_problem(day, *, missing):
    if day is None:
        return missing
    if day > timezone.localdate():
        return _("The date cannot be in the future.")
    return None


def took_part_in(person, group_session):
    """A member of the group on the day it met, or the group's facilitator."""
    group = group_session.group
    if group.facilitator_id == person.pk:
        return True
    return (
        GroupMember.objects.filter(group=group, person=person, joined_on__lte=group_session.met_on)
        .exclude(left_on__lt=group_session.met_on)
        .exists()
    )


def _review_school(viewer, *, relationship, group_session, school, problems):
    """The school a review belongs to: its coaching's or group's, or one the viewer coaches in."""
    if relationship is not None and group_session is not None:
        problems["conversation"] = _("Choose one conversation: a teacher's or a group's.")
        return None
    if relationship is not None:
        if relationship.coach_id != viewer.pk or relationship.school_id is None:
            problems["conversation"] = _("Choose coaching that you do or did yourself.")
            return None
        return relationship.school
    if group_session is not None:
        if not took_part_in(viewer.user, group_session):
            problems["conversation"] = _("Choose a session of a group you belong to.")
            return None
        return group_session.group.school
    if school is None:
        schools = viewer.schools_with(Role.COACH)
        if len(schools) == 1:
            return schools[0]
        problems["school"] = _("Choose the school the conversation was in.")
        return None
    if not holds_role(viewer.user, school=school, role=Role.COACH):
        problems["school"] = _("Choose a school where you coach.")
        return None
    return school


def _ratings_problem(ratings):
    allowed = set(Showing.values)
    if set(ratings) != set(CODES) or any(value not in allowed for value in ratings.values()):
        return _("Say how far the conversation showed each principle.")
    return None


@transaction.atomic
def session_review_record(
    *,
    viewer,
    held_on,
    ratings,
    went_well="",
    try_next="",
    shared_with_qa=False,
    relationship=None,
    group_session=None,
    school=None,
):
    """A coach's short review of one conversation against the twelve principles."""
    went_well, try_next = (went_well or "").strip(), (try_next or "").strip()
    problems = {
        "held_on": _date_problem(held_on, missing=_("Enter the date of the conversation.")),
        "ratings": _ratings_problem(ratings),
        "went_well": text_problem(
            went_well,
            limit=REVIEW_TEXT_LIMIT,
            missing=None,
            too_long=_("Keep what went well to %(n)d characters or fewer."),
        ),
        "try_next": text_problem(
            try_next,
            limit=REVIEW_TEXT_LIMIT,
            missing=None,
            too_long=_("Keep what you will try next to %(n)d characters or fewer."),
        ),
    }
    school = _review_school(
        viewer,
        relationship=relationship,
        group_session=group_session,
        school=school,
        problems=problems,
    )
    if relationship is not None and held_on and not problems.get("held_on"):
        if held_on < relationship.started_on:
            problems["held_on"] = _("That date is before this coaching started.")
        elif relationship.finished_on and held_on > relationship.finished_on:
            problems["held_on"] = _("That date is after this coaching ended.")
    if (
        group_session is not None
        and held_on
        and not problems.get("held_on")
        and held_on != group_session.met_on
    ):
        problems["held_on"] = _("The group met on a different date: use that date.")
    _raise(problems)
    review = SessionReview.objects.create(
        trust_id=school.trust_id,
        coach=viewer.user,
        school=school,
        relationship=relationship,
        group_session=group_session,
        held_on=held_on,
        ratings={code: str(ratings[code]) for code in CODES},
        went_well=went_well,
        try_next=try_next,
        shared_with_qa=bool(shared_with_qa),
        created_at=timezone.now(),
    )
    audit_record(
        actor=viewer.user,
        verb="session_review.recorded",
        target=review,
        subject=viewer.user,
        summary="shared with QA" if review.shared_with_qa else "private",
    )
    return review


@transaction.atomic
def session_review_share_set(*, viewer, review, shared_with_qa):
    """Share a review with the school's coaching leads, or take it back: at once either way."""
    review = SessionReview.objects.select_for_update().get(pk=review.pk)
    if not rules.test_rule("coaching.change_session_review", viewer, review):
        raise PermissionDenied
    review.shared_with_qa = bool(shared_with_qa)
    review.save(update_fields=["shared_with_qa"])
    audit_record(
        actor=viewer.user,
        verb="session_review.shared" if review.shared_with_qa else "session_review.unshared",
        target=review,
        subject=viewer.user,
    )
    return review


@transaction.atomic
def learning_entry_add(*, viewer, written_on, title, body):
    """An entry in the coach's own learning log, which only they can read."""
    title, body = (title or "").strip(), (body or "").strip()
    problems = {
        "written_on": _date_problem(written_on, missing=_("Enter the date.")),
        "title": text_problem(
            title,
            limit=TITLE_LIMIT,
            missing=_("Give the entry a title."),
            too_long=_("Keep the title to %(n)d characters or fewer."),
        ),
        "body": text_problem(
            body,
            limit=ENTRY_LIMIT,
            missing=_("Write what you learnt."),
            too_long=_("Keep the entry to %(n)d characters or fewer."),
        ),
    }
    _raise(problems)
    entry = CoachLearningEntry.objects.create(
        trust_id=viewer.trust.pk,
        coach=viewer.user,
        written_on=written_on,
        title=title,
        body=body,
    )
    audit_record(actor=viewer.user, verb="learning_entry.added", target=entry, subject=viewer.user)
    return entry
