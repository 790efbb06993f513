"""Reading a teacher's whole record, for their download or an administrator's export.

A person's record is read only for themselves (``own_record``) or by an operator at the command
line (``teacher_record``, given a trust). Either way it is read in a fixed number of queries,
one per kind of row, however long the teacher has been coached.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from coachloop.coaching.models import (
    ActionStep,
    AgreementConsent,
    AgreementVersion,
    DropIn,
    EvidenceItem,
    Goal,
    GoalProgress,
    Reflection,
    Rehearsal,
    Relationship,
    StageAssessment,
    StepProposal,
)
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Trust


@dataclass
class TeacherRecord:
    """Everything that is one person's as a teacher in one trust (nothing of theirs as coach).

    Each relationship carries ``action_steps`` (each with ``rehearsals``), ``recorded_dropins``,
    ``agreement_versions`` (each with ``consents``) and ``step_proposals``, prefetched; each
    goal carries its ``progress_notes``.
    """

    teacher: object
    trust: object
    relationships: list
    goals: list
    reflections: list
    evidence: list
    stage_assessments: list


def teacher_record(*, teacher, trust):
    """The record, read inside ``trust``'s scope (the caller opens it): twelve queries at most."""
    relationships = list(
        Relationship.objects.filter(teacher=teacher, trust=trust)
        .select_related("school", "coach", "strand")
        .prefetch_related(
            Prefetch(
                "action_steps",
                queryset=ActionStep.objects.select_related(
                    "framework_step__strand", "proposed_by", "agreed_by"
                ).order_by("set_on", "pk"),
            ),
            Prefetch(
                "action_steps__rehearsals",
                queryset=Rehearsal.objects.select_related("planned_by").order_by(
                    "planned_for", "pk"
                ),
            ),
            Prefetch(
                "dropins",
                queryset=DropIn.objects.filter(is_draft=False).order_by("visited_on", "pk"),
                to_attr="recorded_dropins",
            ),
            Prefetch(
                "agreement_versions",
                queryset=AgreementVersion.objects.select_related("proposed_by").order_by("number"),
            ),
            Prefetch(
                "agreement_versions__consents",
                queryset=AgreementConsent.objects.select_related("person").order_by(
                    "agreed_at", "pk"
                ),
            ),
            Prefetch(
                "step_proposals",
                queryset=StepProposal.objects.select_related(
                    "framework_step__strand", "proposed_by"
                ).order_by("proposed_on", "pk"),
            ),
        )
        .order_by("started_on", "pk")
    )
    goals = list(
        Goal.objects.filter(teacher=teacher, trust=trust)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "progress_notes",
                queryset=GoalProgress.objects.select_related("written_by").order_by(
                    "written_on", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    reflections = list(
        Reflection.objects.filter(teacher=teacher, trust=trust).order_by("written_on", "pk")
    )
    evidence = list(
        EvidenceItem.objects.filter(teacher=teacher, trust=trust)
        .select_related("added_by")
        .order_by("added_on", "pk")
    )
    stages = list(
        StageAssessment.objects.filter(teacher=teacher, trust=trust)
        .select_related("assessed_by")
        .order_by("assessed_on", "pk")
    )
    return TeacherRecord(
        teacher=teacher,
        trust=trust,
        relationships=relationships,
        goals=goals,
        reflections=reflections,
        evidence=evidence,
        stage_assessments=stages,
    )


def own_record(viewer):
    """The viewer's own record in the trust they are signed in to. Nobody else's, ever."""
    return teacher_record(teacher=viewer.user, trust=viewer.trust)


@dataclass
class RecordSummary:
    relationships: int
    dropins: int
    action_steps: int
    goals: int
    reflections: int
    evidence: int

    @property
    def is_empty(self):
        return not any(vars(self).values())


def own_record_summary(viewer):
    """How much the viewer's record holds, for the download page: four queries."""
    mine = Relationship.objects.filter(teacher=viewer.user, trust=viewer.trust)
    coaching = mine.aggregate(
        relationships=Count("pk", distinct=True),
        dropins=Count("dropins", filter=Q(dropins__is_draft=False), distinct=True),
        action_steps=Count("action_steps", distinct=True),
    )
    return RecordSummary(
        **coaching,
        goals=Goal.objects.filter(teacher=viewer.user, trust=viewer.trust).count(),
        reflections=Reflection.objects.filter(teacher=viewer.user, trust=viewer.trust).count(),
        evidence=EvidenceItem.objects.filter(teacher=viewer.user, trust=viewer.trust).count(),
    )


def trusts_holding_records_of(person):
    """The trusts where a person has (or had) a role, or a record as a teacher.

    For the operator's export command, which runs before any trust scope is chosen.
    """
    with scopes_disabled():
        ids = set(Membership.objects.filter(user=person).values_list("trust_id", flat=True))
        for model in (Relationship, Goal, Reflection, EvidenceItem, StageAssessment):
            ids.update(model.objects.filter(teacher=person).values_list("trust_id", flat=True))
    return list(Trust.objects.filter(pk__in=ids).order_by("slug"))
