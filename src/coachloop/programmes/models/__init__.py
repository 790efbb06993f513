from coachloop.programmes.models.assessment import (
    Extension,
    Feedback,
    Mark,
    Submission,
    SubmissionFile,
    SubmissionVersion,
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
    "Assignment",
    "Band",
    "Cohort",
    "Criterion",
    "Enrolment",
    "Extension",
    "Feedback",
    "Mark",
    "Module",
    "PartnerInstitution",
    "Programme",
    "ProgrammeStaff",
    "Submission",
    "SubmissionFile",
    "SubmissionVersion",
]
