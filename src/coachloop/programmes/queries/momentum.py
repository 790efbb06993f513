"""Momentum and engagement: prompts for the programme lead and the tutor to offer help, never
judgements. A teacher needs contact when a deadline has passed without their final work, when
the three have not met for a while, or when they have gone quiet; a coach needs contact when
some of their teachers have had neither a meeting nor feedback for a while (with how many);
and a coach's caseload above the programme's limit warns.

Every figure is computed from a handful of queries whatever the number of teachers.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import rules
from django.db.models import Count, F, IntegerField, Max, OuterRef, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coachloop.programmes.models import (
    Assignment,
    CoachQualification,
    Enrolment,
    Feedback,
    PortfolioItem,
    Programme,
    Submission,
    SubmissionVersion,
)
from coachloop.programmes.models.assessment import due_for
from coachloop.rollout.models import CoachTraining

MISSED_DEADLINE = "missed_deadline"
NOT_MET = "not_met"
GONE_QUIET = "gone_quiet"
REASONS = {
    MISSED_DEADLINE: _("A deadline has passed without their final work"),
    NOT_MET: _("No three-way meeting for a while"),
    GONE_QUIET: _("Nothing added for a while"),
}


@dataclass
class TeacherMomentum:
    enrolment: Enrolment
    reasons: list = field(default_factory=list)  # keys of REASONS
    missed: list = field(default_factory=list)  # assignments past due without final work
    last_met_on: dt.date | None = None
    last_active_at: dt.datetime | None = None

    @property
    def needs_contact(self):
        return bool(self.reasons)

    @property
    def reason_labels(self):
        return [REASONS[r] for r in self.reasons]


@dataclass
class CoachEngagement:
    coach: object
    caseload: int
    without_support: int  # teachers with no meeting and no feedback from the coach lately
    over_caseload: bool
    qualification: CoachQualification | None
    courses: int = 0  # training courses the coach's school has recorded
    trained_on: dt.date | None = None  # when they finished the latest

    @property
    def needs_contact(self):
        return self.without_support > 0


@dataclass
class Momentum:
    programme: Programme
    teachers: list  # TeacherMomentum, those needing contact first
    coaches: list  # CoachEngagement


def _latest(values):
    values = [v for v in values if v is not None]
    return max(values) if values else None


def _as_date(value):
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


def _caseload_of_coach(programme):
    """How many current teachers the enrolment's coach has on the whole programme (a tutor
    sees only their own teachers, but a coach's caseload counts all of theirs)."""
    per_coach = (
        Enrolment.objects.filter(
            cohort__programme=programme, coach_id=OuterRef("coach_id"), finished_on__isnull=True
        )
        .order_by()
        .values("coach_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(per_coach, output_field=IntegerField())


def _training_of_coach(aggregate, output_field=None):
    """A figure about the enrolment's coach's recorded training, inside the enrolments' query."""
    per_coach = (
        CoachTraining.objects.filter(coach_id=OuterRef("coach_id"))
        .order_by()
        .values("coach_id")
        .annotate(figure=aggregate)
        .values("figure")
    )
    return Subquery(per_coach, output_field=output_field)


def momentum(viewer, programme_id, *, now=None):
    """The programme's momentum as the viewer may see it: all of it for the programme lead,
    their own teachers (and those teachers' coaches) for a tutor; 404 for anyone else."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    enrolments = Enrolment.objects.filter(cohort__programme=programme, finished_on__isnull=True)
    if not rules.test_rule("programmes.lead", viewer, programme):
        enrolments = enrolments.filter(tutor_id=viewer.pk)
    enrolments = list(
        enrolments.select_related("teacher", "coach", "school", "cohort").annotate(
            last_met_on=Max("meetings__held_on"),
            coach_caseload=_caseload_of_coach(programme),
            coach_courses=_training_of_coach(Count("pk"), IntegerField()),
            coach_trained_on=_training_of_coach(Max("completed_on")),
        )
    )
    if not enrolments and not rules.test_rule("programmes.tutor", viewer, programme):
        raise Http404
    ids = [e.pk for e in enrolments]

    versions = dict(
        SubmissionVersion.objects.filter(submission__enrolment_id__in=ids)
        .values("submission__enrolment_id")
        .annotate(last=Max("created_at"))
        .values_list("submission__enrolment_id", "last")
    )
    added = dict(
        PortfolioItem.objects.filter(enrolment_id__in=ids)
        .values("enrolment_id")
        .annotate(last=Max("added_at"))
        .values_list("enrolment_id", "last")
    )
    coach_feedback = dict(
        Feedback.objects.filter(version__submission__enrolment_id__in=ids)
        .filter(author_id=F("version__submission__enrolment__coach_id"))
        .values("version__submission__enrolment_id")
        .annotate(last=Max("created_at"))
        .values_list("version__submission__enrolment_id", "last")
    )
    finals = defaultdict(dict)  # enrolment -> assignment -> submission
    for submission in Submission.objects.filter(enrolment_id__in=ids, is_current=True).only(
        "enrolment_id", "assignment_id", "status", "extended_due_at"
    ):
        finals[submission.enrolment_id][submission.assignment_id] = submission
    assignments = list(
        Assignment.objects.filter(module__programme=programme, due_at__lt=now).order_by("due_at")
    )

    quiet_since = today - dt.timedelta(days=programme.quiet_after_days)
    coach_quiet_since = today - dt.timedelta(days=programme.coach_quiet_after_days)
    teachers, without_support = [], Counter()
    for enrolment in enrolments:
        row = TeacherMomentum(enrolment=enrolment, last_met_on=enrolment.last_met_on)
        for assignment in assignments:
            submission = finals[enrolment.pk].get(assignment.pk)
            # The assignment's due time as it stands, unless the teacher has a later one.
            due = due_for(submission and submission.extended_due_at, assignment.due_at)
            drafting = submission is None or submission.status == Submission.Status.DRAFTING
            if drafting and due < now:
                row.missed.append(assignment)
        if row.missed:
            row.reasons.append(MISSED_DEADLINE)
        started_long_ago = enrolment.started_on < quiet_since
        if started_long_ago and (row.last_met_on is None or row.last_met_on < quiet_since):
            row.reasons.append(NOT_MET)
        row.last_active_at = _latest([versions.get(enrolment.pk), added.get(enrolment.pk)])
        last_active = _as_date(row.last_active_at)
        if started_long_ago and (last_active is None or last_active < quiet_since):
            row.reasons.append(GONE_QUIET)
        teachers.append(row)

        supported_on = _latest([row.last_met_on, _as_date(coach_feedback.get(enrolment.pk))])
        if enrolment.started_on < coach_quiet_since and (
            supported_on is None or supported_on < coach_quiet_since
        ):
            without_support[enrolment.coach_id] += 1

    coaches_by_id = {e.coach_id: e.coach for e in enrolments}
    training = {e.coach_id: (e.coach_courses or 0, e.coach_trained_on) for e in enrolments}
    caseload = {e.coach_id: e.coach_caseload for e in enrolments}
    qualifications = {}
    for qualification in CoachQualification.objects.filter(
        coach_id__in=list(coaches_by_id)
    ).order_by("coach_id", "-recorded_on", "-pk"):
        qualifications.setdefault(qualification.coach_id, qualification)
    coaches = [
        CoachEngagement(
            coach=coach,
            caseload=caseload[coach_id],
            without_support=without_support[coach_id],
            over_caseload=caseload[coach_id] > programme.caseload_limit,
            qualification=qualifications.get(coach_id),
            courses=training[coach_id][0],
            trained_on=training[coach_id][1],
        )
        for coach_id, coach in coaches_by_id.items()
    ]
    teachers.sort(key=lambda t: (not t.needs_contact, t.enrolment.teacher.full_name))
    coaches.sort(key=lambda c: (not (c.needs_contact or c.over_caseload), c.coach.full_name))
    return Momentum(programme=programme, teachers=teachers, coaches=coaches)
