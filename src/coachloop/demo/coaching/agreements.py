"""Demo rows for learning agreements, for the demo trust that ``demo.build.build_demo``
builds (run after the groups demo, so its groups get agreements too).

- Every coaching relationship in the main school (the demo teacher's) has an agreement: a
  first version proposed as the coaching began and agreed by both a day or two later, built
  from the suggested wording with a few changes of the pair's own. Some pairs changed it
  later, and both agreed again. Co-coaching pairs have one agreement, on the lower row.
- The demo teacher and their coach: version 1 agreed by both; version 2, proposed by the
  coach two days ago (a weekly slot and a rehearsal rule), is waiting for the teacher, so
  version 1 is still in force.
- Every coaching group: a first version proposed by a member when the group started and
  agreed by everyone then in it; members who joined later agreed when they joined.

The versions are dated in the past (the services stamp the real time), so they are written
here directly, as the services would leave them. Everything follows from ``rng``.
"""

import datetime as dt

from django.utils import timezone

from coachloop.coaching.models import (
    AgreementConsent,
    AgreementVersion,
    CoachingGroup,
    GroupMember,
    Relationship,
)
from coachloop.coaching.services.agreements import agreement_starting_terms, owner_pk
from coachloop.demo.accounts import key_email
from coachloop.demo.calendar import is_school_day
from coachloop.people.models import Membership, User

BATCH_SIZE = 500

# Changes a pair might make to the suggested wording, each one a (field, value) pair.
OWN_MEETINGS = (
    "Every week: a drop-in on Tuesday or Wednesday, then 20 minutes on Thursday before school.",
    "Every two weeks, in the protected slot on Monday afternoons.",
    "Every week, a short drop-in; we talk the same day if we can, or the next morning.",
)
EXTRA_RULES = (
    "We rehearse the step for five minutes at the end of every conversation.",
    "If a lesson goes badly, we talk about it as a lesson, not as a verdict.",
    "We each come with one question we want to think about.",
)
KEY_CHANGE_MEETING = (
    "Every week: a drop-in early in the week, then our conversation on Thursday mornings in "
    "the protected slot, 8:15 to 8:35."
)
KEY_CHANGE_RULE = "We rehearse the step for five minutes at the end of every conversation."


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _later(day, rng, today, *, most=3):
    """A school day up to ``most`` days after ``day`` (and not after ``today``)."""
    later = day + dt.timedelta(days=rng.randint(0, most))
    while later < today and not is_school_day(later):
        later += dt.timedelta(days=1)
    return min(later, today)


def _after(moment, day, rng):
    """When someone agreed on ``day`` to what was proposed at ``moment``: later that day, or
    during a school day after it."""
    if day <= moment.date():
        return moment + dt.timedelta(minutes=rng.randint(10, 120))
    return _at(day, rng.randint(7, 17), rng.choice((5, 20, 40)))


def _personalised(terms, rng):
    """The suggested wording with, sometimes, a change of the pair's own."""
    terms = dict(terms)
    if rng.random() < 0.4:
        terms["meeting_frequency"] = rng.choice(OWN_MEETINGS)
    if rng.random() < 0.3:
        terms["ground_rules"] += "\n" + rng.choice(EXTRA_RULES)
    if rng.random() < 0.15:
        terms["appraisal"] = AgreementVersion.Appraisal.TEACHER_CHOOSES
    return terms


class _Rows:
    """Versions and their consents, written in two batches."""

    def __init__(self, trust):
        self.trust = trust
        self.versions = []
        self.consents = []  # (version, person_id, agreed_at)

    def version(self, *, subject, number, terms, proposed_by, proposed_at, in_force_from=None):
        version = AgreementVersion(
            trust=self.trust,
            number=number,
            proposed_by_id=proposed_by,
            proposed_at=proposed_at,
            in_force_from=in_force_from,
            **subject,
            **terms,
        )
        self.versions.append(version)
        self.consents.append((version, proposed_by, proposed_at))
        return version

    def agree(self, version, person_id, agreed_at):
        self.consents.append((version, person_id, agreed_at))

    def save(self):
        AgreementVersion.objects.bulk_create(self.versions, batch_size=BATCH_SIZE)
        AgreementConsent.objects.bulk_create(
            [
                AgreementConsent(
                    trust=self.trust, version=version, person_id=person_id, agreed_at=agreed_at
                )
                for version, person_id, agreed_at in self.consents
            ],
            batch_size=BATCH_SIZE,
        )


def _agreed_pair(rows, *, relationship, terms, proposer, other, on, number, rng, today):
    """A version one party proposed on ``on`` and the other agreed to soon after."""
    proposed_at = _at(on, 16, rng.choice((0, 15, 30, 45)))
    agreed_at = _after(proposed_at, _later(on, rng, today), rng)
    version = rows.version(
        subject={"relationship": relationship},
        number=number,
        terms=terms,
        proposed_by=proposer,
        proposed_at=proposed_at,
        in_force_from=agreed_at,
    )
    rows.agree(version, other, agreed_at)
    return version


