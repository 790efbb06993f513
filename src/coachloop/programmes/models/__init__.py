from coachloop.programmes.models.assessment import (
    Extension,
    Feedback,
    Mark,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from coachloop.programmes.models.history import MarkEvent
from coachloop.programmes.models.marking import MarkClaim, ReconciliationProposal
from coachloop.programmes.models.partnership import (
    CoachQualification,
    DiscussionPrompt,
    GoalAgreement,
    Meeting,
    MeetingAction,
    PortfolioItem,
    Reading,
)
from coachloop.programmes.models.programmes import (
    Assignment,
    Band,
    Cohort,
    Criterion,
    Enrolment,
    Module,
    PartnerInstitution,
    Programme,
    ProgrammeStaff,
)

__all__ = [
    "CoachQualification",
    "DiscussionPrompt",
    "GoalAgreement",
    "Meeting",
    "MeetingAction",
    "PortfolioItem",
    "Reading",
    "Assignment",
    "Band",
    "Cohort",
    "Criterion",
    "Enrolment",
    "Extension",
    "Feedback",
    "Mark",
    "MarkClaim",
    "MarkEvent",
    "Module",
    "PartnerInstitution",
    "Programme",
    "ReconciliationProposal",
    "ProgrammeStaff",
    "Submission",
    "SubmissionFile",
    "SubmissionVersion",
]
