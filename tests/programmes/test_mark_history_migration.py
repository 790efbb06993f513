"""Migrations programmes.0005 and 0006 run for real: what existed before the mark history was
kept becomes its first entries, a live claim on a whole submission becomes the claimant's claim
on their slot, and programmes that ran before keep showing teachers what they showed them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coachloop.common.tenancy import scopes_disabled
from tests.programmes.fixtures import DUE, build_programme
from tests.world import build_world

BEFORE = [("programmes", "0004_own_due_dates_and_bands")]
AFTER = [("programmes", "0006_mark_history_data")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_rows(apps, pw):
    """As 0004 left them: one submission marked, reconciled, moderated and released; another
    held by its second marker."""
    Submission = apps.get_model("programmes", "Submission")
    Mark = apps.get_model("programmes", "Mark")
    common = {"trust_id": pw.trust.pk, "assignment_id": pw.assignment.pk}
    released_one, held_one = pw.enrolments
    released = Submission.objects.create(
        enrolment_id=released_one.pk,
        status="released",
        submitted_at=DUE,
        first_marker_id=pw.tutor.pk,
        second_marker_id=pw.coach.pk,
        agreed_mark=63,
        agreed_by="reconciled",
        agreed_reason="We met and agreed.",
        reconciled_by_id=pw.coach.pk,
        in_sample=True,
        moderator_id=pw.moderator.pk,
        moderated_mark=66,
        moderation_note="Analysis is stronger than both said.",
        moderated_at=DUE + dt.timedelta(days=9),
        released_at=DUE + dt.timedelta(days=10),
        **common,
    )
    for position, marker, overall, day in (("first", pw.tutor, 72, 2), ("second", pw.coach, 55, 3)):
        Mark.objects.create(
            trust_id=pw.trust.pk,
            submission_id=released.pk,
            position=position,
            marker_id=marker.pk,
            overall=overall,
            comments="Clear.",
            submitted_at=DUE + dt.timedelta(days=day),
        )
    held = Submission.objects.create(
        enrolment_id=held_one.pk,
        status="not_marked",
        submitted_at=DUE,
        first_marker_id=pw.tutor.pk,
        second_marker_id=pw.coach.pk,
        claimed_by_id=pw.coach.pk,
        claimed_until=DUE + dt.timedelta(days=1),
        **common,
    )
    return released.pk, held.pk


@pytest.mark.django_db(transaction=True)
def test_the_migrations_rebuild_the_history_and_move_claims_to_the_marker_slot():
    world = build_world()
    with scopes_disabled():
        pw = build_programme(world, teachers=2)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        released, held = _old_rows(_migrate(BEFORE), pw)
        apps = _migrate(AFTER)
        events = apps.get_model("programmes", "MarkEvent")._base_manager
        history = [
            (e.kind, e.position, e.mark, e.actor_id)
            for e in events.filter(submission_id=released).order_by("at", "pk")
        ]
        assert history == [
            ("marked", "first", 72, pw.tutor.pk),
            ("marked", "second", 55, pw.coach.pk),
            ("confirmed", "", 63, pw.coach.pk),
            ("moderated", "", 66, pw.moderator.pk),
            ("released", "", 66, None),
        ]
        assert all("before the mark history" in e.reason for e in events.all())
        claim = apps.get_model("programmes", "MarkClaim")._base_manager.get()
        assert (claim.submission_id, claim.position, claim.marker_id) == (
            held,
            "second",
            pw.coach.pk,
        )
        programme = apps.get_model("programmes", "Programme")._base_manager.get(pk=pw.programme.pk)
        assert programme.teacher_feedback == "first_marker"
        assert programme.show_individual_marking
        _migrate(BEFORE)
        _migrate(AFTER)
        assert events.filter(submission_id=released).count() == 5
    finally:
        _migrate(latest)


@pytest.mark.django_db
def test_a_new_programme_gives_teachers_the_agreed_feedback_only():
    world = build_world()
    with scopes_disabled():
        pw = build_programme(world)
    assert pw.programme.teacher_feedback == "agreed"
    assert not pw.programme.show_individual_marking
    assert pw.programme.cap_resubmissions
