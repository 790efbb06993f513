"""The three partners' pages. An enrolment's page, its meetings and its goals are the
teacher's, their coach's and their tutor's: a 404 for everyone else, the programme's lead and
moderator included (they see activity elsewhere, not the three's notes and goals). Only the
teacher brings a goal (a 403 for the coach and the tutor). A module's reading list is read by
the programme's staff and by the teachers and coaches on it; its lead and tutors add readings,
a teacher's coach or tutor adds prompts (a 403 for the others who may read the list).

School A2's enrolment is on trust A's programme too, so its module and readings are the same
programme's: the A1 teacher and coach (enrolled when the ``own`` target is built, first) read
them as they read their own."""

import datetime as dt

from django.utils import timezone

from coachloop.coaching.models import Goal
from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import GoalAgreement, Meeting, Reading
from tests.access.codes import NOT_FOUND_FOR_MEMBERS, content_route, only
from tests.access.programme_records import programme_for

THE_THREE = {"teacher": 200, "coach": 200, "tutor": 200}


def _enrolment(records):
    return {"enrolment_id": programme_for(records).enrolment.pk}


def _meeting(records):
    found = programme_for(records)
    with scopes_disabled():
        meeting = Meeting.objects.create(
            trust=found.programme.trust,
            enrolment=found.enrolment,
            scheduled_for=timezone.now() + dt.timedelta(days=7),
            agenda="How the case study is going.",
            created_by=records.coach,
        )
    return {"meeting_id": meeting.pk}


def _agreement(records):
    found = programme_for(records)
    with scopes_disabled():
        goal = Goal.objects.create(
            trust=found.programme.trust,
            teacher=records.teacher,
            title="More pupils explain their reasoning aloud",
            pupils="Year 9, set 2",
            review_on=timezone.localdate() + dt.timedelta(days=60),
            created_by=records.teacher,
            created_at=timezone.now(),
        )
        agreement = GoalAgreement.objects.create(
            trust=goal.trust,
            enrolment=found.enrolment,
            goal=goal,
            goal_version=goal.version,
            teacher_agreed_at=timezone.now(),
        )
    return {"agreement_id": agreement.pk}


def _module(records):
    return {"module_id": programme_for(records).module.pk}


def _reading(records):
    found = programme_for(records)
    with scopes_disabled():
        reading = Reading.objects.create(
            trust=found.programme.trust,
            module=found.module,
            title="Teach Like a Champion 3.0",
            citation="Lemov, D. (2021)",
        )
    return {"reading_id": reading.pk}


def _on_the_programme(allowed, *, others=404):
    """A route about the trust's programme (the same one for schools A1 and A2)."""
    codes = only(allowed, others=others)
    return {"own": codes, "other_school": codes, "other_trust": NOT_FOUND_FOR_MEMBERS}


READERS = {
    "teacher": 200,
    "coach": 200,
    "programme_lead": 200,
    "tutor": 200,
    "moderator": 200,
}


def _readers_but(allowed):
    """Those who read the list get a 403 for what they may not do; ``allowed`` get 200."""
    return _on_the_programme({**dict.fromkeys(READERS, 403), **allowed})


ROWS = {
    "programmes:enrolment": ("get", _enrolment, content_route(THE_THREE)),
    "programmes:meeting_new": ("get", _enrolment, content_route(THE_THREE)),
    "programmes:meeting": ("get", _meeting, content_route(THE_THREE)),
    "programmes:goal_bring": (
        "get",
        _enrolment,
        content_route({"teacher": 200, "coach": 403, "tutor": 403}),
    ),
    "programmes:goal_agree": (
        "post",
        _agreement,
        content_route({"teacher": 302, "coach": 302, "tutor": 302}),
    ),
    "programmes:readings": ("get", _module, _on_the_programme(READERS)),
    "programmes:reading_new": (
        "get",
        _module,
        _readers_but({"programme_lead": 200, "tutor": 200}),
    ),
    "programmes:prompt_new": ("get", _reading, _readers_but({"coach": 200, "tutor": 200})),
}
