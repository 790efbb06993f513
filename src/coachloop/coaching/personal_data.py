"""What coaching holds about a person (``common.personal_data``): their coaching as a teacher,
as a coach, in groups, their own learning, reviews and what they shared.

Erasure deletes the person's record as a teacher (every relationship in which they were
coached and everything written in it, their goals, reflections, evidence and its files,
stages), their own reviews and learning log, their places in groups and the problems they
brought to them, and what they shared or were shared. What they wrote as a coach about
someone else belongs to that teacher's record: it stays, and names the erased person only
through their pseudonymised account.
"""

from collections import Counter

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coachloop.coaching.models import (
    ActionStep,
    AgreementConsent,
    AgreementVersion,
    CoachingGroup,
    CoachLearningEntry,
    DropIn,
    EvidenceItem,
    Goal,
    GoalProgress,
    GroupMember,
    GroupSession,
    HomeLook,
    Reflection,
    Rehearsal,
    Relationship,
    SessionReview,
    ShareGrant,
    StageAssessment,
    StepProposal,
)
from coachloop.coaching.portability.export import build_document
from coachloop.coaching.queries.portability import teacher_record
from coachloop.coaching.services.relationships import relationship_end
from coachloop.common.personal_data import (
    Contributor,
    Section,
    delete_counted,
    delete_files_on_commit,
    left_out,
    left_out_note,
    plain,
    record_of,
    with_people,
)

KEPT = "kept where it is about someone else, naming the person only by the pseudonymised account"

COVERS = {
    "coaching.Relationship": "deleted where they were coached, with everything written in it; "
    "where they coach, ended today (co-coaching as a pair) and " + KEPT,
    "coaching.DropIn": "deleted with the relationship it belongs to",
    "coaching.ActionStep": "deleted with the relationship it belongs to",
    "coaching.Rehearsal": "deleted with its action step",
    "coaching.StepProposal": "deleted with the relationship it belongs to",
    "coaching.AgreementVersion": "deleted with the relationship it belongs to; " + KEPT,
    "coaching.AgreementConsent": "their consents deleted",
    "coaching.Goal": "their goals deleted; " + KEPT,
    "coaching.GoalProgress": "deleted with the goal; " + KEPT,
    "coaching.Reflection": "their reflections deleted",
    "coaching.EvidenceItem": "their evidence deleted, files included; " + KEPT,
    "coaching.StageAssessment": "their stages deleted; " + KEPT,
    "coaching.SessionReview": "their reviews, and reviews of conversations with them, deleted",
    "coaching.CoachLearningEntry": "their learning log deleted",
    "coaching.CoachingGroup": KEPT,
    "coaching.GroupMember": "their places in groups deleted",
    "coaching.GroupSession": "the problem they brought, their action and report cleared; " + KEPT,
    "coaching.ShareGrant": "what they shared, and what was shared with them, deleted",
    "coaching.HomeLook": "when they last looked at their home pages deleted",
}


def _rows(queryset, **options):
    return [record_of(obj, **options) for obj in with_people(queryset)]


def _periods(person, group):
    """Q for the sessions ``person`` was there for: every session for its facilitator, those
    met while they were a member for a member (what was said before they joined or after they
    left stays with the people who were there, as on the group's page)."""
    if group.facilitator_id == person.pk:
        return Q()
    there = Q(pk__in=[])
    for place in group.places:
        during = Q(met_on__gte=place.joined_on)
        if place.left_on is not None:
            during &= Q(met_on__lte=place.left_on)
        there |= during
    return there