def _main_school_id(trust):
    return (
        Membership.objects.filter(
            trust=trust,
            user__email=key_email(trust.slug, "teacher"),
            school__isnull=False,
        )
        .order_by("pk")
        .values_list("school_id", flat=True)
        .first()
    )


def _relationship_agreements(rows, trust, today, rng):
    school_id = _main_school_id(trust)
    if school_id is None:
        return
    key_teacher = User.objects.filter(email=key_email(trust.slug, "teacher")).first()
    key_coach = User.objects.filter(email=key_email(trust.slug, "coach")).first()
    relationships = list(
        Relationship.objects.filter(school_id=school_id, coach__isnull=False)
        .exclude(agreement_versions__isnull=False)
        .order_by("pk")
    )
    changes = 0
    for relationship in relationships:
        if owner_pk(relationship) != relationship.pk:
            continue  # the pair's agreement hangs on the lower row
        first_on = min(relationship.started_on, today)
        teacher, coach = relationship.teacher_id, relationship.coach_id
        is_key = key_teacher and key_coach and (teacher, coach) == (key_teacher.pk, key_coach.pk)
        terms = agreement_starting_terms(relationship=relationship)
        if is_key:
            proposer, other = coach, teacher
        else:
            proposer, other = (coach, teacher) if rng.random() < 0.7 else (teacher, coach)
            terms = _personalised(terms, rng)
        first = _agreed_pair(
            rows,
            relationship=relationship,
            terms=terms,
            proposer=proposer,
            other=other,
            on=first_on,
            number=1,
            rng=rng,
            today=today,
        )
        if is_key:
            changed = dict(
                terms,
                meeting_frequency=KEY_CHANGE_MEETING,
                ground_rules=terms["ground_rules"] + "\n" + KEY_CHANGE_RULE,
            )
            proposed_at = max(
                _at(today - dt.timedelta(days=2), 15, 50),
                first.in_force_from + dt.timedelta(hours=1),
            )
            rows.version(
                subject={"relationship": relationship},
                number=2,
                terms=changed,
                proposed_by=coach,
                proposed_at=proposed_at,
            )
            continue
        # Every third pair changed their agreement part-way through, and both agreed again.
        changes += 1
        midway = _later(first_on + (today - first_on) / 2, rng, today, most=0)
        if changes % 3 == 0 and midway > first.in_force_from.date():
            _agreed_pair(
                rows,
                relationship=relationship,
                terms=dict(terms, meeting_frequency=rng.choice(OWN_MEETINGS)),
                proposer=teacher,
                other=coach,
                on=midway,
                number=2,
                rng=rng,
                today=today,
            )


def _group_agreements(rows, trust, today, rng):
    groups = list(
        CoachingGroup.objects.filter(trust=trust)
        .exclude(agreement_versions__isnull=False)
        .order_by("pk")
    )
    members = {}
    for member in GroupMember.objects.filter(group__in=groups).order_by("joined_on", "pk"):
        members.setdefault(member.group_id, []).append(member)
    for group in groups:
        group_members = members.get(group.pk, [])
        if not group_members:
            continue
        first_on = min(group.started_on, today)
        founders = [m for m in group_members if m.joined_on <= first_on]
        if not founders:
            first_on = min(group_members[0].joined_on, today)
            founders = [m for m in group_members if m.joined_on <= first_on]
        proposer = group.facilitator_id or rng.choice(founders).person_id
        if proposer not in {m.person_id for m in founders}:
            proposer = founders[0].person_id
        proposed_at = _at(first_on, 16, 30)
        others = []
        for member in founders:
            if member.person_id != proposer:
                agreed_on = _later(first_on, rng, today)
                others.append((member.person_id, _after(proposed_at, agreed_on, rng)))
        in_force_from = max((at for _person, at in others), default=proposed_at)
        version = rows.version(
            subject={"group": group},
            number=1,
            terms=_personalised(agreement_starting_terms(group=group), rng),
            proposed_by=proposer,
            proposed_at=proposed_at,
            in_force_from=in_force_from,
        )
        for person_id, agreed_at in others:
            rows.agree(version, person_id, agreed_at)
        # Members who joined later added their agreement when they joined.
        for member in group_members:
            if member.joined_on > first_on and member.person_id != proposer:
                joined = _later(min(member.joined_on, today), rng, today, most=0)
                rows.agree(version, member.person_id, _after(in_force_from, joined, rng))


def demo_agreements(trust, today, rng):
    """Add learning agreements for the main school's coaching and for every group.
    Runs inside the trust's scope."""
    rows = _Rows(trust)
    _relationship_agreements(rows, trust, today, rng)
    _group_agreements(rows, trust, today, rng)
    rows.save()
