"""Reads about kinds of coaching, starting it (the school's teachers and coaches, and each
coach's caseload), ending it and handing it over, given who is asking.

A coaching lead reads what they need to run coaching in their school (who, which kind, since
when), never its content. After a handover the new coach reads the earlier coaching's
activity (drop-in dates, step titles and status); its content only once the teacher has
agreed, and each such read is in the teacher's audit trail.
"""

from dataclasses import dataclass, field

import rules
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal, Relationship
from coachloop.coaching.models.loop import step_status_label
from coachloop.coaching.rules.relationships import MAX_CHAIN, coaching_began_on
from coachloop.common.audit import audit_read
from coachloop.frameworks.models import Strand
from coachloop.people.models import Membership, Role, StaffGroup, User
from coachloop.people.queries import role_holders
from coachloop.people.rules import check_runs_school
from coachloop.policy.queries import school_model

Kind = Relationship.Kind
KIND_LABELS = dict(Kind.choices)
# The kinds a lead starts on the kinds page, as they appear in its address.
KIND_SLUGS = {
    "mentoring": Kind.MENTORING,
    "specialist": Kind.SPECIALIST,
    "co-coaching": Kind.CO_COACHING,
}


@dataclass(frozen=True)
class KindSummary:
    """What kind of coaching a relationship is, in words a page can show."""

    kind: str
    label: str
    induction_starts_on: object = None
    induction_ends_on: object = None
    cadence_days: int | None = None
    focus: str = ""

    @property
    def is_mentoring(self):
        return self.kind == Kind.MENTORING

    @property
    def is_specialist(self):
        return self.kind == Kind.SPECIALIST

    @property
    def is_co_coaching(self):
        return self.kind == Kind.CO_COACHING

    @property
    def description(self):
        """What follows the kind's tag: a mentor's induction and meetings, or the focus."""
        if self.is_mentoring:
            parts = []
            if self.induction_starts_on and self.induction_ends_on:
                parts.append(
                    _("Induction from %(starts)s to %(ends)s")
                    % {
                        "starts": date_format(self.induction_starts_on, "j M Y"),
                        "ends": date_format(self.induction_ends_on, "j M Y"),
                    }
                )
            if self.cadence_days:
                parts.append(
                    ngettext(
                        "Meeting every %(days)s day",
                        "Meeting every %(days)s days",
                        self.cadence_days,
                    )
                    % {"days": self.cadence_days}
                )
            return ". ".join(parts)
        return _("Focus: %(focus)s") % {"focus": self.focus} if self.focus else ""


def kind_summary(
    *,
    kind,
    induction_starts_on=None,
    induction_ends_on=None,
    cadence_days=None,
    strand_title="",
    subject="",
):
    focus = " · ".join(part for part in (strand_title or "", subject or "") if part)
    return KindSummary(
        kind=kind,
        label=str(KIND_LABELS.get(kind, kind)),
        induction_starts_on=induction_starts_on,
        induction_ends_on=induction_ends_on,
        cadence_days=cadence_days,
        focus=focus,
    )


def kind_of(relationship):
    """The kind of a relationship read with its strand (``select_related("strand")``)."""
    strand = relationship.strand if relationship.strand_id else None
    return kind_summary(
        kind=relationship.kind,
        induction_starts_on=relationship.induction_starts_on,
        induction_ends_on=relationship.induction_ends_on,
        cadence_days=relationship.cadence_days,
        strand_title=strand.title if strand else "",
        subject=relationship.subject,
    )


KIND_VALUES = (
    "kind",
    "induction_starts_on",
    "induction_ends_on",
    "cadence_days",
    "strand__title",
    "subject",
)


def kind_of_row(row):
    """The kind of a relationship read as values (``KIND_VALUES``)."""
    return kind_summary(
        kind=row["kind"],
        induction_starts_on=row["induction_starts_on"],
        induction_ends_on=row["induction_ends_on"],
        cadence_days=row["cadence_days"],
        strand_title=row["strand__title"],
        subject=row["subject"],
    )


# -- starting coaching: the school's teachers and coaches --------------------------------------


def open_coaching(school):
    """Running coaching a coach carries (co-coaching peers coach each other, not as caseload)."""
    return Relationship.objects.filter(school=school, finished_on__isnull=True).exclude(
        kind=Relationship.Kind.CO_COACHING
    )