def _groups(person, trust, *, content):
    groups = (
        CoachingGroup.objects.filter(Q(facilitator=person) | Q(members__person=person), trust=trust)
        .distinct()
        .prefetch_related(
            Prefetch(
                "members",
                queryset=GroupMember.objects.filter(person=person),
                to_attr="places",
            ),
            Prefetch(
                "members",
                queryset=GroupMember.objects.select_related("person"),
                to_attr="everyone",
            ),
        )
    )
    records = []
    for group in groups:
        sessions = GroupSession.objects.filter(_periods(person, group), group=group)
        if content:
            entry = record_of(group)
            entry["sessions"] = _rows(sessions)
        else:
            entry = record_of(group, leave_out=("focus",))
            entry["sessions"] = [
                {"met_on": d.isoformat()} for d in sessions.values_list("met_on", flat=True)
            ]
        entry["members"] = [m.person.full_name for m in group.everyone]
        entry["your_places"] = [
            {"joined_on": m.joined_on.isoformat(), "left_on": plain(m.left_on)}
            for m in group.places
        ]
        records.append(entry)
    return records


def export(person, trust, *, for_person_themself):
    content = for_person_themself
    in_trust = {"trust": trust}
    as_coach = (
        Relationship.objects.filter(coach=person, **in_trust)
        .select_related("teacher")
        .annotate(recorded=Count("dropins", filter=Q(dropins__is_draft=False)))
    )
    if content:
        record = build_document(teacher_record(teacher=person, trust=trust))
        evidence_files = [
            (f"files/evidenceitem-{item.pk}-{item.file.name.rsplit('/', 1)[-1]}", item.file)
            for item in EvidenceItem.objects.filter(teacher=person, trust=trust).exclude(file="")
        ]
        teacher = Section(
            key="coaching.teacher_record",
            heading=_("Your coaching record as a teacher"),
            records=[record],
            files=evidence_files,
            note=_(
                "In Coachloop's teacher-record format (the file of “Download my record”): "
                "your coaching relationships, drop-ins, action steps, rehearsals, agreements, "
                "goals, reflections, evidence and stages. Evidence files are inside it "
                "(base64-encoded) and in the files folder."
            ),
        )
        reviews = Section(
            key="coaching.reviews",
            heading=_("Your session reviews and learning log"),
            records=_rows(SessionReview.objects.filter(coach=person, **in_trust))
            + _rows(CoachLearningEntry.objects.filter(coach=person, **in_trust)),
        )
    else:
        teacher = left_out(
            "coaching.teacher_record",
            _("Your coaching record as a teacher"),
            _(
                "their coaching record as a teacher (drop-ins, action steps and their notes, "
                "rehearsals, agreements, goals and their notes, reflections, evidence and its "
                "files, stages)"
            ),
        )
        reviews = left_out(
            "coaching.reviews",
            _("Your session reviews and learning log"),
            _("their session reviews and learning log"),
        )
    groups_note = (
        ""
        if content
        else left_out_note(
            _(
                "what each group is working on and what was said in its sessions (their dates "
                "are listed)"
            )
        )
    )
    return [
        teacher,
        Section(
            key="coaching.as_coach",
            heading=_("People you coach or coached"),
            records=[
                {
                    "teacher": r.teacher.full_name,
                    "kind": r.kind,
                    "started_on": r.started_on.isoformat(),
                    "finished_on": r.finished_on.isoformat() if r.finished_on else None,
                    "dropins_recorded": r.recorded,
                }
                for r in as_coach
            ],
            note=_(
                "What you wrote as a coach is part of each teacher's own record and their "
                "personal data as much as yours; it is listed here by relationship only."
            ),
        ),
        Section(
            key="coaching.groups",
            heading=_("Group coaching"),
            records=_groups(person, trust, content=content),
            note=groups_note
            or _("Each group's sessions while you were in it (all of them, for its facilitator)."),
        ),
        Section(
            key="coaching.agreement_consents",
            heading=_("Learning agreements you consented to"),
            records=_rows(AgreementConsent.objects.filter(person=person, **in_trust)),
        ),
        reviews,
        Section(
            key="coaching.home_looks",
            heading=_("When you last looked at your home pages"),
            records=_rows(HomeLook.objects.filter(person=person, **in_trust)),
            note=_(
                "Kept so that your home page can mark what is new since your last visit: "
                "when this visit began and when the one before it did."
            ),
        ),
        Section(
            key="coaching.sharing",
            heading=_("What you shared and what was shared with you"),
            records=_rows(
                ShareGrant.objects.filter(Q(owner=person) | Q(grantee=person), **in_trust)
            ),
        ),
    ]


