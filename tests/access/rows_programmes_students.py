"""The teacher's programme pages: their own programme page is any member's (an empty state
when not enrolled); their work on an assignment and their portfolio are the enrolled
teacher's; a submission and its final version's files are read by the teacher, their coach
and tutor, its markers and the programme's lead and moderator, its drafts' files by the first
three only (as the submission's page lists them); a portfolio by the teacher and their tutor.
Everything else is a 404, and another trust's records are a 404 for everyone.

Schools A1 and A2 are on the same programme of trust A, so the A1 teacher persona (enrolled
on it too) finds the programme's assignment and module through A2's records: they are the
teacher's own as much as A2's teacher's.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from coachloop.coaching.models import Reflection
from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import (
    PortfolioItem,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from tests.access.codes import MEMBERS, NOT_FOUND_FOR_MEMBERS, content_route, only, page_route
from tests.access.programme_records import programme_for, submission_for

STORED_NAME = "submissions/matrix/0123456789abcdef.pdf"
PDF = b"%PDF-1.4\n%%EOF\n"


def _submission(records):
    """The records' teacher's handed-in submission, a draft before its final version: the one
    another row made already (a teacher has one per assignment), or a new one."""
    found = programme_for(records)
    with scopes_disabled():
        existing = (
            Submission.objects.filter(enrolment=found.enrolment, assignment=found.assignment)
            .exclude(versions=None)
            .first()
        )
    return existing or submission_for(records, with_draft=True)


def _submission_id(records):
    return {"submission_id": _submission(records).pk}


def _version(records, kind):
    submission = _submission(records)
    with scopes_disabled():
        version = submission.versions.filter(kind=kind).first()
        if version is None:  # a submission another row made without a draft
            version = SubmissionVersion.objects.create(
                trust=submission.trust,
                submission=submission,
                number=submission.versions.count() + 1,
                kind=kind,
                text="A first go, for feedback.",
                created_at=timezone.now(),
            )
    return version


def _file_of(kind):
    """A file on the submission's draft or final version."""

    def file_id(records):
        cache = records.__dict__.setdefault("_students_files", {})
        if kind not in cache:
            version = _version(records, kind)
            if not default_storage.exists(STORED_NAME):
                default_storage.save(STORED_NAME, ContentFile(PDF))
            with scopes_disabled():
                cache[kind] = SubmissionFile.objects.create(
                    trust=version.trust,
                    version=version,
                    file=STORED_NAME,
                    original_name=f"case study ({kind}).pdf",
                    content_type="application/pdf",
                    size=len(PDF),
                )
        return {"file_id": cache[kind].pk}

    return file_id


def _assignment_id(records):
    return {"assignment_id": programme_for(records).assignment.pk}


def _module_id(records):
    return {"module_id": programme_for(records).module.pk}


def _portfolio(records):
    found = programme_for(records)
    return {"enrolment_id": found.enrolment.pk, "module_id": found.module.pk}


def _reflection(records):
    found = programme_for(records)
    with scopes_disabled():
        return Reflection.objects.create(
            trust=found.programme.trust,
            teacher=records.teacher,
            written_on=timezone.localdate(),
            title="What waiting longer changed",
            body="More pupils answered.",
        )


def _portfolio_item_id(records):
    cached = getattr(records, "_students_portfolio_item", None)
    if cached is None:
        found = programme_for(records)
        with scopes_disabled():
            cached = records._students_portfolio_item = PortfolioItem.objects.create(
                trust=found.programme.trust,
                enrolment=found.enrolment,
                module=found.module,
                reflection=_reflection(records),
                added_at=timezone.now(),
            )
    return {"item_id": cached.pk}


def _full_portfolio(records):
    """The portfolio with a reflection, a draft and the final version in it."""
    found = programme_for(records)
    items = [
        {"reflection": _reflection(records)},
        {"submission_version": _version(records, SubmissionVersion.Kind.DRAFT)},
        {"submission_version": _version(records, SubmissionVersion.Kind.FINAL)},
    ]
    with scopes_disabled():
        for item in items:
            PortfolioItem.objects.get_or_create(
                trust=found.programme.trust,
                enrolment=found.enrolment,
                module=found.module,
                **item,
                defaults={"added_at": timezone.now()},
            )
    return _portfolio(records)


def _the_teachers_programme(code):
    """The programme's assignment or module: the enrolled teacher's, in A1 and A2 alike."""
    return {
        "own": only({"teacher": code}, others=404),
        "other_school": only({"teacher": code}, others=404),
        "other_trust": NOT_FOUND_FOR_MEMBERS,
    }


READERS = {"teacher": 200, "coach": 200, "tutor": 200, "programme_lead": 200, "moderator": 200}
PROGRAMME_STAFF = {"programme_lead": 200, "moderator": 200}
SUBMISSION_READERS = {
    "own": only(READERS, others=404),
    "other_school": only(PROGRAMME_STAFF, others=404),
    "other_trust": NOT_FOUND_FOR_MEMBERS,
}

ROWS = {
    "programmes:my_programme": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    "programmes:submission": ("get", _assignment_id, _the_teachers_programme(200)),
    "programmes:submission_detail": ("get", _submission_id, SUBMISSION_READERS),
    # A file on the final version, handed in for marking.
    "programmes:submission_file": (
        "get",
        _file_of(SubmissionVersion.Kind.FINAL),
        SUBMISSION_READERS,
    ),
    "programmes:portfolio": ("get", _module_id, _the_teachers_programme(200)),
    "programmes:portfolio_add": ("post", _module_id, _the_teachers_programme(302)),
    "programmes:portfolio_remove": ("post", _portfolio_item_id, content_route({"teacher": 302})),
    "programmes:portfolio_read": (
        "get",
        _portfolio,
        content_route({"teacher": 200, "tutor": 200}),
    ),
    # Asks for the PDF, made by the task worker: the teacher and tutor go to its page.
    "programmes:portfolio_pdf": (
        "post",
        _full_portfolio,
        content_route({"teacher": 302, "tutor": 302}),
    ),
}

VARIANTS = {
    # A file on a draft: the three partners' (a lead or moderator is not shown it, even by id).
    "programmes:submission_file#draft": (
        "get",
        _file_of(SubmissionVersion.Kind.DRAFT),
        content_route({"teacher": 200, "coach": 200, "tutor": 200}),
    ),
}
