"""An assignment's submissions as rows (queries/submission_rows.py): a row whose marks the
viewer may not see carries none of them, each row offers the viewer only the links their part
allows, and a page of more rows translates no more texts and reverses no more routes."""

import pytest
from django.urls import reverse
from django.urls.resolvers import URLResolver
from django.utils import translation

from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import Enrolment, Submission
from coachloop.programmes.queries.staff_pages import assignment_page
from tests.programmes.fixtures import build_programme, main_content
from tests.programmes.test_marking import submit
from tests.programmes.test_moderation_reaches_people import NOTE, moderated  # noqa: F401
from tests.programmes.test_pages_staff import as_lead

pytestmark = pytest.mark.django_db


def _row(pw, person, submission):
    page = assignment_page(pw.as_(person), pw.assignment.pk)
    return next(row for row in page.rows if row.pk == submission.pk)


def test_a_row_whose_marks_are_hidden_carries_no_mark_and_no_moderators_change_or_note(
    client,
    moderated,  # noqa: F811
):
    pw = moderated
    with scopes_disabled():  # the tutor tutors the teacher but marks someone else's work
        Submission.objects.filter(pk=pw.changed.pk).update(first_marker=pw.other_tutor)
        Enrolment.objects.filter(pk=pw.changed.enrolment_id).update(tutor=pw.tutor)
    row = _row(pw, pw.tutor, pw.changed)
    assert not row.marks_shown
    assert (row.agreed_mark, row.final_mark, row.moderation_note) == (None, None, "")
    assert row.moderation == "Moderated"
    client.force_login(pw.tutor)
    url = reverse("programmes:assignment", args=[pw.assignment.pk])
    shown = main_content(client.get(url).content.decode())
    assert "Not yours to see" in shown and NOTE not in shown and "Changed from" not in shown


def test_the_lead_reads_the_moderators_change_name_and_note_in_the_row(moderated):  # noqa: F811
    pw = moderated
    row = _row(pw, pw.lead, pw.changed)
    assert row.final_mark == 50
    assert row.moderation == (
        f"Changed from {pw.changed.agreed_mark} to 50 by {pw.moderator.full_name}"
    )
    assert row.moderation_note_line == f"Note: {NOTE}"


def test_each_row_offers_the_lead_its_actions_a_moderator_its_history_and_a_tutor_neither(
    moderated,  # noqa: F811
):
    pw = moderated
    waiting = pw.sample[1]  # sampled, not yet moderated: its markers can still change
    board = reverse("programmes:submission_board", args=[waiting.pk])
    second = reverse("programmes:marker_replace", args=[waiting.pk, "second"])
    lead = _row(pw, pw.lead, waiting)
    assert (lead.history_url, lead.second_marker_url) == (board, second)
    assert lead.sample_url is None  # already in the sample
    assert lead.adjudicate_url is lead.resubmission_url is lead.third_marker_url is None
    moderator = _row(pw, pw.moderator, waiting)
    assert moderator.history_url == board and moderator.second_marker_url is None
    tutor = _row(pw, pw.tutor, waiting)
    assert tutor.history_url is tutor.second_marker_url is None


def test_a_row_names_each_of_its_markers_and_the_teacher_whose_work_it_is(
    moderated,  # noqa: F811
):
    pw = moderated
    waiting = pw.sample[1]
    with scopes_disabled():
        Submission.objects.filter(pk=waiting.pk).update(
            first_marker=pw.tutor, second_marker=pw.other_tutor, third_marker=pw.moderator
        )
    row = _row(pw, pw.lead, waiting)
    assert row.teacher == waiting.enrolment.teacher.full_name
    assert row.first_marker_line == f"First: {pw.tutor.full_name}"
    assert row.second_marker_line == f"Second: {pw.other_tutor.full_name}"
    assert row.third_marker_line == f"Third: {pw.moderator.full_name}"
    assert row.third_marker_url == reverse("programmes:marker_replace", args=[waiting.pk, "third"])
    others = [
        r for r in assignment_page(pw.as_(pw.lead), pw.assignment.pk).rows if r.pk != waiting.pk
    ]
    assert all(r.third_marker is None and r.third_marker_url is None for r in others)


def test_a_resubmitted_attempt_says_so_in_its_row(world, scoped):
    pw = build_programme(world)
    first = submit(pw)
    with scopes_disabled():
        Submission.objects.filter(pk=first.pk).update(is_current=False, attempt=2)
    assert _row(pw, pw.lead, first).attempt_note == "Attempt 2, replaced by a resubmission"
    with scopes_disabled():
        Submission.objects.filter(pk=first.pk).update(is_current=True)
    assert _row(pw, pw.lead, first).attempt_note == "Attempt 2"


def _lookups(client, url):
    """(texts translated, routes reversed) in showing ``url``."""
    counts = {"texts": 0, "routes": 0}
    gettext, reverse_with_prefix = translation._trans.gettext, URLResolver._reverse_with_prefix

    def counted_gettext(message):
        counts["texts"] += 1
        return gettext(message)

    def counted_reverse(resolver, *args, **kwargs):
        counts["routes"] += 1
        return reverse_with_prefix(resolver, *args, **kwargs)

    translation._trans.gettext = counted_gettext
    URLResolver._reverse_with_prefix = counted_reverse
    try:
        assert client.get(url).status_code == 200
    finally:
        translation._trans.gettext = gettext
        URLResolver._reverse_with_prefix = reverse_with_prefix
    return counts


def test_more_rows_translate_no_more_texts_and_reverse_no_more_routes(client, world, scoped):
    pw = build_programme(world, teachers=4)
    url = reverse("programmes:assignment", args=[pw.assignment.pk])
    submit(pw, pw.enrolments[0])
    as_lead(client, pw).get(url)  # the site's header links are made once, on a first page
    one_row = _lookups(client, url)
    for enrolment in pw.enrolments[1:]:
        submit(pw, enrolment)
    assert _lookups(client, url) == one_row
