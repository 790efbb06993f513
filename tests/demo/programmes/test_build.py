"""The demo's partnership programme: the University of Wessex's MA, with submissions in every
state, staff who sign in with the demo password, and a programme that grows with the schools."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse

from coachloop.coaching.models import Relationship
from coachloop.common.tenancy import trust_scope
from coachloop.demo.build import build_demo
from coachloop.demo.programmes.university import university_logins
from coachloop.people.models import Membership, Role, Trust, User
from coachloop.people.viewer import Viewer
from coachloop.programmes.models import (
    CoachQualification,
    DiscussionPrompt,
    Enrolment,
    Extension,
    Feedback,
    GoalAgreement,
    Mark,
    MarkEvent,
    MeetingAction,
    PortfolioItem,
    Programme,
    ProgrammeStaff,
    ReconciliationProposal,
    Submission,
    SubmissionVersion,
)
from coachloop.programmes.queries.momentum import momentum
from coachloop.programmes.services.marking import needs_reconciling

TODAY = dt.date(2025, 11, 20)
PASSWORD = "coachloop-demo"  # noqa: S105 (the published demo password)
TEACHER = "teacher@riverside.example.org"
pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return build_demo(today=TODAY)


def statuses(trust):
    with trust_scope(trust):
        return set(Submission.objects.values_list("status", flat=True))


def test_the_demo_has_a_partner_university_with_a_programme_two_modules_and_a_cohort(trust):
    with trust_scope(trust):
        programme = Programme.objects.select_related("partner").get()
        modules = list(programme.modules.annotate(n=Count("assignments")))
        assignments = [a for m in modules for a in m.assignments.all()]
        criteria = [list(a.criteria.all()) for a in assignments]
        bands = [a.bands.count() for a in assignments]
        cohorts = programme.cohorts.count()
        readings = sum(m.readings.count() for m in modules)
    assert programme.partner.name == "University of Wessex"
    assert programme.title == "MA Education (Instructional Coaching)"
    assert programme.blind_marking and programme.pass_mark == 50
    assert programme.moderate_all_fails and programme.moderation_percent == 20
    assert programme.fee_per_enrolment == 3000 and programme.school_share_percent == 60
    assert len(modules) == 2 and all(m.n == 1 for m in modules)
    assert all(len(c) == 3 and sum(x.weight for x in c) == 100 for c in criteria)
    assert all(n >= 3 for n in bands)
    assert cohorts == 1 and readings >= 4
    past, coming = sorted(a.due_at.date() for a in assignments)
    assert past < TODAY < coming <= TODAY + dt.timedelta(weeks=8)


def test_the_demo_has_submissions_in_every_status_and_the_teacher_one_released_one_going(trust):
    assert statuses(trust) == set(Submission.Status.values)
    with trust_scope(trust):
        enrolment = Enrolment.objects.select_related("coach", "tutor").get(teacher__email=TEACHER)
        mine = dict(
            Submission.objects.filter(enrolment=enrolment).values_list(
                "assignment__due_at", "status"
            )
        )
        draft_feedback = Feedback.objects.filter(
            version__submission__enrolment=enrolment,
            version__submission__status=Submission.Status.DRAFTING,
        ).count()
    assert enrolment.coach.email == "coach@riverside.example.org"
    assert enrolment.tutor.email == "tutor@wessex.example.ac.uk"
    assert [mine[due] for due in sorted(mine)] == [
        Submission.Status.RELEASED,
        Submission.Status.DRAFTING,
    ]
    assert draft_feedback >= 1


def test_each_submission_holds_what_its_status_needs(trust):
    S = Submission.Status
    with trust_scope(trust):
        rows = list(
            Submission.objects.annotate(
                marks_in=Count("marks", distinct=True),
                live_claims=Count("claims", distinct=True),
                declined=Count(
                    "proposals",
                    filter=Q(proposals__outcome=ReconciliationProposal.Outcome.DECLINED),
                    distinct=True,
                ),
                finals=Count(
                    "versions", filter=Q(versions__kind=SubmissionVersion.Kind.FINAL), distinct=True
                ),
            )
        )
        extensions = Extension.objects.count()
    assert extensions >= 1
    for s in rows:
        submitted = s.status != S.DRAFTING
        assert (s.finals == 1) == submitted, s.status
        assert bool(s.submitted_at) == submitted
        expected_marks = {S.DRAFTING: 0, S.NOT_MARKED: 0, S.IN_MARKING: 1}.get(s.status, 2)
        assert s.marks_in == expected_marks, s.status
        agreed = expected_marks == 2 and s.status != S.ADJUDICATION
        assert (s.agreed_mark is not None) == agreed, s.status
        if agreed:
            assert s.agreed_feedback and s.agreed_at, s.status
        if s.status == S.ADJUDICATION:
            assert s.third_marker_id not in (None, s.first_marker_id, s.second_marker_id)
            assert s.declined == 1
        assert (s.status == S.IN_MARKING) == (s.live_claims > 0)
        if s.status == S.IN_REVIEW:
            assert s.in_sample and s.moderator_id is None
        if s.agreed_mark is not None and s.agreed_mark < 50 and s.status != S.MARKING_DONE:
            assert s.in_sample, "every fail is moderated"
        assert (s.status == S.RELEASED) == (s.released_at is not None)


def test_every_marked_demo_submission_has_the_history_the_services_would_have_written(trust):
    """Each mark, agreement, moderation and release is in the mark history, so the board page
    and the exam-board export have something to show."""
    K = MarkEvent.Kind
    with trust_scope(trust):
        marked = Submission.objects.filter(marks__isnull=False).distinct()
        for s in marked.prefetch_related("marks", "events"):
            kinds = [e.kind for e in s.events.all()]
            assert kinds.count(K.MARKED) == len(s.marks.all()), s
            if s.agreed_mark is not None:
                assert {K.AGREED, K.CONFIRMED} & set(kinds), s
            if s.moderated_at:
                assert K.MODERATED in kinds, s
            if s.released_at:
                assert kinds[-1] == K.RELEASED, s
            if s.status == Submission.Status.ADJUDICATION:
                assert {K.PROPOSED, K.DECLINED, K.THIRD_MARKER_APPOINTED} <= set(kinds), s


def test_demo_marks_agree_as_the_programme_says_and_only_extensions_move_a_due_date(trust):
    """Marks either side of a band boundary (or too far apart) were reconciled by the markers
    with a reason; the rest agreed on their own. A due date of a teacher's own is an
    extension their tutor granted."""
    with trust_scope(trust):
        marked = list(
            Submission.objects.filter(agreed_mark__isnull=False)
            .select_related("assignment__module__programme")
            .prefetch_related("marks", "assignment__bands")
        )
        extended = set(
            Submission.objects.filter(extended_due_at__isnull=False).values_list("pk", flat=True)
        )
        granted = set(Extension.objects.values_list("submission_id", flat=True))
    assert marked and extended and extended == granted
    reconciled = 0
    for s in marked:
        marks = {m.position: m for m in s.marks.all()}
        if needs_reconciling(s, marks):
            reconciled += 1
            assert s.agreed_by == Submission.AgreedBy.RECONCILED and s.agreed_reason, s
        else:
            assert s.agreed_by == Submission.AgreedBy.MEAN, s
    assert reconciled >= 1


def test_the_partnership_has_meetings_goals_readings_portfolios_and_qualifications(trust):
    with trust_scope(trust):
        counts = {
            "actions": MeetingAction.objects.count(),
            "open actions": MeetingAction.objects.filter(done_on__isnull=True).count(),
            "agreed goals": GoalAgreement.objects.filter(tutor_agreed_at__isnull=False).count(),
            "prompts": DiscussionPrompt.objects.count(),
            "portfolio": PortfolioItem.objects.filter(enrolment__teacher__email=TEACHER).count(),
            "qualifications": CoachQualification.objects.count(),
            "marks": Mark.objects.count(),
        }
        upcoming = Enrolment.objects.get(teacher__email=TEACHER).meetings.filter(
            held_on__isnull=True
        )
        assert upcoming.exists()
    assert all(counts.values()), counts


def test_the_programme_leads_momentum_page_has_teachers_to_contact(trust):
    lead = User.objects.get(email="programme-lead@wessex.example.ac.uk")
    with trust_scope(trust):
        programme = Programme.objects.get()
        now = dt.datetime.combine(TODAY, dt.time(16), tzinfo=dt.UTC)
        result = momentum(Viewer(user=lead, trust=trust), programme.pk, now=now)
    reasons = {r for row in result.teachers for r in row.reasons}
    assert "missed_deadline" in reasons
    assert any(row.needs_contact for row in result.teachers)
    assert not all(row.needs_contact for row in result.teachers)


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("programme-lead@wessex.example.ac.uk", ProgrammeStaff.Role.LEAD),
        ("tutor@wessex.example.ac.uk", ProgrammeStaff.Role.TUTOR),
        ("tutor2@wessex.example.ac.uk", ProgrammeStaff.Role.TUTOR),
        ("moderator@wessex.example.ac.uk", ProgrammeStaff.Role.MODERATOR),
    ],
)
def test_the_university_staff_sign_in_with_the_demo_password_and_hold_their_roles(
    trust, client, email, role
):
    signed_in = client.post(reverse("login"), {"login": email, "password": PASSWORD})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session
    with trust_scope(trust):
        membership = Membership.objects.get(user__email=email)
        roles = set(
            ProgrammeStaff.objects.filter(person__email=email).values_list("role", flat=True)
        )
    assert (membership.role, membership.school) == (Role.PARTNER_STAFF, None)
    assert roles == {role}
    assert (email.split("@")[0], email) in [
        (e.split("@")[0], e) for _label, e in university_logins(trust)
    ]


def test_the_command_prints_the_university_logins():
    out = io.StringIO()
    call_command("load_demo", "--today", TODAY.isoformat(), stdout=out)
    printed = out.getvalue()
    for email in ("programme-lead", "tutor", "tutor2", "moderator"):
        assert f"{email}@wessex.example.ac.uk" in printed
    assert "University of Wessex" in printed


def test_a_bigger_demo_enrols_more_teachers_in_the_same_shares_with_every_status():
    small = build_demo(today=TODAY)
    with trust_scope(small):
        enrolled = Enrolment.objects.count()
        teachers = Membership.objects.filter(role=Role.TEACHER).count()
    call_command(
        "load_demo", "--replace", "--today", TODAY.isoformat(), "--teachers-per-school", "60",
        stdout=io.StringIO(),
    )  # fmt: skip
    big = Trust.objects.get(slug="riverside")
    assert statuses(big) == set(Submission.Status.values)
    with trust_scope(big):
        big_enrolled = Enrolment.objects.count()
        big_teachers = Membership.objects.filter(role=Role.TEACHER).count()
        pairs = set(Enrolment.objects.values_list("teacher_id", "coach_id"))
        coached = set(Relationship.objects.values_list("teacher_id", "coach_id"))
    assert 8 <= enrolled <= 20
    assert big_enrolled > 2 * enrolled
    assert abs(big_enrolled / big_teachers - enrolled / teachers) < 0.1
    assert pairs <= coached, "each teacher is enrolled with their own coach"
