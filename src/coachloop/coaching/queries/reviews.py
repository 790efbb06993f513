"""Reads for coaches as learners: their session reviews, the counts per principle over time,
their learning log, and the reviews a coach has shared with their school's coaching leads.

Everything here is the coach's own, except a review the coach shared for QA: a coaching lead
reading one is an audit event the coach can see on "who has read my records", and so can the
teacher the reviewed conversation was with.
"""

import datetime as dt
from dataclasses import dataclass

import rules
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from coachloop.coaching.models import (
    CoachLearningEntry,
    GroupSession,
    Relationship,
    SessionReview,
)
from coachloop.coaching.principles import PRINCIPLES, SHOWED
from coachloop.common.audit import audit_read
from coachloop.people.models import Term
from coachloop.people.rules import check_runs_school

# How the teacher's copy of a lead's read of a session review begins, so the trail names it.
REVIEW_OF_MY_COACHING = "coach's session review of a conversation with the teacher,"
PERIODS_SHOWN = 3  # the latest periods with reviews, in the counts over time
GROUP_SESSIONS_OFFERED_DAYS = 365


@dataclass
class ReviewChoices:
    """The conversations a coach may review: their coaching, and their groups' sessions."""

    relationships: list
    group_sessions: list


def review_choices(viewer, *, today=None):
    """Coaching the viewer does or did (running first), and sessions of groups they belong to
    or facilitate from the last year, newest first. Two queries."""
    today = today or timezone.localdate()
    relationships = list(
        Relationship.objects.filter(coach=viewer.user, school__isnull=False).select_related(
            "teacher"
        )
    )
    relationships.sort(key=lambda r: (r.finished_on is not None, r.teacher.full_name, r.pk))
    member_then = (
        Q(group__members__person=viewer.user)
        & Q(group__members__joined_on__lte=F("met_on"))
        & (Q(group__members__left_on__isnull=True) | Q(group__members__left_on__gte=F("met_on")))
    )
    mine = Q(group__facilitator=viewer.user) | member_then
    sessions = list(
        GroupSession.objects.filter(
            mine, met_on__gte=today - dt.timedelta(days=GROUP_SESSIONS_OFFERED_DAYS)
        )
        .exclude(met_on__gt=today)
        .select_related("group")
        .distinct()
        .order_by("-met_on", "-pk")
    )
    return ReviewChoices(relationships=relationships, group_sessions=sessions)


def my_reviews(viewer, *, limit=None):
    """The viewer's own session reviews, newest first, with what each was about (one query)."""
    reviews = (
        SessionReview.objects.filter(coach=viewer.user)
        .select_related("relationship__teacher", "group_session__group", "school")
        .order_by("-held_on", "-pk")
    )
    return list(reviews[:limit] if limit else reviews)


@dataclass
class Period:
    label: str
    starts_on: object
    reviews: int = 0


@dataclass
class PrincipleRow:
    principle: object
    counts: list  # one count per period shown: reviews in which the principle showed
    total: int


@dataclass
class PrincipleCounts:
    periods: list
    rows: list
    review_count: int


def _periods(trust):
    """The trust's terms as periods; with no terms set up, academic years (September on)."""
    terms = list(
        Term.objects.filter(trust=trust).select_related("academic_year").order_by("starts_on")
    )
    return [Period(label=str(term), starts_on=term.starts_on) for term in terms]


def _academic_year(day):
    start = day.year if day.month >= 9 else day.year - 1
    return Period(label=f"{start}/{(start + 1) % 100:02d}", starts_on=dt.date(start, 9, 1))


def principle_counts(viewer):
    """How often each principle showed in the viewer's reviews, term by term (the latest
    terms with reviews), and in all. A review in a holiday counts in the term before it.
    Two queries, whatever the number of reviews."""
    ratings = list(
        SessionReview.objects.filter(coach=viewer.user)
        .order_by("held_on", "pk")
        .values_list("held_on", "ratings")
    )
    periods = _periods(viewer.trust)
    by_period = {}
    for held_on, review_ratings in ratings:
        period = None
        for candidate in periods:
            if candidate.starts_on <= held_on:
                period = candidate
        if period is None:
            period = _academic_year(held_on)
        by_period.setdefault(period.label, (period, []))[1].append(review_ratings)
    shown = sorted(by_period.values(), key=lambda item: item[0].starts_on)[-PERIODS_SHOWN:]
    rows = []
    for principle in PRINCIPLES:
        counts = [
            sum(1 for r in period_ratings if r.get(principle.code) in SHOWED)
            for _period, period_ratings in shown
        ]
        total = sum(1 for _day, r in ratings if r.get(principle.code) in SHOWED)
        rows.append(PrincipleRow(principle=principle, counts=counts, total=total))
    columns = []
    for period, period_ratings in shown:
        period.reviews = len(period_ratings)
        columns.append(period)
    return PrincipleCounts(periods=columns, rows=rows, review_count=len(ratings))


def review_for(viewer, pk):
    """One session review: its coach's, or, once shared for QA, the school's coaching leads';
    404 for anyone else. A lead's read is audited for the coach to see, and, when the review
    is of a conversation with one teacher, for that teacher too: it is about them."""
    review = (
        SessionReview.objects.select_related(
            "coach", "school", "relationship__teacher", "group_session__group"
        )
        .filter(pk=pk)
        .first()
    )
    if review is None or not rules.test_rule("coaching.read_session_review", viewer, review):
        raise Http404
    if viewer.pk != review.coach_id:
        audit_read(
            viewer=viewer.user,
            target=review,
            subject=review.coach,
            summary=f"session review of {review.held_on:%Y-%m-%d}, shared for QA",
        )
        if review.relationship_id is not None:
            audit_read(
                viewer=viewer.user,
                target=review,
                subject=review.relationship.teacher,
                summary=f"{REVIEW_OF_MY_COACHING} {review.held_on:%Y-%m-%d}, shared for QA",
            )
    return review


def own_review_for(viewer, pk):
    """One of the viewer's own reviews, to change, or 404."""
    review = SessionReview.objects.filter(pk=pk).first()
    if review is None or not rules.test_rule("coaching.change_session_review", viewer, review):
        raise Http404
    return review


@dataclass
class SharedReviewRow:
    """A review shared for QA, as the lead's list shows it: who, when, about what kind."""

    pk: int
    held_on: object
    coach_name: str
    about_group: bool


def reviews_shared_with_lead(viewer, *, school, limit=200):
    """Reviews the school's coaches have shared with its coaching leads, newest first."""
    check_runs_school(viewer, school, hide=True)
    rows = (
        SessionReview.objects.filter(school=school, shared_with_qa=True)
        .order_by("-held_on", "-pk")
        .values_list("pk", "held_on", "coach__full_name", "group_session_id")[:limit]
    )
    return [
        SharedReviewRow(pk=pk, held_on=held_on, coach_name=name, about_group=group is not None)
        for pk, held_on, name, group in rows
    ]


def my_learning_log(viewer):
    """The viewer's own learning log, newest first. Nobody else's entries, ever."""
    return list(CoachLearningEntry.objects.filter(coach=viewer.user).order_by("-written_on", "-pk"))
