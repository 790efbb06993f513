"""The teacher-record file, described once: which model each list holds and how every field
of that model travels (or why it does not).

Export, import, the format document (docs/export-format.md) and the tests all read these
descriptions, and a test checks that every field of every coaching model is named here, so a
field added later cannot be left out of the file without anyone deciding so.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

FORMAT = "coachloop.teacher-record"
VERSION = 1

# Every item has these; they are not listed again below.
COMMON = {
    "id": "written as ``id``: the item's number, used only to point at it from elsewhere in "
    "the same file",
    "trust": "the file names the trust once, at the top",
}

# Models that keep what an import could not link (coaching/models/imported.py).
AS_IMPORTED = {
    "as_imported": "not a key of its own: a person with no account here, or a framework step "
    "or strand not in this trust's framework, is written in its own key just as the file that "
    "brought it named it",
}


@dataclass(frozen=True)
class Part:
    """One list in the file, holding the rows of one model."""

    key: str  # the list's key in the file
    label: str  # how the import report names one item ("action step 3")
    model: type
    heading: str = ""  # what a list of them is called on a page ("Action steps")
    # Fields written as they are: text, numbers, dates (YYYY-MM-DD), times (ISO 8601 with an
    # offset), choices (their stored value) and lists.
    copied: tuple = ()
    # People: {"name": "...", "is_teacher": true|false}, or null. Only the teacher is linked to
    # an account on import; anyone else is kept by name (AS_IMPORTED).
    people: tuple = ()
    # Links to another item of the same file: that item's ``id``, or null.
    references: dict = field(default_factory=dict)
    # A framework step ({"code", "title", "strand_code", "strand_title"}) or strand
    # ({"code", "title"}), or null.
    framework: dict = field(default_factory=dict)
    # Fields carried another way; the value says how.
    special: dict = field(default_factory=dict)
    # Fields not in the file; the value says why.
    left_out: dict = field(default_factory=dict)
    # Copied fields and people added to the format after files were first written: a file
    # without one reads as the value this gives, from the item's other copied values.
    added_later: dict = field(default_factory=dict)
    # Lists nested in each item, and the field that points at the item.
    children: tuple = ()
    parent: str = ""


def agreed_when_set(set_on):
    """When a step from before agreement was kept counts as agreed: the morning it was set
    (as the migration that began keeping it decided for the steps here)."""
    if set_on is None:
        return None
    return dt.datetime.combine(set_on, dt.time(9), tzinfo=timezone.get_default_timezone())


REHEARSALS = Part(
    key="rehearsals",
    label="rehearsal",
    model=Rehearsal,
    heading=_("Rehearsals"),
    copied=("planned_for", "mode", "plan", "done_on", "how_it_went"),
    people=("planned_by",),
    parent="action_step",
    special=AS_IMPORTED,
)

ACTION_STEPS = Part(
    key="action_steps",
    label="action step",
    model=ActionStep,
    heading=_("Action steps"),
    copied=(
        "title",
        "success_looks_like",
        "status",
        "set_on",
        "closed_on",
        "outcome",
        "agreed_on",
        "not_now_reason",
    ),
    people=("proposed_by", "agreed_by"),
    # Files written before steps were agreed: every step counted as agreed when it was set.
    added_later={
        "agreed_on": lambda values: agreed_when_set(values.get("set_on")),
        "not_now_reason": lambda values: "",
        "agreed_by": lambda values: None,
    },
    references={"continues": "action_steps"},
    framework={"framework_step": "step"},
    children=(REHEARSALS,),
    parent="relationship",
    special=AS_IMPORTED,
)

DROPINS = Part(
    key="dropins",
    label="drop-in",
    model=DropIn,
    heading=_("Drop-ins"),
    copied=(
        "visited_on",
        "class_or_group",
        "minutes",
        "strengths",
        "noticed",
        "evidence",
        "followup",
        "created_at",
        "updated_at",
    ),
    references={"followup_step": "action_steps"},
    left_out={
        "uuid": "an identifier for saving a drop-in typed without a connection; an import "
        "makes a new one",
        "is_draft": "only recorded drop-ins are in the file: a draft is the coach's unfinished "
        "work, not yet part of the record",
        "version": "a counter that stops two people saving over each other; it starts again",
    },
    parent="relationship",
)

CONSENTS = Part(
    key="consents",
    label="agreement",
    model=AgreementConsent,
    heading=_("Agreements to a learning agreement"),
    copied=("agreed_at",),
    people=("person",),
    parent="version",
    special=AS_IMPORTED,
)

AGREEMENT_VERSIONS = Part(
    key="agreement_versions",
    label="learning agreement",
    model=AgreementVersion,
    heading=_("Learning agreement versions"),
    copied=(
        "number",
        "ground_rules",
        "confidentiality",
        "sharing",
        "appraisal",
        "meeting_frequency",
        "proposed_at",
        "in_force_from",
    ),
    people=("proposed_by",),
    left_out={
        "group": "a group's agreement belongs to the group, so it is not in one member's file",
    },
    children=(CONSENTS,),
    parent="relationship",
    special=AS_IMPORTED,
)

STEP_PROPOSALS = Part(
    key="step_proposals",
    label="step proposal",
    model=StepProposal,
    heading=_("Steps the teacher proposed"),
    copied=(
        "title",
        "success_looks_like",
        "why",
        "proposed_on",
        "status",
        "response",
        "responded_on",
    ),
    people=("proposed_by",),
    references={"action_step": "action_steps"},
    framework={"framework_step": "step"},
    parent="relationship",
    special=AS_IMPORTED,
)

RELATIONSHIPS = Part(
    key="relationships",
    label="coaching relationship",
    model=Relationship,
    heading=_("Coaching relationships"),
    copied=(
        "kind",
        "started_on",
        "finished_on",
        "induction_starts_on",
        "induction_ends_on",
        "cadence_days",
        "subject",
        "earlier_content_consented_at",
        "imported_from",
    ),
    references={"handed_over_from": "relationships"},
    framework={"strand": "strand"},
    special={
        **AS_IMPORTED,
        "teacher": "the teacher named at the top of the file",
        "school": "``school``: the school's name (null for history imported from elsewhere)",
        "coach": "``coach_name``: the coach's name",
        "imported_coach_name": "``coach_name``, for history imported from elsewhere",
    },
    left_out={
        "peer": "co-coaching is two relationships, one each way; the file holds the one where "
        "the teacher is coached, and ``coach_name`` names the peer",
        "coach_reads_until": "how long the coach may still read the record here; it gives "
        "nobody access anywhere else",
        "created_at": "when the coaching was recorded here, which bounds what its coach reads "
        "here; an import is recorded when it is made",
        "started_by": "who recorded the coaching here; nobody named here has an account elsewhere",
        "started_in_admin": "whether it was recorded in this trust's admin site",
    },
    children=(ACTION_STEPS, DROPINS, AGREEMENT_VERSIONS, STEP_PROPOSALS),
)

PROGRESS_NOTES = Part(
    key="progress_notes",
    label="progress note",
    model=GoalProgress,
    heading=_("Progress notes"),
    copied=("written_on", "note"),
    people=("written_by",),
    parent="goal",
    special=AS_IMPORTED,
)

GOALS = Part(
    key="goals",
    label="goal",
    model=Goal,
    heading=_("Goals"),
    copied=(
        "title",
        "why",
        "pupils",
        "evidence_kinds",
        "evidence_plan",
        "review_on",
        "status",
        "created_at",
    ),
    people=("created_by",),
    references={"relationship": "relationships"},
    special={**AS_IMPORTED, "teacher": "the teacher named at the top of the file"},
    left_out={
        "version": "a counter that stops two people saving over each other; it starts again",
    },
    children=(PROGRESS_NOTES,),
)

REFLECTIONS = Part(
    key="reflections",
    label="reflection",
    model=Reflection,
    heading=_("Reflections"),
    copied=("written_on", "title", "body"),
    references={"goal": "goals", "action_step": "action_steps"},
    special={"teacher": "the teacher named at the top of the file"},
)

EVIDENCE = Part(
    key="evidence",
    label="evidence item",
    model=EvidenceItem,
    heading=_("Evidence items"),
    copied=(
        "kind",
        "title",
        "note",
        "original_name",
        "content_type",
        "size",
        "url",
        "added_on",
    ),
    people=("added_by",),
    references={"goal": "goals", "action_step": "action_steps"},
    special={
        **AS_IMPORTED,
        "teacher": "the teacher named at the top of the file",
        "file": '``file``: {"content_base64", "sha256"} holding the file itself, or null',
    },
)

STAGE_ASSESSMENTS = Part(
    key="stage_assessments",
    label="stage",
    model=StageAssessment,
    heading=_("Stages"),
    copied=("strand_code", "strand_title", "stage", "assessed_on", "note"),
    people=("assessed_by",),
    special={**AS_IMPORTED, "teacher": "the teacher named at the top of the file"},
    left_out={
        "strand": "strands are matched by their code, which is kept with their title; an "
        "import keeps the code and title and links no strand",
    },
)

# The top-level lists, in the order an import creates them.
PARTS = (RELATIONSHIPS, GOALS, REFLECTIONS, EVIDENCE, STAGE_ASSESSMENTS)

# Coaching models whose rows are not in a teacher's file, and why.
MODELS_LEFT_OUT = {
    CoachingGroup: "group coaching belongs to the group, not to one member",
    GroupMember: "group coaching belongs to the group, not to one member",
    GroupSession: "a group's sessions are the group's shared record: one member cannot take "
    "the others' problems and questions with them",
    SessionReview: "a coach's review of their own conversation: the coach's, not the teacher's",
    CoachLearningEntry: "a coach's own learning log: the coach's, not the teacher's",
    ShareGrant: "who the teacher let read an item here; shares give access in this trust only",
    HomeLook: "when the person last looked at their home page here: of no use anywhere else",
}


def all_parts(parts=PARTS):
    """Every part, nested ones included, parents before children."""
    for part in parts:
        yield part
        yield from all_parts(part.children)
