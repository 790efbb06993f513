"""The teacher's pages on a programme: their modules and assignments, drafts and the final
version with files, marks only once released, reading a submission and its files, and the
module portfolio with its PDF."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coachloop.common import downloads
from coachloop.common.audit import READ
from coachloop.common.models import AuditEvent, PreparedDownload
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from coachloop.programmes.models import (
    MarkEvent,
    PortfolioItem,
    Programme,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from coachloop.programmes.portfolio_pdf import portfolio_html
from coachloop.programmes.queries.portfolio import portfolio_for
from coachloop.programmes.services.submissions import feedback_give
from tests.factories import MembershipFactory
from tests.pdf_tagging import tagging_of
from tests.programmes.fixtures import main_content
from tests.programmes.test_marking import mark, submit
from tests.programmes.test_portfolio_and_funding import reflection
from tests.upload_files import blank_pdf

pytestmark = pytest.mark.django_db

PDF_FILE = blank_pdf()  # a real PDF: uploads are parsed to look for active content


def pdf(name="case study.pdf"):
    return SimpleUploadedFile(name, PDF_FILE, content_type="application/pdf")


def staff_member(pw, person):
    with scopes_disabled():
        MembershipFactory(user=person, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)
    return person


def teacher_of(pw):
    return pw.enrolments[0].teacher


def page_url(pw):
    return reverse("programmes:submission", args=[pw.assignment.pk])


def released(pw, first=70, second=72):
    """A submission handed in, marked within tolerance by both markers and released."""
    submission = submit(pw)
    mark(pw, submission, pw.tutor, first, first)
    mark(pw, submission, pw.coach, second, second)
    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.Status.RELEASED, released_at=timezone.now()
    )
    return Submission.objects.get(pk=submission.pk)


# -- the teacher's programme ------------------------------------------------------------------


def test_the_teacher_sees_their_modules_assignments_and_due_dates(client, programme):
    client.force_login(teacher_of(programme))
    response = client.get(reverse("programmes:my_programme"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        programme.programme.title,
        "MA1 Instructional coaching in practice",
        programme.assignment.title,
        "20 March 2026",
        "Not started",
        programme.tutor.full_name,
    ):
        assert text in page


def test_someone_not_enrolled_is_told_kindly_how_enrolment_happens(client, programme, world):
    client.force_login(world.other_school.teacher)
    response = client.get(reverse("programmes:my_programme"))
    assert response.status_code == 200
    assert "You are not enrolled on a programme" in response.content.decode()


def test_the_teacher_sees_where_their_work_is_in_their_own_words(client, programme):
    client.force_login(teacher_of(programme))
    submission = submit(programme)
    assert "Handed in" in client.get(reverse("programmes:my_programme")).content.decode()
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.IN_REVIEW)
    assert "Being marked" in client.get(reverse("programmes:my_programme")).content.decode()


def test_no_mark_shows_on_the_programme_page_before_release(client, programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 67, 67)
    mark(programme, submission, programme.coach, 69, 69)
    client.force_login(teacher_of(programme))
    page = client.get(reverse("programmes:my_programme")).content.decode()
    assert "68%" not in page and "Merit" not in page


def test_once_released_the_mark_and_band_show_on_the_programme_page(client, programme):
    released(programme, 70, 72)
    client.force_login(teacher_of(programme))
    page = client.get(reverse("programmes:my_programme")).content.decode()
    assert "71% – Distinction" in page and "Marked – released on" in page


# -- drafts and the final version -------------------------------------------------------------


def test_the_teacher_saves_a_draft_with_a_file_kept_under_a_random_name(client, programme, media):
    client.force_login(teacher_of(programme))
    response = client.post(
        page_url(programme),
        {"text": "A first draft of the case study.", "files": [pdf()], "action": "draft"},
    )
    assert response.status_code == 302
    version = SubmissionVersion.objects.get()
    assert (version.kind, version.word_count) == ("draft", 7)
    stored = SubmissionFile.objects.get(version=version)
    assert stored.original_name == "case study.pdf" and stored.content_type == "application/pdf"
    assert "case study" not in stored.file.name and stored.file.name.endswith(".pdf")
    page = client.get(page_url(programme)).content.decode()
    assert "Draft saved" in page and "case study.pdf" in page and "7 words" in page
    assert version.submission.status == Submission.Status.DRAFTING


def test_formative_feedback_on_a_draft_is_shown_to_the_teacher(client, programme):
    client.force_login(teacher_of(programme))
    client.post(page_url(programme), {"text": "Draft one.", "action": "draft"})
    feedback_give(
        viewer=programme.as_(programme.coach),
        version=SubmissionVersion.objects.get(),
        body="Cite the drop-in notes from March.",
    )
    assert "Cite the drop-in notes from March." in client.get(page_url(programme)).content.decode()


HAND_IN = {"action": "final", "confirm_final": "on"}


def test_handing_in_the_final_with_its_confirmation_makes_the_page_read_only(client, programme):
    client.force_login(teacher_of(programme))
    client.post(page_url(programme), {"text": "Draft one.", "action": "draft"})
    response = client.post(page_url(programme), {"text": "The final one.", **HAND_IN})
    assert response.status_code == 302
    page = client.get(page_url(programme)).content.decode()
    assert "Handed in" in page and "can no longer be changed" in page
    assert 'name="action"' not in page
    assert list(SubmissionVersion.objects.values_list("kind", flat=True)) == ["draft", "final"]
    assert Submission.objects.get().status == Submission.Status.NOT_MARKED


def test_handing_in_without_the_confirmation_hands_in_nothing_and_keeps_what_was_typed(
    client, programme
):
    client.force_login(teacher_of(programme))
    client.post(page_url(programme), {"text": "Draft one.", "action": "draft"})
    response = client.post(
        page_url(programme), {"text": "My careful final words.", "action": "final"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing is handed in yet. To hand in your final version, tick the box" in page
    assert 'href="#id_confirm_final"' in page and 'id="id_confirm_final"' in page
    assert "My careful final words." in page  # shown again in the form, to hand in with a tick
    assert list(SubmissionVersion.objects.values_list("kind", flat=True)) == ["draft"]
    assert Submission.objects.get().status == Submission.Status.DRAFTING


def test_the_hand_in_form_states_what_cannot_be_undone_beside_the_box_to_tick(client, programme):
    client.force_login(teacher_of(programme))
    page = main_content(client.get(page_url(programme)).content.decode())
    assert "Once you hand in the final version, you cannot change it or add to it." in page
    assert "I am handing in my final version: I cannot change it or add to it afterwards" in page
    assert 'name="confirm_final"' in page and "checked" not in page


def test_files_sent_without_the_confirmation_are_asked_for_again(client, programme, media):
    client.force_login(teacher_of(programme))
    response = client.post(
        page_url(programme), {"text": "Final.", "files": [pdf()], "action": "final"}
    )
    assert "Your files were not kept: choose them again." in response.content.decode()
    assert not SubmissionVersion.objects.exists() and not SubmissionFile.objects.exists()


def test_a_ticked_box_with_save_a_draft_saves_a_draft(client, programme):
    client.force_login(teacher_of(programme))
    response = client.post(
        page_url(programme), {"text": "Not yet.", "action": "draft", "confirm_final": "on"}
    )
    assert response.status_code == 302
    assert list(SubmissionVersion.objects.values_list("kind", flat=True)) == ["draft"]


def test_a_second_final_version_is_refused_clearly_and_nothing_is_saved(client, programme):
    submit(programme)
    client.force_login(teacher_of(programme))
    response = client.post(page_url(programme), {"text": "Again.", **HAND_IN})
    assert response.status_code == 200
    assert "final version is already in" in response.content.decode()
    assert SubmissionVersion.objects.count() == 1


def test_work_sent_after_release_is_refused_clearly_and_nothing_is_saved(client, programme, media):
    released(programme)
    client.force_login(teacher_of(programme))
    response = client.post(
        page_url(programme), {"text": "One more go.", "files": [pdf()], "action": "draft"}
    )
    assert response.status_code == 200
    assert "marked and released: nothing more can be added" in response.content.decode()
    assert SubmissionVersion.objects.count() == 1 and not SubmissionFile.objects.exists()


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved(
    client, programme, media
):
    client.force_login(teacher_of(programme))
    fake = SimpleUploadedFile("essay.pdf", b"just some text, not a PDF")
    response = client.post(
        page_url(programme), {"text": "Draft.", "files": [fake], "action": "draft"}
    )
    assert response.status_code == 200
    assert "is named as a PDF, but its content is not" in response.content.decode()
    assert not SubmissionVersion.objects.exists() and not SubmissionFile.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_empty_work_is_refused_with_a_clear_message(client, programme):
    client.force_login(teacher_of(programme))
    response = client.post(page_url(programme), {"text": "  ", **HAND_IN})
    assert response.status_code == 200
    assert "Write or paste your work" in response.content.decode()
    assert not SubmissionVersion.objects.exists()


def test_nothing_of_the_marking_shows_to_the_teacher_before_release(client, programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 67, 67)
    client.force_login(teacher_of(programme))
    for url in (page_url(programme), reverse("programmes:submission_detail", args=[submission.pk])):
        page = main_content(client.get(url).content.decode())
        assert "Feedback from" not in page and "67" not in page


def test_after_release_the_teacher_reads_the_mark_band_and_one_piece_of_feedback(client, programme):
    # Rewritten for issue 18: the teacher no longer reads both markers' marks and comments
    # side by side. With no agreed feedback written, they read the first marker's.
    released(programme, 70, 72)
    client.force_login(teacher_of(programme))
    page = main_content(client.get(page_url(programme)).content.decode())
    for text in ("Your marks and feedback", "71%", "Distinction"):
        assert text in page
    assert f"Feedback from {programme.tutor.full_name}." in page
    assert f"Feedback from {programme.coach.full_name}." not in page
    assert "Marks for each criterion" not in page


def test_the_teacher_reads_the_agreed_feedback_and_not_the_markers_own(client, programme):
    submission = released(programme, 70, 72)
    Submission.objects.filter(pk=submission.pk).update(
        agreed_feedback="A well-evidenced case study; say more about what you would change."
    )
    client.force_login(teacher_of(programme))
    for url in (page_url(programme), reverse("programmes:submission_detail", args=[submission.pk])):
        page = main_content(client.get(url).content.decode())
        assert "A well-evidenced case study" in page
        assert "71%" in page
        assert "Feedback from" not in page


def test_the_teacher_reads_the_first_markers_feedback_when_the_programme_says(client, programme):
    submission = released(programme, 70, 72)
    Submission.objects.filter(pk=submission.pk).update(agreed_feedback="Agreed words.")
    Programme.objects.filter(pk=programme.programme.pk).update(
        teacher_feedback=Programme.TeacherFeedback.FIRST_MARKER
    )
    client.force_login(teacher_of(programme))
    page = main_content(client.get(page_url(programme)).content.decode())
    assert f"Feedback from {programme.tutor.full_name}." in page
    assert "Agreed words." not in page


def test_the_teacher_reads_each_markers_marks_and_comments_when_the_programme_shows_them(
    client, programme
):
    released(programme, 70, 72)
    Programme.objects.filter(pk=programme.programme.pk).update(show_individual_marking=True)
    client.force_login(teacher_of(programme))
    page = main_content(client.get(page_url(programme)).content.decode())
    for text in (
        "Marks for each criterion",
        "Use of evidence",
        "Critical reflection",
        "71%",
        f"Feedback from {programme.tutor.full_name}.",
        f"Feedback from {programme.coach.full_name}.",
    ):
        assert text in page


def test_the_teachers_coach_reads_what_the_teacher_reads(client, programme):
    submission = released(programme, 70, 72)
    Submission.objects.filter(pk=submission.pk).update(
        first_marker=programme.lead, second_marker=programme.moderator
    )
    Submission.objects.filter(pk=submission.pk).update(agreed_feedback="Agreed words.")
    client.force_login(programme.coach)
    page = client.get(reverse("programmes:submission_detail", args=[submission.pk]))
    page = main_content(page.content.decode())
    assert "Agreed words." in page and "71%" in page
    assert "Marks for each criterion" not in page


def corrected(pw, submission, before, after, reason):
    Submission.objects.filter(pk=submission.pk).update(corrected_mark=after)
    MarkEvent.objects.create(
        trust=pw.trust,
        submission=submission,
        at=timezone.make_aware(dt.datetime(2026, 3, 20, 10, 0)),
        actor=pw.lead,
        kind=MarkEvent.Kind.CORRECTED,
        mark=after,
        previous_mark=before,
        reason=reason,
    )


def test_the_teacher_is_told_of_a_correction_on_the_page_and_the_programme(client, programme):
    submission = released(programme, 70, 72)
    corrected(programme, submission, 71, 65, "The second criterion was added up wrongly.")
    client.force_login(teacher_of(programme))
    page = main_content(client.get(page_url(programme)).content.decode())
    assert (
        "Your mark was corrected from 71% to 65% on 20 March 2026: "
        "The second criterion was added up wrongly." in page
    )
    assert "65%" in page and "Merit" in page
    listing = main_content(client.get(reverse("programmes:my_programme")).content.decode())
    assert "Mark corrected" in listing and "65%" in listing


def test_no_correction_is_told_of_a_mark_never_corrected(client, programme):
    released(programme, 70, 72)
    client.force_login(teacher_of(programme))
    assert "corrected" not in client.get(page_url(programme)).content.decode()
    assert "Mark corrected" not in client.get(reverse("programmes:my_programme")).content.decode()


def test_an_assignment_of_a_programme_the_teacher_is_not_on_is_not_found(client, programme, world):
    client.force_login(world.other_school.teacher)
    assert client.get(page_url(programme)).status_code == 404


# -- reading a submission and its files -------------------------------------------------------


def test_the_tutor_coach_lead_and_moderator_read_a_submission(client, programme):
    submission = submit(programme)
    url = reverse("programmes:submission_detail", args=[submission.pk])
    for person in (programme.tutor, programme.lead, programme.moderator):
        staff_member(programme, person)
    for person in (programme.tutor, programme.coach, programme.lead, programme.moderator):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, person
        assert "My case study of one action step" in response.content.decode()
    assert AuditEvent.objects.filter(verb=READ, subject=teacher_of(programme)).exists()


def test_a_blind_marker_sees_only_their_own_mark_on_the_submission(client, programme):
    submission = submit(programme)
    mark(programme, submission, programme.tutor, 61, 61)
    client.force_login(programme.coach)
    page = client.get(reverse("programmes:submission_detail", args=[submission.pk]))
    assert f"Feedback from {programme.tutor.full_name}." not in page.content.decode()


def test_another_tutor_and_the_head_do_not_find_the_submission(client, programme, world):
    submission = submit(programme)
    staff_member(programme, programme.other_tutor)
    for person in (programme.other_tutor, world.people["headteacher"]):
        client.force_login(person)
        url = reverse("programmes:submission_detail", args=[submission.pk])
        assert client.get(url).status_code == 404


def test_a_file_downloads_under_its_own_name_for_those_who_may_read_it(
    client, programme, media, world
):
    client.force_login(teacher_of(programme))
    client.post(page_url(programme), {"text": "Draft.", "files": [pdf()], "action": "draft"})
    stored = SubmissionFile.objects.get()
    url = reverse("programmes:submission_file", args=[stored.pk])
    response = client.get(url)
    assert response.status_code == 200 and response.as_attachment
    assert 'filename="case study.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_FILE
    client.force_login(programme.coach)
    assert client.get(url).status_code == 200
    client.force_login(world.people["headteacher"])
    assert client.get(url).status_code == 404


# -- the portfolio ----------------------------------------------------------------------------


def portfolio_url(pw):
    return reverse("programmes:portfolio", args=[pw.assignment.module.pk])


def test_the_teacher_adds_and_takes_out_a_reflection(client, programme):
    teacher = teacher_of(programme)
    chosen = reflection(teacher, programme.trust)
    client.force_login(teacher)
    page = client.get(portfolio_url(programme)).content.decode()
    assert chosen.title in page and "Nothing in it yet" in page
    add = reverse("programmes:portfolio_add", args=[programme.assignment.module.pk])
    assert client.post(add, {"item": f"reflection-{chosen.pk}"}).status_code == 302
    entry = PortfolioItem.objects.get()
    assert entry.reflection == chosen
    remove = reverse("programmes:portfolio_remove", args=[entry.pk])
    assert client.post(remove).status_code == 302
    assert not PortfolioItem.objects.exists()


def test_submitted_work_goes_in_the_portfolio(client, programme):
    version = submit(programme).versions.get()
    client.force_login(teacher_of(programme))
    add = reverse("programmes:portfolio_add", args=[programme.assignment.module.pk])
    client.post(add, {"item": f"version-{version.pk}"})
    assert PortfolioItem.objects.get().submission_version == version


def test_someone_elses_reflection_cannot_be_added_and_the_teacher_is_told(client, programme, world):
    theirs = reflection(world.other_school.teacher, programme.trust)
    client.force_login(teacher_of(programme))
    add = reverse("programmes:portfolio_add", args=[programme.assignment.module.pk])
    response = client.post(add, {"item": f"reflection-{theirs.pk}"}, follow=True)
    assert "not one of yours to add" in response.content.decode()
    assert not PortfolioItem.objects.exists()


def test_only_the_teacher_takes_an_item_out_of_their_portfolio(client, programme):
    teacher = teacher_of(programme)
    client.force_login(teacher)
    client.post(
        reverse("programmes:portfolio_add", args=[programme.assignment.module.pk]),
        {"item": f"reflection-{reflection(teacher, programme.trust).pk}"},
    )
    entry = PortfolioItem.objects.get()
    client.force_login(programme.coach)
    assert client.post(reverse("programmes:portfolio_remove", args=[entry.pk])).status_code == 404
    assert PortfolioItem.objects.exists()


def _portfolio_with_reflection(pw):
    teacher = teacher_of(pw)
    chosen = reflection(teacher, pw.trust, title="Waiting time after questions")
    reflection(teacher, pw.trust, title="Private: not for the portfolio")
    PortfolioItem.objects.create(
        trust=pw.trust,
        enrolment=pw.enrolments[0],
        module=pw.assignment.module,
        reflection=chosen,
        added_at=timezone.now(),
    )
    return chosen


def read_url(pw, name="programmes:portfolio_read"):
    return reverse(name, args=[pw.enrolments[0].pk, pw.assignment.module.pk])


def test_the_tutor_reads_only_what_is_in_the_portfolio_and_the_read_is_audited(client, programme):
    _portfolio_with_reflection(programme)
    staff_member(programme, programme.tutor)
    client.force_login(programme.tutor)
    page = client.get(read_url(programme)).content.decode()
    assert "Waiting time after questions" in page and "Private" not in page
    assert AuditEvent.objects.filter(verb=READ, actor=programme.tutor).exists()


def test_a_tutor_who_loses_the_portfolio_before_its_pdf_is_made_gets_no_pdf(
    client, programme, django_capture_on_commit_callbacks
):
    _portfolio_with_reflection(programme)
    staff_member(programme, programme.tutor)
    client.force_login(programme.tutor)
    client.post(read_url(programme, "programmes:portfolio_pdf"))
    with scopes_disabled():
        download = PreparedDownload.objects.get(owner=programme.tutor)
        Membership.objects.filter(user=programme.tutor).delete()
    assert downloads.download_build(download.pk) == "failed"


def test_the_coach_and_the_lead_do_not_find_the_portfolio(client, programme):
    _portfolio_with_reflection(programme)
    staff_member(programme, programme.lead)
    for person in (programme.coach, programme.lead):
        client.force_login(person)
        assert client.get(read_url(programme)).status_code == 404
        assert client.post(read_url(programme, "programmes:portfolio_pdf")).status_code == 404


def test_the_portfolio_downloads_as_a_pdf_with_its_items(
    client, programme, django_capture_on_commit_callbacks
):
    _portfolio_with_reflection(programme)
    staff_member(programme, programme.tutor)
    client.force_login(programme.tutor)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(read_url(programme, "programmes:portfolio_pdf"))
    with scopes_disabled():
        download = PreparedDownload.objects.get(owner=programme.tutor)
    assert asked["Location"] == reverse("downloads:page", args=[download.pk])
    page = client.get(asked["Location"]).content.decode()
    assert read_url(programme) in page  # back to the portfolio
    assert downloads.download_build(download.pk) == "ready"
    response = client.get(reverse("downloads:file", args=[download.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="portfolio-MA1.pdf"' in response["Content-Disposition"]
    tagging = tagging_of(response.content)
    assert tagging["structure"] and tagging["marked"] and tagging["language"].lower() == "en-gb"
    assert tagging["title"].startswith("Portfolio for ")
    found = portfolio_for(
        programme.as_(teacher_of(programme)),
        enrolment_id=programme.enrolments[0].pk,
        module_id=programme.assignment.module.pk,
    )
    html = portfolio_html(found)
    assert "Waiting time after questions" in html and "Private" not in html
