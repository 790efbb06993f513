"""Every create form of the product, sent twice with the same token, makes one row.

One line of ``CREATE_FORMS`` for each route whose view is wrapped in ``@creates_once``: who
sends it, what they type over what the page offers (its hidden fields, its chosen options,
its token), and the table the form adds a row to. The page is read as a browser reads it
(``tests.common.create_forms``); the URL and whatever the page is about (a goal, a group, a
submission) come from the route's row in the permission matrix. A form posted from another
page (agreeing to an agreement, adding to a portfolio) gets a fresh token and its whole form.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coachloop.api.models import ApiToken, Integration, WebhookEndpoint
from coachloop.coaching import models as coaching
from coachloop.coaching.forms.reviews import rating_field_name
from coachloop.coaching.portability.export import document_bytes
from coachloop.coaching.principles import PRINCIPLES, Showing
from coachloop.common.models import AuditEvent
from coachloop.common.submissions import new_token
from coachloop.common.tenancy import scopes_disabled
from coachloop.frameworks.models import Step
from coachloop.people.erasures import Erasure
from coachloop.people.models import Role, User
from coachloop.policy.models import SchoolModel
from coachloop.programmes import models as programmes
from coachloop.rollout import models as rollout
from coachloop.rosters.models import RosterImport
from tests.access.programme_records import programme_for, submission_for
from tests.access.test_permission_matrix import EVERY_ROW
from tests.api.pages import confirmed
from tests.coaching.portability_fixtures import export
from tests.common.create_forms import posted_form
from tests.common.test_create_forms_twice import _wrapped_routes
from tests.factories import MembershipFactory, UserFactory
from tests.rosters.roster_files import staff_csv_bytes, staff_row

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = (TODAY + dt.timedelta(days=30)).isoformat()
AGO = (TODAY - dt.timedelta(days=1)).isoformat()


@dataclass
class CreateForm:
    """Who sends the form, what they type, the table it adds to (``AuditEvent`` for a form
    that changes a row rather than adding one: one write, one event), and anything the page
    needs first."""

    persona: str
    typed: Callable = lambda world: {}  # noqa: E731
    counted: type = AuditEvent
    from_another_page: bool = False
    before: Callable = lambda world: None  # noqa: E731 (after the matrix's row made the page's)
    confirmed: bool = False  # the person confirms their password first (making an API token)
    # Where the same form sent again goes when the form's answer is a page of its own (a
    # secret shown once): a route taking the form's own arguments.
    sent_again_to: str | None = None


def goal(world):
    return {
        "title": "Every pupil answers in full sentences",
        "pupils": "Year 9 set 2",
        "evidence_kinds": ["pupil_work"],
        "review_on": SOON,
    }


def review(world):
    return {
        "conversation": f"r{world.own.relationship.pk}",
        "went_well": "Clear modelling of the routine.",
        "try_next": "More practice before the lesson.",
    } | {rating_field_name(principle): Showing.PARTLY for principle in PRINCIPLES}


def a_file(name, content=b"What the pupils wrote."):
    return SimpleUploadedFile(name, content)


def record_from_trust_b(world):
    document = export(world.other_trust_records.teacher, world.other_trust)
    return {"record": a_file("record.json", document_bytes(document))}


def staff_roster(world):
    row = staff_row("Nadia New", urn=world.own.school.urn or "")
    return {"roster": a_file("staff.csv", staff_csv_bytes([row])), "leaders": "on"}


def instructional(world):
    with scopes_disabled():
        teacher = UserFactory(full_name="Uma Uncoached")
        MembershipFactory(user=teacher, school=world.own.school, role=Role.TEACHER)
    return {
        "teacher": teacher.pk,
        "coach": world.people["other_coach"].pk,
        "started_on": TODAY.isoformat(),
    }


def mentoring(world):
    with scopes_disabled():
        teacher = UserFactory(full_name="Nadia New")
        MembershipFactory(user=teacher, school=world.own.school, role=Role.TEACHER)
    return {
        "teacher": teacher.pk,
        "coach": world.people["other_coach"].pk,
        "started_on": TODAY.isoformat(),
        "induction_starts_on": TODAY.isoformat(),
        "induction_ends_on": (TODAY + dt.timedelta(days=700)).isoformat(),
    }


def enrolment(world):
    found = programme_for(world.own)
    with scopes_disabled():
        teacher = UserFactory(full_name="Ola Student")
        MembershipFactory(user=teacher, school=world.own.school, role=Role.TEACHER)
    return {
        "cohort": found.cohort.pk,
        "teacher": teacher.pk,
        "school": world.own.school.pk,
        "coach": world.own.coach.pk,
        "tutor": found.tutor.pk,
    }


def a_goal(world):
    with scopes_disabled():
        return coaching.Goal.objects.create(
            trust=world.trust,
            teacher=world.own.teacher,
            title="More pupils explain their reasoning aloud",
            pupils="Year 9, set 2",
            review_on=TODAY + dt.timedelta(days=60),
            created_by=world.own.teacher,
            created_at=timezone.now(),
        )


def the_latest_goal(world):
    with scopes_disabled():
        return {"goal": coaching.Goal.objects.filter(teacher=world.own.teacher).latest("pk").pk}


def a_draft(world):
    """The teacher's latest version a draft, for feedback."""
    with scopes_disabled():
        submission = programmes.Submission.objects.get(enrolment__teacher=world.own.teacher)
        programmes.SubmissionVersion.objects.create(
            trust=world.trust,
            submission=submission,
            number=submission.versions.count() + 1,
            kind=programmes.SubmissionVersion.Kind.DRAFT,
            text="A first go, for feedback.",
            word_count=5,
            created_at=timezone.now(),
        )


