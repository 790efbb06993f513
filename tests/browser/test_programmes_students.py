"""A teacher on a programme, on a phone and on a desktop: opens their programme, saves a
draft with a file, hands in the final version (ticking that they cannot change it afterwards,
which they are asked for when they forget); once it is marked and released reads their
mark and the agreed feedback; puts a reflection in their module portfolio and downloads it as
a PDF."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import Reflection
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.programmes.models import Submission
from tests.browser.test_coaching_journey import sign_in
from tests.browser.test_portability import make_waiting_downloads
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import mark
from tests.upload_files import blank_pdf
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_FILE = blank_pdf()  # a real PDF: uploads are parsed to look for active content


def _release(pw):
    """The markers mark the teacher's work within tolerance and it is released."""
    with trust_scope(pw.trust):
        submission = Submission.objects.get(enrolment=pw.enrolments[0])
        mark(pw, submission, pw.tutor, 72, 68)
        mark(pw, submission, pw.coach, 70, 70)
        Submission.objects.filter(pk=submission.pk).update(
            status=Submission.Status.RELEASED,
            released_at=timezone.now(),
            agreed_feedback="A clear case study: say more about what you would change next.",
        )


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_teacher_hands_in_their_work_reads_their_marks_and_shares_a_portfolio(
    request, device, axe, media, tmp_path
):
    world = build_world()
    pw = build_programme(world)
    teacher = pw.enrolments[0].teacher
    with scopes_disabled():
        Reflection.objects.create(
            trust=pw.trust,
            teacher=teacher,
            written_on=timezone.localdate(),
            title="Waiting time after questions",
            body="More pupils answered when I waited five seconds.",
        )
    essay = tmp_path / "case study notes.pdf"
    essay.write_bytes(PDF_FILE)

    page = request.getfixturevalue(device).new_page()
    sign_in(page, axe, teacher.email)
    page.wait_for_load_state()
    page.goto(reverse("programmes:my_programme"))
    page.get_by_role("heading", name="Your programme").wait_for()
    axe.check(page)

    page.get_by_role("link", name=pw.assignment.title).click()
    page.get_by_role("heading", name=pw.assignment.title).wait_for()
    page.get_by_text("The word limit is 4000 words.").wait_for()
    axe.check(page)
    page.get_by_label("Your work").fill("A first go at my case study of one action step.")
    page.get_by_label("Attach files (optional)").set_input_files(str(essay))
    page.get_by_role("button", name="Save a draft").click()
    page.get_by_text("Draft saved. Your coach and tutor can give you feedback on it.").wait_for()
    page.get_by_role("link", name="case study notes.pdf").wait_for()
    page.get_by_text("Your latest version has 11 words.").wait_for()
    axe.check(page)

    page.get_by_label("Your work").fill("My final case study, with the evidence I gathered.")
    page.get_by_role("button", name="Hand in the final version").click()  # without the tick
    page.get_by_text("There is a problem").wait_for()
    page.get_by_role("link", name=re.compile("Nothing is handed in yet")).click()
    confirm = page.get_by_label(re.compile("I am handing in my final version"))
    assert confirm.evaluate("box => box === document.activeElement")  # the link lands on it
    assert page.get_by_label("Your work").input_value().startswith("My final case study")
    axe.check(page)
    confirm.check()
    page.get_by_role("button", name="Hand in the final version").click()
    page.get_by_text("Handed in. Your tutor and coach will mark it.").wait_for()
    page.get_by_text("can no longer be changed").wait_for()
    axe.check(page)

    _release(pw)
    page.reload()
    page.get_by_role("heading", name="Your marks and feedback").wait_for()
    # Issue 18: the agreed feedback only, not each marker's marks and comments.
    page.get_by_text("A clear case study: say more about what you would change next.").wait_for()
    assert page.get_by_role("table", name="Marks for each criterion").count() == 0
    assert page.get_by_text(f"Feedback from {pw.tutor.full_name}.").count() == 0
    axe.check(page)
    page.goto(reverse("programmes:my_programme"))
    page.get_by_text(re.compile(r"Marked – released on")).wait_for()
    axe.check(page)

    page.get_by_role("link", name=re.compile("Your portfolio for this module")).click()
    page.get_by_role("heading", name="Your portfolio", exact=True).wait_for()
    axe.check(page)
    page.get_by_role("button", name="Add Waiting time after questions").click()
    page.get_by_text("Added to your portfolio. Your tutor can read it now.").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Download it as a PDF").click()
    page.get_by_text("Your file is being made").wait_for()
    make_waiting_downloads()  # what the task worker does
    page.get_by_role("heading", name="Your file is ready").wait_for()
    axe.check(page)
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Download portfolio-MA1.pdf").click()
    download = pdf_download.value
    assert download.suggested_filename == "portfolio-MA1.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Back to your portfolio").click()
    page.get_by_role("link", name="See it as your tutor does").click()
    page.get_by_role("heading", name=re.compile("Portfolio:")).wait_for()
    page.get_by_text("More pupils answered when I waited five seconds.").wait_for()
    axe.check(page)
