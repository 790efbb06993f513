"""What programmes hold about a person (``common.personal_data``): their enrolments and work as
a student, their parts as staff, their coach qualifications.

Marks not yet released are left out of a subject-access download, and say so: the Data
Protection Act 2018 (Schedule 2, paragraph 25) lets exam marks be withheld until the results
are announced, and a teacher sees them here once they are released. Erasure deletes the
person's enrolments as a student with all their work (files included), their places on
programme staff and their qualifications; what they wrote as a coach, tutor or marker about
someone else's work stays with that work, naming them only by the pseudonymised account.
"""

from collections import Counter

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coachloop.common.personal_data import (
    Contributor,
    Section,
    delete_counted,
    delete_files_on_commit,
    left_out_note,
    plain,
    record_of,
    with_people,
)
from coachloop.programmes.models import (
    CoachQualification,
    DiscussionPrompt,
    Enrolment,
    Extension,
    Feedback,
    GoalAgreement,
    Mark,
    MarkClaim,
    MarkEvent,
    Meeting,
    MeetingAction,
    PortfolioItem,
    ProgrammeStaff,
    ReconciliationProposal,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)

KEPT = "kept where it is about someone else, naming the person only by the pseudonymised account"

COVERS = {
    "programmes.ProgrammeStaff": "their places on programme staff deleted",
    "programmes.Enrolment": "deleted where they were the student, with all their work; " + KEPT,
    "programmes.Submission": "deleted with the enrolment; " + KEPT,
    "programmes.SubmissionVersion": "deleted with the submission",
    "programmes.SubmissionFile": "deleted with the submission, the files too",
    "programmes.Extension": "deleted with the submission; " + KEPT,
    "programmes.Feedback": "deleted with the submission; " + KEPT,
    "programmes.Mark": "deleted with the submission; " + KEPT,
    "programmes.MarkEvent": "the history of marks, deleted with the submission; " + KEPT,
    "programmes.MarkClaim": "a marker's hold and unsent marks, deleted with the submission; "
    + KEPT,
    "programmes.ReconciliationProposal": "deleted with the submission; " + KEPT,
    "programmes.Meeting": "deleted with the enrolment; " + KEPT,
    "programmes.MeetingAction": "deleted with the meeting; " + KEPT,
    "programmes.GoalAgreement": "deleted with the enrolment",
    "programmes.DiscussionPrompt": "deleted with the enrolment; " + KEPT,
    "programmes.PortfolioItem": "deleted with the enrolment",
    "programmes.CoachQualification": "their qualifications deleted; " + KEPT,
}

# Until a submission's marks are released, its teacher sees none of its assessment.
UNRELEASED_LEFT_OUT = (
    "first_marker",
    "second_marker",
    "third_marker",
    "agreed_mark",
    "agreed_by",
    "agreed_reason",
    "reconciled_by",
    "confirmed_by",
    "agreed_at",
    "agreed_feedback",
    "in_sample",
    "moderator",
    "moderated_mark",
    "moderation_note",
    "moderated_at",
)


def _submission(submission, files):
    released = submission.status == Submission.Status.RELEASED
    data = record_of(
        submission,
        leave_out=() if released else UNRELEASED_LEFT_OUT,
    )
    # The due time that held for them: their extension's, else the assignment's.
    data["due_at"] = plain(submission.due_at)
    if released:
        # The mark released to them: the moderator's where they changed it, else the agreed one.
        data["final_mark"] = submission.final_mark
    data["versions"] = []
    for version in submission.versions.all():
        entry = record_of(version)
        entry["files"] = [record_of(f, files_in=files) for f in version.files.all()]
        entry["feedback"] = [record_of(f) for f in version.feedback.all()]
        data["versions"].append(entry)
    data["extensions"] = [record_of(e) for e in submission.extensions.all()]
    if released:
        data["marks"] = [record_of(m) for m in submission.marks.all()]
        data["mark_history"] = [record_of(e) for e in submission.events.all()]
    else:
        data["marks"] = None
        data["marks_left_out"] = _(
            "Not yet released: marks may be withheld until results are announced (Data "
            "Protection Act 2018, Schedule 2, paragraph 25)."
        )
    return data


def _work(enrolment, files):
    """An enrolment's work: submissions, meetings, goals agreed, prompts and portfolio."""
    entry = {}
    entry["submissions"] = [_submission(s, files) for s in enrolment.submissions.all()]
    entry["meetings"] = [
        {**record_of(m), "actions": [record_of(a) for a in m.actions.all()]}
        for m in enrolment.meetings.all()
    ]
    entry["goal_agreements"] = [record_of(obj) for obj in enrolment.goals.all()]
    entry["discussion_prompts"] = [record_of(obj) for obj in enrolment.prompts.all()]
    entry["portfolio"] = [record_of(obj) for obj in enrolment.portfolio.all()]
    return entry


