"""Finding the way, on a phone and on a desktop: each person starts where they land after
signing in and reaches every programme page they use by following links. The tutor goes from
their programmes to a teacher they tutor, gives feedback on a draft, grants an extension and
reads the portfolio; the coach goes from their teachers to a teacher on a programme, gives
feedback too and reads handed-in work; the headteacher opens their school's programme totals;
the lead records a coach's qualification and chooses a second marker. Every page is
axe-clean."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from coachloop.coaching.models import Reflection
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.programmes.models import CoachQualification, Extension, Feedback, Programme
from coachloop.programmes.services.portfolio import portfolio_item_add
from coachloop.programmes.services.submissions import submission_version_add
from tests.browser.test_coaching_journey import sign_in
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import submit
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICES = ["phone", "desktop"]
PROGRAMME = "MA in Teaching and Learning"
ASSIGNMENT = "A case study of one action step"
DRAFT = "A first go at my case study, draft-4c1."
HANDED_IN = "My case study of one action step, with the evidence I gathered."
REFLECTION = "More pupils answered when I waited five seconds."


def _university(pw, *people):
    with scopes_disabled():
        for person in people:
            MembershipFactory(user=person, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)


def _two_teachers_at_work(**settings):
    """Teacher a1 has a draft and a reflection in their MA1 portfolio; Student 1 has handed
    in their final version. Both have Coach a1 and Dr Tom Reyes as their tutor."""
    world = build_world()
    pw = build_programme(world, teachers=2, **settings)
    drafting, handed_in = pw.enrolments
    module = pw.assignment.module
    with trust_scope(pw.trust):
        submission_version_add(
            viewer=pw.as_(drafting.teacher),
            enrolment=drafting,
            assignment=pw.assignment,
            text=DRAFT,
            final=False,
        )
        reflection = Reflection.objects.create(
            trust=pw.trust,
            teacher=drafting.teacher,
            written_on=timezone.localdate(),
            title="Waiting time after questions",
            body=REFLECTION,
        )
        portfolio_item_add(
            viewer=pw.as_(drafting.teacher), enrolment=drafting, module=module, item=reflection
        )
        submit(pw, handed_in)
    return pw, drafting, handed_in


def _open_partnership(page, axe, teacher, other):
    page.get_by_role(
        "link", name=f"Work, meetings, goals and readings with {teacher.full_name} and {other}"
    ).click()
    page.get_by_role("heading", name=f"Programme partnership: {teacher.full_name}").wait_for()
    axe.check(page)


def _back_to_partnership(page, teacher):
    page.get_by_role("link", name=f"Programme partnership: {teacher.full_name}").click()
    page.get_by_role("heading", name=f"Programme partnership: {teacher.full_name}").wait_for()


def _give_feedback(page, axe, teacher, body):
    page.get_by_role("link", name=re.compile("^Read the draft and give feedback")).click()
    page.get_by_role("heading", name=f"Feedback for {teacher.full_name}").wait_for()
    page.locator("#draft-text").get_by_text(DRAFT).wait_for()
    axe.check(page)
    page.get_by_role("button", name="Send feedback").click()  # nothing written yet
    page.get_by_text("There is a problem").first.wait_for()
    page.get_by_text("Write your feedback before you send it.").first.wait_for()
    axe.check(page)
    page.get_by_label("Your feedback on this draft").fill(body)
    page.get_by_role("button", name="Send feedback").click()
    page.get_by_text("Feedback sent. The teacher can read it now.").wait_for()
    page.locator("#earlier-feedback").get_by_text(body).wait_for()
    axe.check(page)


def _read_the_work(page, axe):
    page.get_by_role("link", name=re.compile("^Read the work")).click()
    page.get_by_role("heading", name=ASSIGNMENT).wait_for()
    page.get_by_text("Final, for marking").wait_for()
    page.get_by_text("Read this version").click()
    page.get_by_text(HANDED_IN).wait_for()
    axe.check(page)


@pytest.mark.parametrize("device", DEVICES)
def test_the_tutor_finds_a_teacher_gives_feedback_grants_an_extension_and_reads_work(
    request, device, axe
):
    pw, drafting, handed_in = _two_teachers_at_work()
    _university(pw, pw.tutor)
    page = request.getfixturevalue(device).new_page()

    # University staff land on their programmes, with the teachers they tutor.
    sign_in(page, axe, pw.tutor.email)
    page.wait_for_url(re.compile(r"/programmes/$"))
    page.get_by_role("heading", name="Teachers you tutor").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Your marking").click()
    page.get_by_role("heading", name="Your marking").wait_for()
    axe.check(page)
    page.go_back()

    # The draft: feedback, then an extension, then the module portfolio.
    _open_partnership(page, axe, drafting.teacher, "their coach")
    _give_feedback(page, axe, drafting.teacher, "Your evidence section is a strong start.")
    _back_to_partnership(page, drafting.teacher)
    page.get_by_role("link", name=re.compile("^Grant an extension")).click()
    page.get_by_role("heading", name=f"Extension for {drafting.teacher.full_name}").wait_for()
    axe.check(page)
    new_due = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("New due date").fill(new_due.isoformat())
    page.get_by_label("Reason").fill("A family emergency in the spring term.")
    page.get_by_role("button", name="Grant extension").click()
    page.get_by_text("Extension granted. The teacher can see the new date.").wait_for()
    page.locator("#extensions").get_by_text(f"granted by {pw.tutor.full_name}").wait_for()
    axe.check(page)
    _back_to_partnership(page, drafting.teacher)
    page.get_by_role("link", name="MA1 portfolio").click()
    page.get_by_role("heading", name=f"Portfolio: {drafting.teacher.full_name}").wait_for()
    page.get_by_text(REFLECTION).wait_for()
    axe.check(page)
    _back_to_partnership(page, drafting.teacher)

    # The handed-in work of another teacher, from the programmes page in the header.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    page.get_by_role("heading", name="Teachers you tutor").wait_for()
    _open_partnership(page, axe, handed_in.teacher, "their coach")
    assert page.get_by_role("link", name=re.compile("^Grant an extension")).count() == 0
    _read_the_work(page, axe)
    _back_to_partnership(page, handed_in.teacher)

    with scopes_disabled():
        extension = Extension.objects.get(submission__enrolment=drafting)
        assert timezone.localdate(extension.due_at) == new_due
        assert extension.submission.due_at == extension.due_at
        assert Feedback.objects.filter(author=pw.tutor).count() == 1


@pytest.mark.parametrize("device", DEVICES)
def test_the_coach_finds_a_teacher_on_a_programme_gives_feedback_and_reads_work(
    request, device, axe
):
    pw, drafting, handed_in = _two_teachers_at_work()
    page = request.getfixturevalue(device).new_page()

    # A coach lands on their teachers; the programme is one link away.
    sign_in(page, axe, pw.coach.email)
    page.wait_for_url(re.compile(r"/coach/$"))
    page.get_by_role("link", name="Teachers on a programme").click()
    page.get_by_role("heading", name="Teachers you coach on a programme").wait_for()
    axe.check(page)
    page.get_by_role("link", name="Your marking").click()
    page.get_by_role("heading", name="Your marking").wait_for()
    axe.check(page)
    page.go_back()

    _open_partnership(page, axe, drafting.teacher, "their tutor")
    assert page.get_by_role("link", name=re.compile("^Grant an extension")).count() == 0
    assert page.get_by_role("link", name="MA1 portfolio").count() == 0
    _give_feedback(page, axe, drafting.teacher, "Try the five-second wait with set 3 too.")
    _back_to_partnership(page, drafting.teacher)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My teachers").click()
    page.get_by_role("link", name="Teachers on a programme").click()
    _open_partnership(page, axe, handed_in.teacher, "their tutor")
    _read_the_work(page, axe)
    _back_to_partnership(page, handed_in.teacher)

    with scopes_disabled():
        assert Feedback.objects.filter(author=pw.coach).count() == 1


@pytest.mark.parametrize("device", DEVICES)
def test_the_headteacher_opens_their_schools_programme_totals(request, device, axe):
    world = build_world()
    build_programme(world, teachers=5)
    head = world.people["headteacher"]
    page = request.getfixturevalue(device).new_page()

    sign_in(page, axe, head.email)
    page.get_by_role("heading", name=re.compile("^Hello")).wait_for()
    axe.check(page)
    page.get_by_role("link", name="Master's programmes at School A1, in totals").click()
    page.get_by_role("heading", name="Master's programmes").wait_for()
    totals = page.get_by_role("table", name="Programmes at your school")
    row = totals.get_by_role("row", name=re.compile(PROGRAMME))
    row.get_by_text("£15,000.00").wait_for()  # five teachers at £3,000
    axe.check(page)


@pytest.mark.parametrize("device", DEVICES)
def test_the_lead_records_a_coachs_qualification_and_chooses_a_second_marker(request, device, axe):
    pw, _drafting, handed_in = _two_teachers_at_work(second_marker=Programme.SecondMarker.TUTOR)
    _university(pw, pw.lead)
    page = request.getfixturevalue(device).new_page()

    sign_in(page, axe, pw.lead.email)
    page.wait_for_url(re.compile(r"/programmes/$"))
    page.get_by_role("link", name=PROGRAMME).click()
    page.get_by_role("heading", name=PROGRAMME).wait_for()
    axe.check(page)

    # A coach's qualification, from the programme's list of school coaches.
    page.get_by_text(re.compile("coach supports the teachers enrolled")).wait_for()
    page.get_by_role("link", name="See the coaches and record their qualifications").click()
    page.get_by_role("heading", name="School coaches").wait_for()
    axe.check(page)
    page.get_by_role("link", name=f"Record their qualification ({pw.coach.full_name})").click()
    page.get_by_role("heading", name=f"Qualification of {pw.coach.full_name}").wait_for()
    page.get_by_text("Nothing recorded yet.").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Record qualification").click()  # nothing chosen yet
    page.get_by_text("There is a problem").first.wait_for()
    page.get_by_text("Choose the coach's highest qualification.").first.wait_for()
    axe.check(page)
    page.get_by_label("Master's degree").check()
    page.get_by_label("In (optional)").fill("Education")
    page.get_by_role("button", name="Record qualification").click()
    page.wait_for_url(re.compile(rf"/programmes/{pw.programme.pk}/momentum/$"))
    page.get_by_text(f"{pw.coach.full_name}'s qualification is recorded.").wait_for()
    page.get_by_role("table", name=re.compile("^School coaches")).get_by_text(
        "Master's degree, Education"
    ).wait_for()
    axe.check(page)

    # The second marker, from the assignment's submissions.
    page.get_by_role("link", name=PROGRAMME).click()
    page.get_by_role("link", name=ASSIGNMENT).click()
    page.get_by_role("heading", name=ASSIGNMENT).wait_for()
    choose = f"Choose the second marker for {handed_in.teacher.full_name}"
    page.get_by_role("link", name=choose).click()
    page.get_by_role("heading", name="Replace the second marker").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Save the new marker").click()  # nobody chosen yet
    page.get_by_text("There is a problem").first.wait_for()
    page.get_by_text("Choose who marks instead.").first.wait_for()
    axe.check(page)
    page.get_by_label("Who marks instead").select_option(label=pw.other_tutor.full_name)
    page.get_by_role("button", name="Save the new marker").click()
    page.get_by_text(
        f"{pw.other_tutor.full_name} marks {handed_in.teacher.full_name}'s work now."
    ).wait_for()
    page.locator("#submissions").get_by_text(f"Second: {pw.other_tutor.full_name}").wait_for()
    axe.check(page)

    # The programme's funding, one link from the programme.
    page.get_by_role("link", name=PROGRAMME).click()
    page.get_by_role("link", name="Funding").click()
    page.get_by_role("heading", name="Funding").wait_for()
    page.locator("tfoot").get_by_text("£6,000.00").wait_for()  # two enrolments at £3,000
    axe.check(page)

    # A teacher who has withdrawn: their place ends, from the cohort's list.
    page.get_by_role("link", name=PROGRAMME).click()
    page.get_by_role("link", name="2025 cohort").click()
    page.get_by_role("heading", name="2025 cohort").wait_for()
    axe.check(page)
    name = handed_in.teacher.full_name
    page.get_by_role("link", name=re.compile(rf"^End this place\W+{name}$")).click()
    page.get_by_role("heading", name=f"End {handed_in.teacher.full_name}'s place").wait_for()
    axe.check(page)
    page.get_by_role("button", name="End this place").click()
    page.get_by_text(f"{handed_in.teacher.full_name}'s place has ended.").wait_for()
    page.get_by_role("table", name=re.compile("^Teachers enrolled")).get_by_text(
        re.compile(r"Ended \d")
    ).wait_for()
    axe.check(page)

    with scopes_disabled():
        qualification = CoachQualification.objects.get(coach=pw.coach)
        assert (qualification.level, qualification.subject) == ("masters", "Education")
        handed_in_work = handed_in.submissions.get()
        assert handed_in_work.second_marker_id == pw.other_tutor.pk
        handed_in.refresh_from_db()
        assert handed_in.finished_on is not None
