"""Starting and ending coaching: periods that are closed, never rewritten.

A coaching lead assigns a coach (``coach_assign``) within the school's coaching model: its
caseload limit, which the lead may pass once they confirm, and whether leaders coach and are
coached.

A relationship is of one kind: instructional coaching, mentoring (a mentor, an induction
period and a rhythm of its own), specialist coaching (one strand of the framework, or a
subject) or co-coaching (two peers, each coach to the other: two rows, one each way, each
pointing at the other, started and ended together).

When coaching ends (or passes to a new coach) the former coach may read, not change, the
record until ``coach_reads_until``: the end date plus the days the school's coaching model
sets.
"""

import datetime as dt

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.coaching.models import ActionStep, Relationship
from coachloop.coaching.queries.relationships import caseload
from coachloop.common.audit import audit_record
from coachloop.people.models import Membership, Role, StaffGroup, User
from coachloop.people.queries import holds_role
from coachloop.people.rules import check_runs_school
from coachloop.policy.queries import read_after_end_days, school_model

Kind = Relationship.Kind
MIN_CADENCE_DAYS = 1
MAX_CADENCE_DAYS = 60
SUBJECT_LIMIT = Relationship._meta.get_field("subject").max_length
KIND_FIELDS = (
    "induction_starts_on",
    "induction_ends_on",
    "cadence_days",
    "strand",
    "subject",
)


def coach_reads_until(school, finished_on):
    return finished_on + dt.timedelta(days=read_after_end_days(school))


def _kind_problems(*, school, kind, fields):
    """Problems with the fields that belong to a kind: mentoring's induction and rhythm,
    specialist coaching's strand or subject."""
    problems = {}
    if kind == Kind.MENTORING:
        starts, ends = fields.get("induction_starts_on"), fields.get("induction_ends_on")
        if starts is None:
            problems["induction_starts_on"] = _("Enter the date the induction period starts.")
        if ends is None:
            problems["induction_ends_on"] = _("Enter the date the induction period ends.")
        elif starts is not None and ends <= starts:
            problems["induction_ends_on"] = _("The induction period must end after it starts.")
        days = fields.get("cadence_days")
        if days is None:
            problems["cadence_days"] = _("Enter how many days there should be between meetings.")
        elif not MIN_CADENCE_DAYS <= days <= MAX_CADENCE_DAYS:
            problems["cadence_days"] = _(
                "Enter a number of days between meetings from %(low)d to %(high)d."
            ) % {"low": MIN_CADENCE_DAYS, "high": MAX_CADENCE_DAYS}
    elif kind == Kind.SPECIALIST:
        strand, subject = fields.get("strand"), fields.get("subject", "")
        if strand is None and not subject:
            problems["strand"] = _(
                "Choose the strand of the framework this coaching is about, or name a subject."
            )
        if strand is not None and strand.trust_id != school.trust_id:
            problems["strand"] = _("Choose a strand from the list.")
        if len(subject) > SUBJECT_LIMIT:
            problems["subject"] = _("Keep the subject to %(n)d characters or fewer.") % {
                "n": SUBJECT_LIMIT
            }
    return problems


def _clean_kind_fields(kind, fields):
    """The kind's own fields, tidied; those of other kinds are left empty."""
    cleaned = dict.fromkeys(KIND_FIELDS)
    cleaned["subject"] = ""
    if kind == Kind.MENTORING:
        for name in ("induction_starts_on", "induction_ends_on", "cadence_days"):
            cleaned[name] = fields.get(name)
    elif kind == Kind.SPECIALIST:
        cleaned["strand"] = fields.get("strand")
        cleaned["subject"] = (fields.get("subject") or "").strip()
    return cleaned