def _caseload_of_each_coach(school):
    """How many teachers each coach (the outer row) coaches in the school now."""
    counted = (
        open_coaching(school)
        .filter(coach=OuterRef("pk"))
        .order_by()
        .values("coach")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def caseload(*, school, coach) -> int:
    """The teachers a coach coaches in the school now (one query)."""
    return open_coaching(school).filter(coach=coach).count()


def coaches_of(viewer, *, school, today=None):
    """People with a current coach role in the school, each with ``caseload`` (one query)."""
    check_runs_school(viewer, school, hide=True)
    today = today or timezone.localdate()
    return (
        User.objects.filter(pk__in=role_holders(school, Role.COACH, on=today))
        .annotate(caseload=_caseload_of_each_coach(school))
        .order_by("full_name", "pk")
    )


def teachers_of(viewer, *, school, today=None):
    """People with a current teacher role in the school (one query)."""
    check_runs_school(viewer, school, hide=True)
    today = today or timezone.localdate()
    return User.objects.filter(pk__in=role_holders(school, Role.TEACHER, on=today)).order_by(
        "full_name", "pk"
    )


def _leaders(school, today):
    """The ids of people who lead in the school: a head or coaching lead there, or a teacher
    in the leaders' staff group (as the coaching model's "leaders" means), as a subquery."""
    leads = Q(role__in=[Role.HEADTEACHER, Role.COACHING_LEAD]) | Q(
        role=Role.TEACHER, staff_group=StaffGroup.LEADER
    )
    return (
        Membership.objects.current(today)
        .filter(leads, trust_id=school.trust_id, school=school)
        .values("user_id")
    )


def assign_choices(viewer, *, school, today=None):
    """What an "assign a coach" form offers, as its keyword arguments: ``teachers``, the
    people who can be coached (teachers at the school now who can sign in, not its leaders
    when the school's coaching model has leaders not being coached); ``coaches``, the people
    who can coach (coaches there now who can sign in, each with ``caseload``, not its leaders
    when leaders do not coach); the caseload ``limit``; and the ``coaching`` each teacher has
    now (``coaching_now``). Four queries, and two for the lists when they are read."""
    today = today or timezone.localdate()
    model = school_model(school)
    teachers = teachers_of(viewer, school=school, today=today).filter(is_active=True)
    coaches = coaches_of(viewer, school=school, today=today).filter(is_active=True)
    if not model.leaders_are_coached:
        teachers = teachers.exclude(pk__in=_leaders(school, today))
    if not model.leaders_coach:
        coaches = coaches.exclude(pk__in=_leaders(school, today))
    return {
        "teachers": teachers,
        "coaches": coaches,
        "limit": model.caseload_limit,
        "coaching": coaching_now(viewer, school=school),
    }


@dataclass(frozen=True)
class CoachingNow:
    """One running relationship of a teacher, as the "assign a coach" pages name it."""

    coach_name: str
    kind: str
    kind_label: str


def coaching_now(viewer, *, school):
    """Each teacher's running coaching at the school (teacher id to ``CoachingNow``s, oldest
    first), so a lead sees who coaches whom, and how, before assigning (one query)."""
    check_runs_school(viewer, school, hide=True)
    found = {}
    rows = (
        Relationship.objects.filter(school=school, finished_on__isnull=True)
        .order_by("started_on", "pk")
        .values_list("teacher_id", "coach__full_name", "kind")
    )
    for teacher_id, coach_name, kind in rows:
        label = str(KIND_LABELS.get(kind, kind))
        found.setdefault(teacher_id, []).append(CoachingNow(coach_name or "", kind, label))
    return found


def caseload_limit(viewer, *, school) -> int:
    check_runs_school(viewer, school, hide=True)
    return school_model(school).caseload_limit


# -- the coaching lead ------------------------------------------------------------------------


def relationship_to_run(viewer, pk):
    """Coaching running in a school the viewer leads, to end or hand over, or 404."""
    relationship = (
        Relationship.objects.select_related("teacher", "coach", "school", "strand", "peer")
        .filter(pk=pk)
        .first()
    )
    if relationship is None or not rules.test_rule(
        "coaching.run_relationship", viewer, relationship
    ):
        raise Http404
    return relationship


def coaches_for_handover(viewer, *, relationship):
    """The school's coaches, each with their caseload, but not the teacher's coach now."""
    return coaches_of(viewer, school=relationship.school).exclude(
        pk__in=[relationship.coach_id, relationship.teacher_id]
    )


def strands_for_school(viewer, *, school, framework_id=None):
    """The current strands of the framework the school's coaches work from (``framework_id``,
    from the school's model), or of all the trust's frameworks (one query)."""
    check_runs_school(viewer, school, hide=True)
    strands = Strand.objects.filter(trust=viewer.trust, version__is_current=True)
    if framework_id is not None:
        strands = strands.filter(version__framework_id=framework_id)
    return strands.select_related("version__framework").order_by(
        "version__framework__name", "position", "pk"
    )


# -- the teacher ------------------------------------------------------------------------------


@dataclass
class CoCoachingRow:
    """A peer the viewer coaches, in co-coaching: they coach the viewer too."""

    relationship: Relationship
    current_step: ActionStep | None


def earlier_content_question(viewer, *, pk):
    """The viewer's own running coaching whose coach may read what came before it only with
    their agreement (handed over, or begun after content of theirs), with the day it
    ``began_on``; or 404."""
    relationship = Relationship.objects.select_related("coach").filter(pk=pk).first()
    if relationship is None or not rules.test_rule(
        "coaching.answer_earlier_content", viewer, relationship
    ):
        raise Http404
    relationship.began_on = coaching_began_on(relationship)
    return relationship


# -- the new coach ----------------------------------------------------------------------------


@dataclass
class EarlierPeriod:
    """One earlier relationship in the chain handed over to this one."""

    relationship: Relationship
    kind: KindSummary
    dropins: list = field(default_factory=list)  # activity rows, or DropIns with content
    steps: list = field(default_factory=list)  # activity rows, or ActionSteps with rehearsals


@dataclass
class EarlierCoaching:
    relationship: Relationship  # the running one, handed over to the viewer
    consented: bool
    with_content: bool
    periods: list


def _earlier_chain(relationship):
    """The relationships handed over to this one, newest first (one query each)."""
    chain = []
    previous_id = relationship.handed_over_from_id
    while previous_id is not None and len(chain) < MAX_CHAIN:
        previous = (
            Relationship.objects.select_related("coach", "strand").filter(pk=previous_id).first()
        )
        if previous is None:
            break
        chain.append(previous)
        previous_id = previous.handed_over_from_id
    return chain


def _activity(periods, ids):
    """Dates of drop-ins and the steps' titles and status: no notes leave the database."""
    outcome_labels = dict(ActionStep.Outcome.choices)
    by_id = {period.relationship.pk: period for period in periods}
    for row in (
        DropIn.objects.filter(relationship__in=ids, is_draft=False)
        .order_by("-visited_on", "-pk")
        .values("relationship_id", "visited_on", "followup_step__title")
    ):
        by_id[row["relationship_id"]].dropins.append(row)
    for row in (
        ActionStep.objects.filter(relationship__in=ids)
        .order_by("-set_on", "-pk")
        .values("relationship_id", "title", "status", "outcome", "set_on", "closed_on", "agreed_on")
    ):
        row["status_label"] = step_status_label(
            status=row["status"], agreed_on=row["agreed_on"], outcome=row["outcome"]
        )
        row["outcome_label"] = outcome_labels.get(row["outcome"], "")
        by_id[row["relationship_id"]].steps.append(row)


def _content(periods, ids):
    """The earlier drop-ins with their notes, and the steps with their rehearsal plans."""
    by_id = {period.relationship.pk: period for period in periods}
    for dropin in (
        DropIn.objects.filter(relationship__in=ids, is_draft=False)
        .select_related("followup_step")
        .order_by("-visited_on", "-pk")
    ):
        by_id[dropin.relationship_id].dropins.append(dropin)
    for step in (
        ActionStep.objects.filter(relationship__in=ids)
        .select_related("framework_step__strand")
        .prefetch_related(
            Prefetch("rehearsals", queryset=Rehearsal.objects.order_by("planned_for", "pk"))
        )
        .order_by("-set_on", "-pk")
    ):
        by_id[step.relationship_id].steps.append(step)


def earlier_coaching(viewer, *, relationship, content=False):
    """The coaching handed over to the viewer before they took it on, or ``None``.

    Only for the new coach of the running relationship. Activity always; with ``content``
    and the teacher's consent, the notes and plans too, each earlier relationship's read
    written to the teacher's audit trail.
    """
    if relationship.handed_over_from_id is None or not rules.test_rule(
        "coaching.write_content", viewer, relationship
    ):
        return None
    consented = relationship.earlier_content_consented_at is not None
    chain = _earlier_chain(relationship)
    periods = [EarlierPeriod(relationship=r, kind=kind_of(r)) for r in chain]
    ids = [r.pk for r in chain]
    with_content = content and consented
    if with_content:
        _content(periods, ids)
        for earlier in chain:
            audit_read(
                viewer=viewer.user,
                target=earlier,
                subject=relationship.teacher,
                summary="earlier coaching record, after a handover",
            )
    else:
        _activity(periods, ids)
    return EarlierCoaching(
        relationship=relationship, consented=consented, with_content=with_content, periods=periods
    )


def earlier_record(viewer, pk):
    """The earlier coaching page: the viewer's running coaching, handed over to them, or 404."""
    relationship = (
        Relationship.objects.select_related("teacher", "coach", "school", "strand")
        .filter(pk=pk)
        .first()
    )
    if relationship is None:
        raise Http404
    earlier = earlier_coaching(viewer, relationship=relationship, content=True)
    if earlier is None:
        raise Http404
    return earlier