def _erase_relationships(counts, relationships):
    """Delete relationships and everything written in them, children first. The teacher's
    own goals, reflections and evidence are theirs rather than the relationship's: they are
    unlinked from it here, and deleted only with the teacher's own record."""
    ids = list(relationships.values_list("pk", flat=True))
    if not ids:
        return
    # Links between rows about to go are cleared first (every foreign key here protects).
    Relationship.objects.filter(peer_id__in=ids).update(peer=None)
    Relationship.objects.filter(pk__in=ids).update(handed_over_from=None)
    Relationship.objects.filter(handed_over_from_id__in=ids).update(handed_over_from=None)
    steps = ActionStep.objects.filter(relationship_id__in=ids)
    steps.update(continues=None)
    # A step in another relationship (after a handover) may continue one of these.
    ActionStep.objects.filter(continues__in=steps).update(continues=None)
    DropIn.objects.filter(followup_step__in=steps).update(followup_step=None)
    StepProposal.objects.filter(action_step__in=steps).update(action_step=None)
    Goal.objects.filter(relationship_id__in=ids).update(relationship=None)
    EvidenceItem.objects.filter(action_step__in=steps).update(action_step=None)
    Reflection.objects.filter(action_step__in=steps).update(action_step=None)
    delete_counted(counts, SessionReview.objects.filter(relationship_id__in=ids))
    delete_counted(counts, DropIn.objects.filter(relationship_id__in=ids))
    delete_counted(counts, StepProposal.objects.filter(relationship_id__in=ids))
    delete_counted(counts, Rehearsal.objects.filter(action_step__in=steps))
    delete_counted(counts, steps)
    versions = AgreementVersion.objects.filter(relationship_id__in=ids)
    delete_counted(counts, AgreementConsent.objects.filter(version__in=versions))
    delete_counted(counts, versions)
    delete_counted(counts, Relationship.objects.filter(pk__in=ids))


def _end_their_coaching(counts, person, trust):
    """Coaching they give ends through coaching's own service (co-coaching as a pair), today:
    a teacher is not left coached by someone who is gone. Coaching not begun yet cannot end;
    the report says it needs a new coach."""
    today = timezone.localdate()
    running = Relationship.objects.filter(
        coach=person, trust=trust, finished_on__isnull=True
    ).exclude(teacher=person)
    for relationship in running.order_by("pk"):
        relationship.refresh_from_db()  # its co-coaching peer may have ended it
        if relationship.finished_on is not None:
            continue
        if relationship.started_on > today:
            counts[_("Still to do: coaching not begun yet that needs a new coach")] += 1
            continue
        relationship_end(actor=None, relationship=relationship, finished_on=today)
        counts[_("Coaching they gave ended")] += 1


def erase(person, trust):
    counts = Counter()
    in_trust = {"trust": trust}
    _end_their_coaching(counts, person, trust)
    _erase_relationships(counts, Relationship.objects.filter(teacher=person, **in_trust))
    # Their own learning.
    goals = Goal.objects.filter(teacher=person, **in_trust)
    evidence = EvidenceItem.objects.filter(Q(teacher=person) | Q(goal__in=goals), **in_trust)
    delete_files_on_commit([item.file for item in evidence])
    delete_counted(counts, evidence)
    reflections = Reflection.objects.filter(Q(teacher=person) | Q(goal__in=goals), **in_trust)
    delete_counted(counts, reflections)
    delete_counted(counts, GoalProgress.objects.filter(goal__in=goals))
    delete_counted(counts, goals)
    delete_counted(counts, StageAssessment.objects.filter(teacher=person, **in_trust))
    # Their own reviews and log as a coach.
    delete_counted(counts, SessionReview.objects.filter(coach=person, **in_trust))
    delete_counted(counts, CoachLearningEntry.objects.filter(coach=person, **in_trust))
    # Groups: their place, and the problem they brought (the group's own notes stay).
    presented = GroupSession.objects.filter(presenter=person, **in_trust)
    cleared = presented.update(presenter=None, problem="", action="", action_report="")
    if cleared:
        counts[_("Group sessions: the problem they brought cleared")] += cleared
    delete_counted(counts, AgreementConsent.objects.filter(person=person, **in_trust))
    delete_counted(counts, GroupMember.objects.filter(person=person, **in_trust))
    delete_counted(
        counts, ShareGrant.objects.filter(Q(owner=person) | Q(grantee=person), **in_trust)
    )
    delete_counted(counts, HomeLook.objects.filter(person=person, **in_trust))
    return counts