def relationship_check(*, school, coach, teacher, kind, started_on, keep_both=False, **kind_fields):
    """Why this coach cannot start coaching this teacher, as a ValidationError, or nothing.

    ``kind_fields`` are the kind's own: ``induction_starts_on``, ``induction_ends_on`` and
    ``cadence_days`` for mentoring, ``strand`` or ``subject`` for specialist coaching.

    A teacher has one running relationship of a kind at a school: a second one is refused
    (``SameKindRunning``, naming the coach) unless ``keep_both`` says it is meant (or, for a
    handover, that one replaces another).
    """
    kind = kind or Kind.INSTRUCTIONAL
    if school is None:
        raise ValidationError({"school": _("Choose the school where the coaching happens.")})
    if kind == Kind.CO_COACHING:
        raise ValidationError(
            {"kind": _("Co-coaching starts as a pair: the coaching lead chooses both teachers.")}
        )
    problems = {}
    if kind == Kind.MENTORING:
        not_coach = _("%(person)s is not a coach at %(school)s on that date, so cannot mentor.")
    else:
        not_coach = _("%(person)s is not a coach at %(school)s on that date.")
    if coach is not None and coach == teacher:
        problems["coach"] = _("A coach cannot coach themselves.")
    elif coach is not None and not holds_role(coach, school=school, role=Role.COACH, on=started_on):
        problems["coach"] = not_coach % {"person": coach, "school": school}
    if teacher is not None and not holds_role(
        teacher, school=school, role=Role.TEACHER, on=started_on
    ):
        problems["teacher"] = _("%(person)s is not a teacher at %(school)s on that date.") % {
            "person": teacher,
            "school": school,
        }
    fields = _clean_kind_fields(kind, kind_fields)
    problems.update(_kind_problems(school=school, kind=kind, fields=fields))
    already = Relationship.objects.filter(
        coach=coach, teacher=teacher, kind=kind, finished_on__isnull=True
    )
    if not problems and already.exists():
        problems["teacher"] = {
            Kind.MENTORING: _("This mentor already mentors this teacher. End that first."),
            Kind.SPECIALIST: _(
                "This coach already gives this teacher specialist coaching. End that first."
            ),
        }.get(kind, _("This coach already coaches this teacher. End that first."))
    if problems:
        raise ValidationError(problems)
    if not keep_both:
        running = running_of_kind(school=school, teacher=teacher, kind=kind)
        if running:
            raise SameKindRunning(teacher=teacher, kind=kind, running=list(running))


# -- one relationship of a kind per teacher, unless the lead says otherwise --------------------

END_EARLIER, KEEP_BOTH = "end", "keep"


def running_of_kind(*, school, teacher, kind):
    """The teacher's running coaching of ``kind`` at the school, with its coach."""
    return (
        Relationship.objects.filter(
            school=school, teacher=teacher, kind=kind, finished_on__isnull=True
        )
        .select_related("coach")
        .order_by("started_on", "pk")
    )


class SameKindRunning(ValidationError):
    """The teacher already has coaching of this kind at the school from another coach: it
    starts only once the lead chooses to end that coaching (``END_EARLIER``) or to keep both on
    purpose (``KEEP_BOTH``). ``running`` holds the coaching there is now."""

    def __init__(self, *, teacher, kind, running):
        self.running = running
        coaches = get_text_list([r.coach.full_name for r in running], _("and"))
        message = _(
            "%(teacher)s already has %(kind)s from %(coaches)s. Choose whether to end it or to "
            "keep both on purpose."
        ) % {"teacher": teacher, "kind": str(Kind(kind).label).lower(), "coaches": coaches}
        super().__init__({"teacher": message})