def export(person, trust, *, for_person_themself):
    files = []
    enrolments = []
    found = (
        with_people(Enrolment.objects.filter(teacher=person, trust=trust))
        .select_related("cohort__programme")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=with_people(
                    Submission.objects.select_related("assignment")
                ).prefetch_related(
                    Prefetch(
                        "versions",
                        queryset=with_people(SubmissionVersion.objects.all()).prefetch_related(
                            Prefetch("files", queryset=with_people(SubmissionFile.objects.all())),
                            Prefetch("feedback", queryset=with_people(Feedback.objects.all())),
                        ),
                    ),
                    Prefetch("extensions", queryset=with_people(Extension.objects.all())),
                    Prefetch("marks", queryset=with_people(Mark.objects.all())),
                    Prefetch("events", queryset=with_people(MarkEvent.objects.all())),
                ),
            ),
            Prefetch(
                "meetings",
                queryset=with_people(Meeting.objects.all()).prefetch_related(
                    Prefetch("actions", queryset=with_people(MeetingAction.objects.all()))
                ),
            ),
            Prefetch("goals", queryset=with_people(GoalAgreement.objects.all())),
            Prefetch("prompts", queryset=with_people(DiscussionPrompt.objects.all())),
            Prefetch("portfolio", queryset=with_people(PortfolioItem.objects.all())),
        )
    )
    for enrolment in found:
        entry = record_of(enrolment)
        entry["programme"] = str(enrolment.cohort.programme)
        if for_person_themself:
            entry |= _work(enrolment, files)
        enrolments.append(entry)
    staff = Enrolment.objects.filter(Q(coach=person) | Q(tutor=person), trust=trust)
    if for_person_themself:
        note = _(
            "Marks not yet released are left out until they are: the Data Protection "
            "Act 2018 (Schedule 2, paragraph 25) lets exam marks be withheld until results "
            "are announced."
        )
    else:
        note = left_out_note(
            _(
                "their programme work (submissions and their files, feedback, marks, meetings, "
                "goals agreed, discussion prompts and portfolio); their enrolments are listed"
            )
        )
    return [
        Section(
            key="programmes.enrolments",
            heading=_("Your programme work"),
            records=enrolments,
            files=files,
            note=note,
        ),
        Section(
            key="programmes.staff",
            heading=_("Your parts in programmes"),
            records=[
                record_of(s) for s in ProgrammeStaff.objects.filter(person=person, trust=trust)
            ]
            + [
                {
                    "student": e.teacher.full_name,
                    "as": "coach" if e.coach_id == person.pk else "tutor",
                }
                for e in staff.select_related("teacher")
            ],
        ),
        Section(
            key="programmes.qualifications",
            heading=_("Your coaching qualifications"),
            records=[
                record_of(q) for q in CoachQualification.objects.filter(coach=person, trust=trust)
            ],
        ),
    ]


def _erase_enrolments(counts, enrolments):
    submissions = Submission.objects.filter(enrolment__in=enrolments)
    versions = SubmissionVersion.objects.filter(submission__in=submissions)
    files = SubmissionFile.objects.filter(version__in=versions)
    delete_files_on_commit([f.file for f in files])
    delete_counted(counts, PortfolioItem.objects.filter(enrolment__in=enrolments))
    delete_counted(counts, DiscussionPrompt.objects.filter(enrolment__in=enrolments))
    delete_counted(counts, GoalAgreement.objects.filter(enrolment__in=enrolments))
    delete_counted(counts, MeetingAction.objects.filter(meeting__enrolment__in=enrolments))
    delete_counted(counts, Meeting.objects.filter(enrolment__in=enrolments))
    delete_counted(counts, Feedback.objects.filter(version__in=versions))
    delete_counted(counts, files)
    delete_counted(counts, versions)
    delete_counted(counts, MarkEvent.objects.filter(submission__in=submissions))
    delete_counted(counts, MarkClaim.objects.filter(submission__in=submissions))
    delete_counted(counts, ReconciliationProposal.objects.filter(submission__in=submissions))
    delete_counted(counts, Mark.objects.filter(submission__in=submissions))
    delete_counted(counts, Extension.objects.filter(submission__in=submissions))
    delete_counted(counts, submissions)
    delete_counted(counts, enrolments)


def _still_to_do(counts, person, trust):
    """Live enrolments they tutor or coach, and submissions they are first marker of, are
    left as they are (the model has no way to end a tutor's part alone): the report lists
    them, for the programme's lead to give each a new tutor, coach or marker."""
    live = Enrolment.objects.filter(trust=trust, finished_on__isnull=True).exclude(teacher=person)
    staffed = live.filter(Q(tutor=person) | Q(coach=person)).count()
    if staffed:
        counts[_("Still to do: enrolments that need a new tutor or coach")] += staffed
    marking = (
        Submission.objects.filter(enrolment__in=live, first_marker=person)
        .exclude(status=Submission.Status.RELEASED)
        .count()
    )
    if marking:
        counts[_("Still to do: submissions that need a new first marker")] += marking


def erase(person, trust):
    counts = Counter()
    _still_to_do(counts, person, trust)
    _erase_enrolments(counts, Enrolment.objects.filter(teacher=person, trust=trust))
    delete_counted(counts, ProgrammeStaff.objects.filter(person=person, trust=trust))
    delete_counted(counts, CoachQualification.objects.filter(coach=person, trust=trust))
    return counts


def expire(trust, cutoff):
    """Programme work of enrolments that ended before ``cutoff``."""
    counts = Counter()
    _erase_enrolments(counts, Enrolment.objects.filter(trust=trust, finished_on__lt=cutoff))
    return counts


KINDS = {
    "programmes.ProgrammeStaff": _lazy("Places on programme staff"),
    "programmes.SubmissionVersion": _lazy("Versions of submissions"),
    "programmes.SubmissionFile": _lazy("Files of submissions"),
    "programmes.Feedback": _lazy("Feedback on drafts"),
    "programmes.MeetingAction": _lazy("Actions from meetings"),
    "programmes.GoalAgreement": _lazy("Goals agreed on programmes"),
    "programmes.PortfolioItem": _lazy("Portfolio items"),
    "programmes.CoachQualification": _lazy("Coaching qualifications"),
}

CONTRIBUTOR = Contributor(covers=COVERS, export=export, erase=erase, expire=expire, kinds=KINDS)