def _forget_shares(counts, trust):
    """Shares whose item is gone."""
    kinds = {
        ShareGrant.Item.REFLECTION: Reflection,
        ShareGrant.Item.GOAL: Goal,
        ShareGrant.Item.DROPIN: DropIn,
        ShareGrant.Item.EVIDENCE: EvidenceItem,
    }
    for kind, model in kinds.items():
        gone = ShareGrant.objects.filter(trust=trust, item_kind=kind).exclude(
            item_id__in=model.objects.filter(trust=trust).values("pk")
        )
        delete_counted(counts, gone)


def expire(trust, cutoff):
    """Coaching relationships that ended before ``cutoff``, with everything written in them;
    groups that finished before it lose their sessions' notes and members."""
    counts = Counter()
    ended = Relationship.objects.filter(trust=trust, finished_on__lt=cutoff)
    ids = list(ended.values_list("pk", flat=True))
    # What was written in the coaching goes with it: goals set in it (with their progress
    # notes), and evidence and reflections on its steps or those goals. A teacher's own
    # learning not tied to any coaching stays while they have a role (``leavers``).
    goals = Goal.objects.filter(trust=trust, relationship_id__in=ids)
    on_it = Q(action_step__relationship_id__in=ids) | Q(goal__in=goals)
    evidence = EvidenceItem.objects.filter(on_it, trust=trust)
    delete_files_on_commit([item.file for item in evidence])
    delete_counted(counts, evidence)
    delete_counted(counts, Reflection.objects.filter(on_it, trust=trust))
    delete_counted(counts, GoalProgress.objects.filter(goal__in=goals))
    goal_ids = list(goals.values_list("pk", flat=True))

    _erase_relationships(counts, ended)
    delete_counted(counts, Goal.objects.filter(pk__in=goal_ids))
    _forget_shares(counts, trust)
    finished = CoachingGroup.objects.filter(trust=trust, finished_on__lt=cutoff)
    focused = finished.exclude(focus="").update(focus="")
    if focused:
        counts[_("Groups: what they worked on cleared")] += focused
    sessions = GroupSession.objects.filter(group__in=finished)
    delete_counted(counts, SessionReview.objects.filter(group_session__in=sessions))
    delete_counted(counts, sessions)
    versions = AgreementVersion.objects.filter(group__in=finished)
    delete_counted(counts, AgreementConsent.objects.filter(version__in=versions))
    delete_counted(counts, versions)
    delete_counted(counts, GroupMember.objects.filter(group__in=finished))
    return counts


KINDS = {
    "coaching.DropIn": _lazy("Drop-ins"),
    "coaching.GoalProgress": _lazy("Progress notes on goals"),
    "coaching.EvidenceItem": _lazy("Evidence items"),
    "coaching.StageAssessment": _lazy("Stages placed at"),
    "coaching.CoachLearningEntry": _lazy("Learning log entries"),
    "coaching.ShareGrant": _lazy("Shares"),
    "coaching.AgreementVersion": _lazy("Learning agreements"),
    "coaching.AgreementConsent": _lazy("Consents to learning agreements"),
    "coaching.GroupMember": _lazy("Places in groups"),
    "coaching.HomeLook": _lazy("Times they last looked at their home pages"),
}

CONTRIBUTOR = Contributor(covers=COVERS, export=export, erase=erase, expire=expire, kinds=KINDS)