@transaction.atomic
def relationship_start(
    *,
    actor,
    school,
    coach,
    teacher,
    started_on=None,
    kind=None,
    in_admin=False,
    keep_both=False,
    **kind_fields,
):
    """Start one coach coaching one teacher (co-coaching starts as a pair instead:
    ``co_coaching_start``). ``in_admin``: an administrator started it in the admin site, which
    the teacher is shown. ``keep_both``: the teacher keeps the coaching of this kind they
    have (see ``relationship_check``), on purpose, and the audit trail says so."""
    kind = kind or Kind.INSTRUCTIONAL
    started_on = started_on or timezone.localdate()
    fields = _clean_kind_fields(kind, kind_fields)
    alongside = (
        list(running_of_kind(school=school, teacher=teacher, kind=kind)) if keep_both else []
    )
    relationship_check(
        school=school,
        coach=coach,
        teacher=teacher,
        kind=kind,
        started_on=started_on,
        keep_both=keep_both,
        **fields,
    )
    relationship = Relationship.objects.create(
        trust_id=school.trust_id,
        school=school,
        coach=coach,
        teacher=teacher,
        kind=kind,
        started_on=started_on,
        started_by=actor,
        started_in_admin=in_admin,
        **fields,
    )
    audit_record(
        actor=actor,
        verb="relationship.started",
        target=relationship,
        subject=teacher,
        summary=f"{kind}, in the admin site" if in_admin else kind,
    )
    if alongside:
        audit_record(
            actor=actor,
            verb="relationship.kept_alongside",
            target=relationship,
            subject=teacher,
            summary="{kind} kept on purpose alongside {ids}".format(
                kind=kind, ids=", ".join(f"relationship {r.pk}" for r in alongside)
            ),
        )
    return relationship


@transaction.atomic
def co_coaching_start(*, viewer, school, teacher, peer, started_on=None):
    """Two teachers at the school start coaching each other: two relationships, one each way,
    each pointing at the other, so each peer has the same rights over the other's record."""
    check_runs_school(viewer, school)
    today = timezone.localdate()
    started_on = started_on or today
    problems = {}
    if teacher is None:
        problems["teacher"] = _("Choose the first teacher.")
    if peer is None:
        problems["peer"] = _("Choose the second teacher.")
    if started_on > today:
        problems["started_on"] = _("Coaching can start today or on a date in the past.")
    if not problems and teacher == peer:
        problems["peer"] = _("Choose two different teachers: co-coaching is between two peers.")
    if not problems:
        for field, person in (("teacher", teacher), ("peer", peer)):
            if not holds_role(person, school=school, role=Role.TEACHER, on=started_on):
                problems[field] = _("%(person)s is not a teacher at %(school)s on that date.") % {
                    "person": person,
                    "school": school,
                }
    if not problems:
        # One start at a time for these two people, so a pair is never made twice.
        list(User.objects.select_for_update().filter(pk__in=[teacher.pk, peer.pk]).order_by("pk"))
        if Relationship.objects.filter(
            kind=Kind.CO_COACHING,
            finished_on__isnull=True,
            coach__in=[teacher, peer],
            teacher__in=[teacher, peer],
        ).exists():
            problems["peer"] = _(
                "%(one)s and %(other)s already co-coach each other. End that first."
            ) % {"one": teacher, "other": peer}
    if problems:
        raise ValidationError(problems)
    first = Relationship.objects.create(
        trust_id=school.trust_id,
        school=school,
        coach=peer,
        teacher=teacher,
        kind=Kind.CO_COACHING,
        started_on=started_on,
        started_by=viewer.user,
    )
    second = Relationship.objects.create(
        trust_id=school.trust_id,
        school=school,
        coach=teacher,
        teacher=peer,
        kind=Kind.CO_COACHING,
        started_on=started_on,
        started_by=viewer.user,
        peer=first,
    )
    first.peer = second
    first.save(update_fields=["peer"])
    for relationship in (first, second):
        audit_record(
            actor=viewer.user,
            verb="relationship.started",
            target=relationship,
            subject=relationship.teacher,
            summary=Kind.CO_COACHING,
        )
    return first, second


def relationship_end_problem(*, relationship, finished_on):
    """Why the period cannot end on that date, or ``None``."""
    if relationship.finished_on is not None:
        return _("This coaching has already ended. Start a new period instead.")
    if finished_on < relationship.started_on:
        return _("Coaching cannot end before it started.")
    if finished_on > timezone.localdate():
        return _("Coaching can only be ended today or on a past date.")
    last_visit = (
        relationship.dropins.filter(is_draft=False)
        .order_by("-visited_on")
        .values_list("visited_on", flat=True)
        .first()
    )
    if last_visit and finished_on < last_visit:
        return _("There is a drop-in on %(date)s: end the coaching on that day or later.") % {
            "date": date_format(last_visit, "j F Y")
        }
    return None


