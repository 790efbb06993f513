"""Marks within tolerance agree on their own only when they fall in the same band of the
assignment: two marks either side of a boundary go to the markers to reconcile, so nobody is
given a band by arithmetic, unless the programme turns that off."""

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.programmes.models import Band, Programme, Submission
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import agree, fresh, mark, submit

pytestmark = pytest.mark.django_db


def marked(pw, first, second):
    submission = submit(pw)
    mark(pw, submission, pw.tutor, first, first)
    mark(pw, submission, pw.coach, second, second)
    return fresh(submission)


def test_marks_within_tolerance_in_different_bands_go_to_reconciliation(programme):
    submission = marked(programme, 68, 72)  # Merit and Distinction, 4 apart (tolerance 5)
    assert submission.status == Submission.Status.IN_MARKING
    assert submission.agreed_mark is None


def test_the_issues_67_and_73_within_a_tolerance_of_6_are_reconciled_too(world, scoped):
    pw = build_programme(world, tolerance=6)
    submission = marked(pw, 67, 73)
    assert (submission.status, submission.agreed_mark) == (Submission.Status.IN_MARKING, None)
    agree(pw, submission, 68, "We read the analysis again together: it is Merit work.")
    assert fresh(submission).agreed_mark == 68


def test_a_programme_that_lets_bands_differ_agrees_them_as_their_mean(world, scoped):
    pw = build_programme(world, bands_must_agree=False)
    submission = marked(pw, 68, 72)
    assert submission.status == Submission.Status.MARKING_DONE
    assert (submission.agreed_mark, submission.agreed_by) == (70, Submission.AgreedBy.MEAN)


def test_marks_in_the_same_band_within_tolerance_still_agree_on_their_own(programme):
    submission = marked(programme, 61, 65)  # both Merit
    assert submission.status == Submission.Status.MARKING_DONE
    assert submission.agreed_mark == 63


def test_a_mark_in_no_band_differs_from_one_in_a_band(world, scoped):
    pw = build_programme(world)
    Band.objects.filter(assignment=pw.assignment, name="Merit").update(lowest=62)  # 60-61 none
    assert marked(pw, 61, 63).status == Submission.Status.IN_MARKING


def test_an_assignment_without_bands_agrees_within_tolerance(world, scoped):
    pw = build_programme(world)
    Band.objects.filter(assignment=pw.assignment).delete()
    assert marked(pw, 68, 72).agreed_mark == 70


def test_new_programmes_want_bands_to_agree_and_the_admin_offers_the_setting(admin_client, world):
    pw = build_programme(world)
    assert pw.programme.bands_must_agree is True
    page = admin_client.get(
        reverse("admin:programmes_programme_change", args=[pw.programme.pk])
    ).content.decode()
    assert 'name="bands_must_agree"' in page
    assert "a band neither marker gave" in page
    marking = page.index(">Marking<")
    assert marking < page.index('name="bands_must_agree"') < page.index(">Moderation<")


# -- the markers' pages -----------------------------------------------------------------------


@pytest.fixture
def across(programme):
    with scopes_disabled():
        MembershipFactory(
            user=programme.tutor, school=None, trust=programme.trust, role=Role.PARTNER_STAFF
        )
    return marked(programme, 68, 72)


def test_the_reconcile_page_tells_the_markers_their_marks_are_in_different_bands(
    client, programme, across
):
    client.force_login(programme.coach)
    response = client.get(reverse("programmes:reconcile", args=[across.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Your two marks are in different bands: Merit from the first marker, Distinction "
        "from the second." in page
    )
    assert "marks apart" not in page


def test_the_markers_are_sent_to_reconcile_marks_across_a_band(client, programme, across):
    client.force_login(programme.tutor)
    queue = client.get(reverse("programmes:marking")).content.decode()
    assert 'id="to-reconcile"' in queue
    page = client.get(reverse("programmes:mark", args=[across.pk])).content.decode()
    assert "The marks are in different bands: agree a mark together" in page
    response = client.post(
        reverse("programmes:reconcile", args=[across.pk]),
        {
            "agreed_mark": "70",
            "reason": "The analysis is Distinction work after all.",
            "feedback": "Distinction: the analysis is sharp.",
        },
    )
    assert response.status_code == 302
    assert across.proposals.get().mark == 70  # the other marker confirms it


def test_marks_far_apart_are_still_explained_by_the_tolerance(client, programme):
    submission = marked(programme, 80, 50)
    client.force_login(programme.coach)
    page = client.get(reverse("programmes:reconcile", args=[submission.pk])).content.decode()
    assert "Your two marks are more than 5 marks apart." in page
    assert "different bands" not in page


def test_the_setting_is_a_programme_field_named_in_plain_words():
    field = Programme._meta.get_field("bands_must_agree")
    assert field.default is True
    assert str(field.verbose_name) == "marks in different bands are reconciled by the markers"
