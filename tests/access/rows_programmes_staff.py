"""The university staff's pages. A programme's pages are for its staff only: anyone else in the
trust gets a 404, as does everyone for another trust's programme. Trust A's one programme is
shared by schools A1 and A2, so its staff see it from either school's records. Lead-only pages
are a 403 for the programme's tutor and moderator. Momentum is the lead's and the tutors'
(a 404 for the moderator, as the query decides); funding is the lead's alone. A school's
programme aggregates are its headteacher's and the trust lead's."""

from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import Submission
from tests.access.codes import MEMBERS, NOT_FOUND_FOR_MEMBERS, only, page_route
from tests.access.programme_records import programme_for, submission_for

STAFF = {"programme_lead": 200, "tutor": 200, "moderator": 200}


def _same_for_both_schools(codes):
    return {"own": codes, "other_school": codes, "other_trust": NOT_FOUND_FOR_MEMBERS}


def _lead_only(code):
    return _same_for_both_schools(
        only({"programme_lead": code, "tutor": 403, "moderator": 403}, others=404)
    )


def _board_readers(code):
    """The programme's lead and moderators (``programmes.read_history``, ``export_board``)."""
    return _same_for_both_schools(
        only({"programme_lead": code, "tutor": 403, "moderator": code}, others=404)
    )


def _programme(records):
    return {"programme_id": programme_for(records).programme.pk}


def _assignment(records):
    return {"assignment_id": programme_for(records).assignment.pk}


def _submission(records):
    """The records' teacher's submission (made once: a matrix test may ask again)."""
    found = programme_for(records)
    with scopes_disabled():
        existing = Submission.objects.filter(
            enrolment=found.enrolment, assignment=found.assignment
        ).first()
    return {"submission_id": (existing or submission_for(records)).pk}


def _second_slot(records):
    return {**_submission(records), "position": "second"}


def _cohort(records):
    return {"cohort_id": programme_for(records).cohort.pk}


def _enrolment(records):
    return {"enrolment_id": programme_for(records).enrolment.pk}


def _coach(records):
    return {"programme_id": programme_for(records).programme.pk, "coach_id": records.coach.pk}


def _school(records):
    programme_for(records)
    return {"school_slug": records.school.slug}


ROWS = {
    "programmes:home": ("get", None, page_route(dict.fromkeys(MEMBERS, 200))),
    "programmes:programme": ("get", _programme, _same_for_both_schools(only(STAFF, others=404))),
    "programmes:enrol": ("get", _programme, _lead_only(200)),
    "programmes:cohort": ("get", _cohort, _lead_only(200)),
    # The school coaches of the programme's teachers, with the lead's qualification links.
    "programmes:coaches": ("get", _programme, _lead_only(200)),
    "programmes:enrolment_end": ("get", _enrolment, _lead_only(200)),
    "programmes:assignment": (
        "get",
        _assignment,
        _same_for_both_schools(only(STAFF, others=404)),
    ),
    "programmes:marker_replace": ("get", _second_slot, _lead_only(200)),
    # Deciding a mark the markers have not agreed, and asking a third marker.
    "programmes:adjudicate": ("get", _submission, _lead_only(200)),
    "programmes:third_marker": ("get", _submission, _lead_only(200)),
    "programmes:sample_draw": ("post", _assignment, _lead_only(302)),
    # The release's confirmation page (its form, sent with the confirmation, releases).
    "programmes:release": ("get", _assignment, _lead_only(200)),
    # Adding one submission to the moderation sample by hand (refused with a message while
    # the work is unmarked: still a redirect back to the assignment).
    "programmes:sample_add": ("post", _submission, _lead_only(302)),
    # A submission's marks and whole history (the lead and moderators), the lead's corrections
    # from it, and an assignment's exam-board export (a workbook, or CSV of either table).
    "programmes:submission_board": ("get", _submission, _board_readers(200)),
    "programmes:reopen": ("get", _submission, _lead_only(200)),
    "programmes:correct": ("get", _submission, _lead_only(200)),
    "programmes:moderator_replace": ("get", _submission, _lead_only(200)),
    "programmes:exam_board_xlsx": ("get", _assignment, _board_readers(200)),
    "programmes:exam_board_csv": ("get", _assignment, _board_readers(200)),
    # Opening a resubmission of a released fail (the page says why not for other work).
    "programmes:resubmission_open": ("get", _submission, _lead_only(200)),
    "programmes:momentum": (
        "get",
        _programme,
        _same_for_both_schools(only({"programme_lead": 200, "tutor": 200}, others=404)),
    ),
    "programmes:funding": (
        "get",
        _programme,
        _same_for_both_schools(only({"programme_lead": 200}, others=404)),
    ),
    "programmes:qualification": ("get", _coach, _lead_only(200)),
    "programmes:school_programmes": (
        "get",
        _school,
        {
            "own": only({"headteacher": 200, "trust_lead": 200}, others=403),
            "other_school": only({"headteacher": 404, "trust_lead": 200}, others=403),
            "other_trust": only({"headteacher": 404, "trust_lead": 404}, others=403),
        },
    ),
}

# The exam board's history table as CSV (``?table=history``).
VARIANTS = {
    "programmes:exam_board_csv#history": (
        "get",
        _assignment,
        _board_readers(200),
        "table=history",
    ),
}