def close_period(*, relationship, finished_on, step_outcome):
    """Close a (locked, checked) relationship and its current step: the former coach reads
    the record until the school's period after ``finished_on`` is over."""
    ActionStep.objects.filter(relationship=relationship, closed_on__isnull=True).update(
        closed_on=Greatest(F("set_on"), Value(finished_on)),
        outcome=step_outcome,
    )
    relationship.finished_on = finished_on
    relationship.coach_reads_until = coach_reads_until(relationship.school, finished_on)
    relationship.save(update_fields=["finished_on", "coach_reads_until"])


@transaction.atomic
def relationship_end(*, actor, relationship, finished_on=None):
    """Close the period and its current step. A new period starts; this one never reopens.

    Co-coaching ends as a pair: both peers' relationships end on the same day.
    """
    finished_on = finished_on or timezone.localdate()
    stored = Relationship.objects.select_for_update().get(pk=relationship.pk)
    pair = [stored]
    if stored.kind == Kind.CO_COACHING and stored.peer_id:
        pair.append(Relationship.objects.select_for_update().get(pk=stored.peer_id))
    for one in pair:
        problem = relationship_end_problem(relationship=one, finished_on=finished_on)
        if problem:
            raise ValidationError({"finished_on": problem})
    for one in pair:
        target = relationship if one.pk == relationship.pk else one
        close_period(
            relationship=target,
            finished_on=finished_on,
            step_outcome=ActionStep.Outcome.COACHING_ENDED,
        )
        audit_record(
            actor=actor,
            verb="relationship.ended",
            target=target,
            subject=target.teacher,
            summary=f"read until {target.coach_reads_until:%Y-%m-%d}",
        )
    return relationship


@transaction.atomic
def relationship_close(*, viewer, relationship, finished_on=None):
    """The school's coaching lead ends coaching that runs in their school (``relationship_end``
    for a lead: the check that they lead it is made here, not left to the view)."""
    if not rules.test_rule("coaching.run_relationship", viewer, relationship):
        raise PermissionDenied
    return relationship_end(actor=viewer.user, relationship=relationship, finished_on=finished_on)


# -- assigning a coach: the school's caseload limit and coaching model -----------------------


def _raise(problems):
    """Raise the problems found, by field; ``None`` means that field is fine."""
    found = {field: message for field, message in problems.items() if message}
    if found:
        raise ValidationError(found)


class OverCaseload(ValidationError):
    """The coach already has as many teachers as the school allows, or more: the lead must
    confirm before another is added."""

    def __init__(self, *, coach, school, caseload, limit):
        self.caseload = caseload
        self.limit = limit
        message = ngettext(
            "%(coach)s already coaches %(count)d teacher at %(school)s, and the school's "
            "limit is %(limit)d. Tick “Assign anyway” to give them one more.",
            "%(coach)s already coaches %(count)d teachers at %(school)s, and the school's "
            "limit is %(limit)d. Tick “Assign anyway” to give them one more.",
            caseload,
        ) % {"coach": coach, "count": caseload, "school": school, "limit": limit}
        super().__init__({"assign_anyway": message})


def _is_leader(person, school):
    """Whether ``person`` leads in the school: a head or coaching lead there, or a teacher in
    the leaders' staff group."""
    leads = Q(role__in=[Role.HEADTEACHER, Role.COACHING_LEAD]) | Q(
        role=Role.TEACHER, staff_group=StaffGroup.LEADER
    )
    return (
        Membership.objects.current()
        .filter(leads, trust_id=school.trust_id, school=school, user=person)
        .exists()
    )


def _check_leaders_follow_the_model(model, *, school, coach, teacher):
    """The school's coaching model may say leaders do not coach, or are not coached."""
    problems = {}
    if not model.leaders_coach and _is_leader(coach, school):
        problems["coach"] = _(
            "%(school)s's coaching model has leaders not coaching, and %(person)s is a leader."
        ) % {"school": school, "person": coach}
    if not model.leaders_are_coached and _is_leader(teacher, school):
        problems["teacher"] = _(
            "%(school)s's coaching model has leaders not being coached, and %(person)s is a leader."
        ) % {"school": school, "person": teacher}
    _raise(problems)


