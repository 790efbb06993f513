"""A teacher is due when the assignment is, unless their tutor gave them a later date: moving
the assignment's deadline (in the admin) moves everyone who has no extension of their own,
drafts or not. Each reader (hand-in, extensions, the teacher's pages, the three-way page,
momentum) uses the date that holds."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.programmes.models import Assignment, Extension, Submission
from coachloop.programmes.queries.momentum import MISSED_DEADLINE
from coachloop.programmes.queries.partnership_pages import enrolment_page
from coachloop.programmes.queries.student_pages import my_programmes, submission_page
from coachloop.programmes.services.submissions import extension_grant, submission_version_add
from tests.common.test_admin_forms import bound_values, management_data
from tests.programmes.fixtures import DUE, build_programme
from tests.programmes.test_marking import ON_TIME
from tests.programmes.test_momentum import reasons

pytestmark = pytest.mark.django_db

LATER = DUE + dt.timedelta(days=7)
AFTER_THE_OLD_DATE = DUE + dt.timedelta(days=1)
data_step = importlib.import_module("coachloop.programmes.migrations.0004_own_due_dates_and_bands")


def add(pw, *, final, now):
    enrolment = pw.enrolments[0]
    version = submission_version_add(
        viewer=pw.as_(enrolment.teacher),
        enrolment=enrolment,
        assignment=pw.assignment,
        text="My case study, as far as I have got.",
        final=final,
        now=now,
    )
    return Submission.objects.get(pk=version.submission_id)


def move_deadline(pw, due_at):
    Assignment.objects.filter(pk=pw.assignment.pk).update(due_at=due_at)


def extend(pw, submission, due_at):
    return extension_grant(
        viewer=pw.as_(pw.tutor),
        submission=submission,
        due_at=due_at,
        reason="A family emergency in the week before the deadline.",
        now=ON_TIME,
    )


def the_teachers_row(pw):
    (mine,) = my_programmes(pw.as_(pw.enrolments[0].teacher))
    return mine.modules[0].rows[0]


def test_a_draft_saved_before_the_deadline_moved_follows_the_assignment(programme):
    add(programme, final=False, now=ON_TIME)
    move_deadline(programme, LATER)
    handed_in = add(programme, final=True, now=AFTER_THE_OLD_DATE)
    assert not handed_in.is_late and handed_in.extended_due_at is None
    page = submission_page(programme.as_(programme.enrolments[0].teacher), programme.assignment.pk)
    assert page.due_at == LATER and not page.extended
    row = the_teachers_row(programme)
    assert row.due_at == LATER and not row.extended and not row.late


def test_moving_the_deadline_in_the_admin_keeps_a_drafter_on_time_and_never_extended(
    admin_client, world
):
    pw = build_programme(world)
    with trust_scope(world.trust):
        add(pw, final=False, now=ON_TIME)
    change = reverse("admin:programmes_assignment_change", args=[pw.assignment.pk])
    form_page = admin_client.get(change)
    later = timezone.localtime(LATER)
    data = bound_values(form_page.context["adminform"].form) | management_data(form_page)
    data |= {"due_at_0": later.date().isoformat(), "due_at_1": later.strftime("%H:%M:%S")}
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["errors"]
    with scopes_disabled():
        assert Assignment.objects.get(pk=pw.assignment.pk).due_at == LATER
    with trust_scope(world.trust):
        assert not add(pw, final=True, now=AFTER_THE_OLD_DATE).is_late
    admin_client.force_login(pw.enrolments[0].teacher)
    for page in (
        reverse("programmes:my_programme"),
        reverse("programmes:submission", args=[pw.assignment.pk]),
    ):
        content = admin_client.get(page).content.decode()
        assert "27 March 2026" in content
        assert "Extended" not in content and "first due" not in content


def test_a_teacher_with_a_draft_is_late_against_a_deadline_moved_earlier(programme):
    add(programme, final=False, now=ON_TIME - dt.timedelta(days=5))
    move_deadline(programme, ON_TIME - dt.timedelta(days=2))
    assert add(programme, final=True, now=ON_TIME).is_late


def test_an_extension_still_wins_over_the_assignments_date(programme):
    draft = add(programme, final=False, now=ON_TIME)
    extend(programme, draft, LATER)
    move_deadline(programme, DUE + dt.timedelta(days=2))
    handed_in = add(programme, final=True, now=DUE + dt.timedelta(days=5))
    assert handed_in.due_at == LATER and handed_in.is_extended and not handed_in.is_late
    row = the_teachers_row(programme)
    assert row.due_at == LATER and row.extended


def test_a_deadline_moved_past_an_extension_holds_and_is_no_extension(programme):
    draft = add(programme, final=False, now=ON_TIME)
    extend(programme, draft, DUE + dt.timedelta(days=3))
    move_deadline(programme, LATER)
    handed_in = add(programme, final=True, now=DUE + dt.timedelta(days=5))
    assert handed_in.due_at == LATER and not handed_in.is_extended and not handed_in.is_late


def test_an_extension_must_be_later_than_the_date_that_holds(programme):
    draft = add(programme, final=False, now=ON_TIME)
    move_deadline(programme, LATER)
    with pytest.raises(Exception, match="later than it is now"):
        extend(programme, draft, DUE + dt.timedelta(days=3))  # after the old date only
    assert Submission.objects.get(pk=draft.pk).extended_due_at is None
    assert not Extension.objects.filter(submission=draft).exists()
    extend(programme, draft, LATER + dt.timedelta(days=3))
    with pytest.raises(Exception, match="later than it is now"):
        extend(programme, draft, LATER + dt.timedelta(days=1))  # before their extension
    assert Submission.objects.get(pk=draft.pk).due_at == LATER + dt.timedelta(days=3)


def test_the_three_way_page_shows_the_moved_deadline_to_the_tutor(programme):
    add(programme, final=False, now=ON_TIME)
    move_deadline(programme, LATER)
    enrolment = programme.enrolments[0]
    page = enrolment_page(programme.as_(programme.tutor), enrolment=enrolment)
    assert [row.due_at for row in page.work] == [LATER]


def test_a_drafter_is_not_flagged_for_a_missed_deadline_that_moved_later(programme):
    add(programme, final=False, now=ON_TIME)
    move_deadline(programme, LATER)
    assert MISSED_DEADLINE not in reasons(programme, now=AFTER_THE_OLD_DATE)
    assert MISSED_DEADLINE in reasons(programme, now=LATER + dt.timedelta(hours=1))


# -- the migration's data step (0004) ---------------------------------------------------------


def stale(pw, enrolment, *, due_at, status, submitted_at=None, is_late=False):
    """A submission as it stood before 0004: the due time copied into it when it was saved."""
    return Submission.objects.create(
        trust=pw.trust,
        enrolment=enrolment,
        assignment=pw.assignment,
        status=status,
        extended_due_at=due_at,
        submitted_at=submitted_at,
        is_late=is_late,
    )


def test_the_data_step_keeps_only_granted_extensions_and_clears_stale_lateness(world, scoped):
    pw = build_programme(world, teachers=5)
    move_deadline(pw, LATER)  # the deadline moved after they had all saved a draft
    S = Submission.Status
    copied = stale(pw, pw.enrolments[0], due_at=DUE, status=S.DRAFTING)
    victim = stale(
        pw, pw.enrolments[1], due_at=DUE, status=S.NOT_MARKED,
        submitted_at=AFTER_THE_OLD_DATE, is_late=True,
    )  # fmt: skip
    really_late = stale(
        pw, pw.enrolments[2], due_at=DUE, status=S.IN_MARKING,
        submitted_at=LATER + dt.timedelta(hours=1), is_late=True,
    )  # fmt: skip
    released = stale(
        pw, pw.enrolments[3], due_at=DUE, status=S.RELEASED,
        submitted_at=AFTER_THE_OLD_DATE, is_late=True,
    )  # fmt: skip
    extended = stale(pw, pw.enrolments[4], due_at=LATER + dt.timedelta(days=7), status=S.DRAFTING)
    Extension.objects.create(
        trust=pw.trust,
        submission=extended,
        due_at=extended.extended_due_at,
        reason="Illness.",
        granted_by=pw.tutor,
        granted_at=ON_TIME,
    )
    data_step.own_due_dates_only(django_apps, None)

    def now(submission):
        return Submission.objects.get(pk=submission.pk)

    assert now(copied).extended_due_at is None and now(copied).due_at == LATER
    assert now(victim).extended_due_at is None and not now(victim).is_late
    assert now(really_late).is_late
    assert now(released).is_late  # released work is left as it was
    assert now(extended).extended_due_at == LATER + dt.timedelta(days=7)

    data_step.copied_due_dates(django_apps, None)
    assert now(copied).extended_due_at == LATER
    assert now(extended).extended_due_at == LATER + dt.timedelta(days=7)