def marks(world):
    criteria = programme_for(world.own).criteria
    return {f"criterion_{c.pk}": 60 for c in criteria} | {"comments": "A clear case study."}


def a_reflection(world):
    with scopes_disabled():
        reflection = coaching.Reflection.objects.create(
            trust=world.trust,
            teacher=world.own.teacher,
            written_on=TODAY,
            title="What wait time changed",
            body="More pupils answered.",
        )
    return {"item": f"reflection-{reflection.pk}"}


def the_school_adapts_its_framework(world):
    with scopes_disabled():
        SchoolModel.objects.create(
            trust=world.trust,
            school=world.own.school,
            framework_policy="adapt",
        )


def a_school_step(world):
    return {
        "strand": world.own.framework_step.strand.pk,
        "title": "Meet the class at the door with the first task ready",
        "looks_like": "Pupils start the task as they sit down.",
        "why_it_works": "No gap for chatter to fill.",
        "how_to_rehearse": "Walk the door routine twice in an empty room.",
    }


def a_mark_ready_for_release(world):
    """The teacher's work marked and moderated: ready for release."""
    submission_for(world.own, programmes.Submission.Status.READY)


def marks_to_settle(world):
    """The teacher's work marked 80 and 50 (beyond tolerance): the markers have not agreed."""
    found = programme_for(world.own)
    with scopes_disabled():
        submission = programmes.Submission.objects.get(
            enrolment=found.enrolment, assignment=found.assignment
        )
        submission.status = programmes.Submission.Status.IN_MARKING
        submission.save(update_fields=["status"])
        for position, marker, overall in (
            ("first", submission.first_marker, 80),
            ("second", submission.second_marker, 50),
        ):
            programmes.Mark.objects.get_or_create(
                submission=submission,
                position=position,
                defaults={
                    "trust": submission.trust,
                    "marker": marker,
                    "scores": {str(c.pk): overall for c in found.criteria},
                    "overall": overall,
                    "comments": "Feedback.",
                    "submitted_at": timezone.now(),
                },
            )


