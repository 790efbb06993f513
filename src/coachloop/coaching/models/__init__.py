from coachloop.coaching.models.agreements import AgreementConsent, AgreementVersion
from coachloop.coaching.models.groups import CoachingGroup, GroupMember, GroupSession
from coachloop.coaching.models.learning import (
    EvidenceItem,
    EvidenceKind,
    Goal,
    GoalProgress,
    Reflection,
    Stage,
    StageAssessment,
    StepProposal,
)
from coachloop.coaching.models.looks import HomeLook
from coachloop.coaching.models.loop import ActionStep, DropIn, Rehearsal, Relationship
from coachloop.coaching.models.reviews import CoachLearningEntry, SessionReview
from coachloop.coaching.models.sharing import ShareGrant

__all__ = [
    "ActionStep",
    "AgreementConsent",
    "AgreementVersion",
    "CoachLearningEntry",
    "CoachingGroup",
    "DropIn",
    "EvidenceItem",
    "EvidenceKind",
    "Goal",
    "GoalProgress",
    "GroupMember",
    "GroupSession",
    "HomeLook",
    "Reflection",
    "Rehearsal",
    "Relationship",
    "SessionReview",
    "ShareGrant",
    "Stage",
    "StageAssessment",
    "StepProposal",
]