def _end_running(viewer, *, school, coach, teacher, kind, on):
    """End the teacher's running coaching of ``kind`` at the school by another coach, on the
    day the new coaching starts, through ``relationship_end``; its problems are the form's."""
    for running in running_of_kind(school=school, teacher=teacher, kind=kind).exclude(coach=coach):
        try:
            relationship_end(actor=viewer.user, relationship=running, finished_on=on)
        except ValidationError as error:
            message = error.message_dict.get("finished_on", error.messages)[0]
            raise ValidationError(
                {
                    "same_kind": _("%(coach)s's coaching cannot end that day: %(problem)s")
                    % {"coach": running.coach.full_name, "problem": message}
                }
            ) from None


@transaction.atomic
def coach_assign(
    *,
    viewer,
    school,
    coach,
    teacher,
    started_on=None,
    over_limit_confirmed=False,
    kind=Kind.INSTRUCTIONAL,
    same_kind=None,
    **kind_fields,
):
    """Start a coach coaching a teacher in the school: instructional coaching, mentoring or
    specialist coaching (``kind``, with its own fields: see ``relationship_check``). At or
    past the school's caseload limit this needs ``over_limit_confirmed``; without it,
    ``OverCaseload`` is raised and nothing is saved.

    When the teacher already has coaching of this kind at the school from another coach,
    ``SameKindRunning`` is raised and nothing is saved, unless ``same_kind`` says what to do:
    ``END_EARLIER`` ends that coaching on the day this starts (``relationship_end``, in this
    transaction), ``KEEP_BOTH`` keeps it on purpose (``relationship_start``'s ``keep_both``)."""
    check_runs_school(viewer, school)
    today = timezone.localdate()
    started_on = started_on or today
    problems = {}
    if teacher is None:
        problems["teacher"] = _("Choose a teacher.")
    if coach is None:
        problems["coach"] = (
            _("Choose a mentor.") if kind == Relationship.Kind.MENTORING else _("Choose a coach.")
        )
    if kind not in Relationship.Kind.values:
        problems["kind"] = _("Choose the kind of coaching.")
    if started_on > today:
        problems["started_on"] = _("Coaching can start today or on a date in the past.")
    if same_kind not in (None, "", END_EARLIER, KEEP_BOTH):
        problems["same_kind"] = _("Choose whether to end the coaching there is or keep both.")
    _raise(problems)
    # One assignment to a coach, and to a teacher, at a time: two leads cannot both slip under
    # the limit, or both give the teacher a coach of the same kind.
    list(User.objects.select_for_update().filter(pk__in=[coach.pk, teacher.pk]).order_by("pk"))
    if same_kind == END_EARLIER:
        _end_running(viewer, school=school, coach=coach, teacher=teacher, kind=kind, on=started_on)
    relationship_check(
        school=school,
        coach=coach,
        teacher=teacher,
        kind=kind,
        started_on=started_on,
        keep_both=same_kind == KEEP_BOTH,
        **kind_fields,
    )
    model = school_model(school)
    _check_leaders_follow_the_model(model, school=school, coach=coach, teacher=teacher)
    limit = model.caseload_limit
    current = caseload(school=school, coach=coach)
    if current >= limit and not over_limit_confirmed:
        raise OverCaseload(coach=coach, school=school, caseload=current, limit=limit)
    try:
        with transaction.atomic():
            relationship = relationship_start(
                actor=viewer.user,
                school=school,
                coach=coach,
                teacher=teacher,
                started_on=started_on,
                kind=kind,
                keep_both=same_kind == KEEP_BOTH,
                **kind_fields,
            )
    except IntegrityError:  # the same pair, started a moment ago elsewhere
        raise ValidationError(
            {"teacher": _("This coach already coaches this teacher. End that first.")}
        ) from None
    if current >= limit:
        audit_record(
            actor=viewer.user,
            verb="relationship.started_over_caseload",
            target=relationship,
            subject=coach,
            summary=f"{current + 1} teachers, limit {limit}",
        )
    return relationship
