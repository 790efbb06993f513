"""A submission's files are sent to exactly those the submission page shows them to: drafts
to the teacher, their coach and their tutor; the final version to its markers and the
programme's lead and moderator too. File ids are sequential, so a file that is not listed
for someone must not download for them either."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from coachloop.programmes.models import Mark, Programme, SubmissionFile, SubmissionVersion
from coachloop.programmes.services.markers import marker_replace
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme
from tests.upload_files import blank_pdf

pytestmark = pytest.mark.django_db

PDF_FILE = blank_pdf()  # a real PDF: uploads are parsed to look for active content


def pdf(name):
    return SimpleUploadedFile(name, PDF_FILE, content_type="application/pdf")


def hand_in(client, pw, *, draft="draft.pdf", final="final.pdf"):
    """The teacher saves a draft with a file and, unless ``final`` is None, hands in the final
    version with another. Returns the two files' download addresses."""
    teacher = pw.enrolments[0].teacher
    client.force_login(teacher)
    page = reverse("programmes:submission", args=[pw.assignment.pk])
    client.post(page, {"text": "A rough first draft.", "files": [pdf(draft)], "action": "draft"})
    if final:
        client.post(
            page,
            {
                "text": "The work itself.",
                "files": [pdf(final)],
                "action": "final",
                "confirm_final": "on",
            },
        )
    with scopes_disabled():
        files = {f.version.kind: f for f in SubmissionFile.objects.select_related("version")}
    return {
        kind: reverse("programmes:submission_file", args=[found.pk])
        for kind, found in files.items()
    }


def on_the_programme(pw, *people):
    with scopes_disabled():
        for person in people:
            MembershipFactory(user=person, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)


def submission_page(client, pw):
    with scopes_disabled():
        submission = SubmissionFile.objects.select_related("version").first().version.submission
    return client.get(reverse("programmes:submission_detail", args=[submission.pk])).text


@pytest.fixture
def second_tutor_marks(world):
    with trust_scope(world.trust):
        yield build_programme(world, second_marker=Programme.SecondMarker.TUTOR)


def test_the_lead_and_moderator_get_the_final_file_but_not_a_draft_file(client, world, media):
    with trust_scope(world.trust):
        pw = build_programme(world)
    urls = hand_in(client, pw)
    on_the_programme(pw, pw.lead, pw.moderator)
    for person in (pw.lead, pw.moderator):
        client.force_login(person)
        page = submission_page(client, pw)
        assert "final.pdf" in page and "draft.pdf" not in page
        assert client.get(urls[SubmissionVersion.Kind.FINAL]).status_code == 200
        assert client.get(urls[SubmissionVersion.Kind.DRAFT]).status_code == 404, person


def test_the_teacher_their_coach_and_their_tutor_get_every_file(client, world, media):
    with trust_scope(world.trust):
        pw = build_programme(world)
    urls = hand_in(client, pw)
    on_the_programme(pw, pw.tutor)
    for person in (pw.enrolments[0].teacher, pw.coach, pw.tutor):
        client.force_login(person)
        page = submission_page(client, pw)
        assert "final.pdf" in page and "draft.pdf" in page
        for url in urls.values():
            assert client.get(url).status_code == 200, person


def test_a_second_tutor_marking_gets_the_final_file_but_not_a_draft_file(
    client, world, media, second_tutor_marks
):
    pw = second_tutor_marks
    urls = hand_in(client, pw)
    on_the_programme(pw, pw.lead, pw.other_tutor)
    with scopes_disabled():
        submission = SubmissionFile.objects.first().version.submission
    with trust_scope(world.trust):
        marker_replace(
            viewer=pw.as_(pw.lead),
            submission=submission,
            position=Mark.Position.SECOND,
            person=pw.other_tutor,
        )
    client.force_login(pw.other_tutor)
    assert client.get(urls[SubmissionVersion.Kind.FINAL]).status_code == 200
    assert client.get(urls[SubmissionVersion.Kind.DRAFT]).status_code == 404


def test_a_draft_file_of_work_not_yet_handed_in_is_not_sent_to_the_lead(client, world, media):
    with trust_scope(world.trust):
        pw = build_programme(world)
    urls = hand_in(client, pw, final=None)
    on_the_programme(pw, pw.lead)
    client.force_login(pw.lead)
    assert "draft.pdf" not in submission_page(client, pw)
    assert client.get(urls[SubmissionVersion.Kind.DRAFT]).status_code == 404