def another_tutor(world):
    """A second tutor on the programme, who may mark third."""
    found = programme_for(world.own)
    marks_to_settle(world)
    with scopes_disabled():
        person = UserFactory(full_name="Dr Third Reader")
        MembershipFactory(user=person, school=None, trust=world.trust, role=Role.PARTNER_STAFF)
        programmes.ProgrammeStaff.objects.create(
            trust=world.trust,
            programme=found.programme,
            person=person,
            role=programmes.ProgrammeStaff.Role.TUTOR,
        )


def the_other_tutor(world):
    with scopes_disabled():
        person = User.objects.get(full_name="Dr Third Reader")
    return {"person": person.pk, "reason": "A fresh reading."}


def a_released_fail(world):
    """The teacher's work released with a fail, so a resubmission can be opened."""
    with scopes_disabled():
        programmes.Submission.objects.filter(enrolment__teacher=world.own.teacher).update(
            status=programmes.Submission.Status.RELEASED,
            agreed_mark=40,
            released_at=timezone.now(),
        )


def words(**typed):
    return lambda world: typed


CREATE_FORMS = {
    # coaching
    "coaching:agreement_agree": CreateForm(
        "teacher", counted=coaching.AgreementConsent, from_another_page=True
    ),
    "coaching:agreement_propose": CreateForm(
        "teacher", words(ground_rules="We meet weekly."), coaching.AgreementVersion
    ),
    "coaching:coachee_goal_new": CreateForm("coach", goal, coaching.Goal),
    "coaching:goal_evidence_new": CreateForm(
        "teacher", lambda world: {"file": a_file("notes.txt")}, coaching.EvidenceItem
    ),
    "coaching:goal_new": CreateForm("teacher", goal, coaching.Goal),
    "coaching:goal_progress": CreateForm("teacher", words(note="Better."), coaching.GoalProgress),
    "coaching:group_agreement_agree": CreateForm(
        "teacher", counted=coaching.AgreementConsent, from_another_page=True
    ),
    "coaching:group_agreement_propose": CreateForm(
        "teacher", words(ground_rules="We meet weekly."), coaching.AgreementVersion
    ),
    "coaching:group_session_new": CreateForm(
        "teacher", words(problem="Noise at the door."), coaching.GroupSession
    ),
    "coaching:lead_group_member_add": CreateForm(
        "coaching_lead", lambda w: {"person": w.people["other_coach"].pk}, coaching.GroupMember
    ),
    "coaching:lead_group_new": CreateForm(
        "coaching_lead",
        lambda w: {"kind": "dyad", "name": "Pair", "members": [w.own.teacher.pk, w.own.coach.pk]},
        coaching.CoachingGroup,
    ),
    "coaching:learning_log_new": CreateForm(
        "coach", words(title="Questioning", body="Wait longer."), coaching.CoachLearningEntry
    ),
    "coaching:portability_import": CreateForm(
        "administrator", record_from_trust_b, coaching.Relationship
    ),
    "coaching:reflection_new": CreateForm(
        "teacher", words(title="Questioning", body="Wait longer."), coaching.Reflection
    ),
    "coaching:rehearsal_log": CreateForm("teacher", words(how_it_went="Smoothly.")),
    "coaching:rehearsal_plan": CreateForm("teacher", words(plan="The signal."), coaching.Rehearsal),
    "coaching:relationship_handover": CreateForm(
        "coaching_lead", lambda w: {"coach": w.people["other_coach"].pk}, coaching.Relationship
    ),
    "coaching:relationship_start": CreateForm("coaching_lead", mentoring, coaching.Relationship),
    "coaching:review_new": CreateForm("coach", review, coaching.SessionReview),
    "coaching:share_new": CreateForm(
        "teacher", lambda w: {"grantee": w.people["coaching_lead"].pk}, coaching.ShareGrant
    ),
    "coaching:stage_place_coachee": CreateForm("coach", words(stage=2), coaching.StageAssessment),
    "coaching:stage_place_mine": CreateForm("teacher", words(stage=2), coaching.StageAssessment),
    "coaching:step_evidence_new": CreateForm(
        "teacher", words(url="https://example.org/v", title="Video"), coaching.EvidenceItem
    ),
    "coaching:step_propose": CreateForm(
        "teacher",
        words(title="Wait time", success_looks_like="Most hands go up."),
        coaching.StepProposal,
    ),
    "coaching:step_set": CreateForm(
        "coach",
        words(
            title="Wait three seconds",
            success_looks_like="Most hands go up.",
            previous_outcome=coaching.ActionStep.Outcome.EMBEDDED,
        ),
        coaching.ActionStep,
    ),
    # programmes
    "programmes:enrol": CreateForm("programme_lead", enrolment, programmes.Enrolment),
    "programmes:extension": CreateForm(
        "tutor", words(due_on=SOON, reason="Illness."), programmes.Extension
    ),
    "programmes:feedback": CreateForm(
        "coach", words(body="Tighten the argument."), programmes.Feedback, before=a_draft
    ),
    "programmes:goal_bring": CreateForm(
        "teacher", the_latest_goal, programmes.GoalAgreement, before=a_goal
    ),
    "programmes:mark": CreateForm("coach", marks, programmes.Mark),
    "programmes:reconcile": CreateForm(
        "coach",
        words(agreed_mark=65, reason="We met.", feedback="Good evidence."),
        programmes.ReconciliationProposal,
    ),
    "programmes:adjudicate": CreateForm(
        "programme_lead",
        words(agreed_mark=65, reason="I read it.", feedback="Good evidence."),
        programmes.MarkEvent,
        before=marks_to_settle,
    ),
    "programmes:third_marker": CreateForm(
        "programme_lead", the_other_tutor, programmes.MarkEvent, before=another_tutor
    ),
    "programmes:third_mark": CreateForm(
        "programme_lead",
        lambda w: marks(w) | {"reason": "It is Merit work."},
        programmes.Mark,
    ),
    "programmes:meeting": CreateForm("teacher", words(notes="We agreed the outline.")),
    "programmes:meeting_new": CreateForm(
        "teacher", words(on=SOON, at="16:00", agenda="The essay."), programmes.Meeting
    ),
    "programmes:portfolio_add": CreateForm(
        "teacher", a_reflection, programmes.PortfolioItem, from_another_page=True
    ),
    "programmes:prompt_new": CreateForm(
        "coach", words(text="Why does it work?"), programmes.DiscussionPrompt
    ),
    "programmes:qualification": CreateForm(
        "programme_lead", words(level="masters"), programmes.CoachQualification
    ),
    "programmes:reading_new": CreateForm(
        "programme_lead", words(title="Rosenshine (2012)"), programmes.Reading
    ),
    "programmes:release": CreateForm(  # changes rows: counted by its one event
        "programme_lead", before=a_mark_ready_for_release
    ),
    "programmes:resubmission_open": CreateForm(  # a new attempt, the failed one kept
        "programme_lead",
        words(due_on=SOON, reason="Failed on reflection."),
        programmes.Submission,
        before=a_released_fail,
    ),
    "programmes:submission": CreateForm(  # handing in, ticked as confirmed: the final version
        "teacher",
        words(text="How one signal became a habit.", action="final", confirm_final="on"),
        programmes.SubmissionVersion,
    ),
    # rollout and rosters
    "rollout:school_step_new": CreateForm(
        "coaching_lead", a_school_step, Step, before=the_school_adapts_its_framework
    ),
    "rollout:team_phases": CreateForm(
        "coaching_lead", words(kind="soft_launch", starts_on=AGO), rollout.RolloutPhase
    ),
    "rollout:team_qa_visit_new": CreateForm(
        "coaching_lead",
        lambda w: {"coach": w.own.coach.pk, "went_well": "Calm.", "development_point": "Pace."},
        rollout.QaVisit,
    ),
    "rollout:team_targets": CreateForm(
        "coaching_lead",
        words(trained_coaches=3, coached_percent=50, due_by=SOON),
        rollout.CoverageTarget,
    ),
    "rollout:team_training": CreateForm(
        "coaching_lead",
        words(course="Instructional coaching", completed_on=AGO, delivered_by="Us"),
        rollout.CoachTraining,
    ),
    "rollout:time_session_new": CreateForm(
        "coaching_lead",
        lambda w: {
            "title": "Twilight",
            "date": SOON,
            "starts_at": "15:30",
            "ends_at": "16:30",
            "invitees": [w.own.coach.pk],
        },
        rollout.CpdSession,
    ),
    "rollout:time_slot_new": CreateForm(
        "coaching_lead",
        lambda w: {"coach": w.own.coach.pk, "weekday": 1, "starts_at": "09:00", "ends_at": "10:00"},
        rollout.ProtectedSlot,
    ),
    "rollout:team_assign": CreateForm("coaching_lead", instructional, coaching.Relationship),
    "rosters:staff_upload": CreateForm("administrator", staff_roster, RosterImport),
    # webhooks (the page's token is the integration's only one, chosen already)
    "webhooks:endpoint_new": CreateForm(
        "administrator",
        words(url="https://hooks.example.org/coachloop", events=["role.started"]),
        WebhookEndpoint,
        confirmed=True,
    ),
    # a new secret: one rotation (its audit event) however often the form is sent
    "webhooks:endpoint_rotate": CreateForm(
        "administrator",
        from_another_page=True,
        sent_again_to="webhooks:endpoint",
        confirmed=True,
    ),
    "person_erase": CreateForm(
        "administrator", lambda w: {"reason": "Asked by email.", "confirm": "on"}, Erasure
    ),
    # api
    "api:token_new": CreateForm(
        "coach", words(name="Planner", expires_on=SOON), ApiToken, confirmed=True
    ),
    "api:integration_new": CreateForm("administrator", words(name="School MIS"), Integration),
    "api:integration_token_new": CreateForm(
        "administrator",
        words(name="Staff sync", scopes=["read_people"], expires_on=SOON),
        ApiToken,
        confirmed=True,
    ),
}


def rows(model):
    with scopes_disabled():
        return model._base_manager.count()


def where_it_went(response):
    return response.get("Location") or response.get("HX-Redirect")


def the_errors(response):
    form = response.context.get("form") if response.context else None
    return f"the first was not saved: {response.status_code} {form.errors if form else ''}"


def test_every_create_form_is_in_the_table():
    assert set(CREATE_FORMS) == {route for route, _row in _wrapped_routes()}


@pytest.mark.parametrize("route", sorted(CREATE_FORMS))
def test_a_create_form_sent_twice_makes_one_row_and_sends_the_second_where_the_first_went(
    route, world, client, media
):
    form = CREATE_FORMS[route]
    _method, kwargs_for, *_rest = EVERY_ROW[route]
    client.force_login(world.people[form.persona])
    if form.confirmed:
        confirmed(client, world.people[form.persona])
    kwargs = kwargs_for(world.own) if kwargs_for else None
    url = reverse(route, kwargs=kwargs)
    form.before(world)
    if form.from_another_page:
        data = {"form_token": new_token()}
    else:
        data = posted_form(client.get(url).content.decode(), url)
    data |= form.typed(world)
    before = rows(form.counted)

    first = client.post(url, data)
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)  # the same file, sent again
    second = client.post(url, data)

    assert rows(form.counted) == before + 1, the_errors(first)
    # An import shows what arrived on its own page: sent again, it comes back to that page.
    again = reverse(form.sent_again_to, kwargs=kwargs) if form.sent_again_to else url
    assert where_it_went(second) == (where_it_went(first) or again)
    assert "That was already saved." in [str(m) for m in get_messages(second.wsgi_request)]
