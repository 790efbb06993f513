"""The share of steps a teacher proposed themselves, term by term (month by month where the
trust has set no terms)."""

import datetime as dt

import pytest

from coachloop.coaching.queries.progression import (
    periods_for,
    proposed_share,
    terms_between,
)
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import AcademicYear, Term
from tests.factories import ActionStepFactory

pytestmark = pytest.mark.django_db

AUTUMN = dt.date(2025, 10, 6)
SPRING = dt.date(2026, 2, 2)


def _school_year(trust):
    with scopes_disabled():
        year = AcademicYear.objects.create(
            trust=trust,
            name="2025/26",
            starts_on=dt.date(2025, 9, 1),
            ends_on=dt.date(2026, 8, 31),
        )
        for name, starts, ends in (
            ("Autumn term", dt.date(2025, 9, 3), dt.date(2025, 12, 19)),
            ("Spring term", dt.date(2026, 1, 5), dt.date(2026, 3, 27)),
            ("Summer term", dt.date(2026, 4, 13), dt.date(2026, 7, 22)),
        ):
            Term.objects.create(
                trust=trust, academic_year=year, name=name, starts_on=starts, ends_on=ends
            )


def _steps(world, plan):
    """``plan``: (set_on, proposed by the teacher?) for each step."""
    rel = world.own.relationship
    with scopes_disabled():
        return [
            ActionStepFactory(
                relationship=rel,
                set_on=on,
                closed_on=on,
                proposed_by=rel.teacher if by_teacher else rel.coach,
            )
            for on, by_teacher in plan
        ]


def test_the_share_is_counted_term_by_term(world):
    _school_year(world.trust)
    steps = _steps(
        world,
        [
            (AUTUMN, True),
            (AUTUMN, False),
            (AUTUMN + dt.timedelta(days=30), False),
            (AUTUMN + dt.timedelta(days=60), True),  # 5 December: still the autumn term
            (SPRING, True),
            (SPRING + dt.timedelta(days=7), True),
        ],
    )
    with scopes_disabled():
        terms = terms_between(world.trust, AUTUMN, SPRING)
    rows = proposed_share(steps, world.own.teacher, terms)
    assert [(r.label, r.steps, r.proposed, r.percent) for r in rows] == [
        ("Autumn term 2025/26", 4, 2, 50),
        ("Spring term 2025/26", 2, 2, 100),
    ]


def test_a_step_set_in_the_holidays_counts_in_the_term_before(world):
    _school_year(world.trust)
    with scopes_disabled():
        terms = terms_between(world.trust, dt.date(2025, 9, 1), dt.date(2026, 4, 1))
    periods = periods_for([dt.date(2025, 12, 29), dt.date(2026, 4, 1), dt.date(2025, 9, 1)], terms)
    assert periods[dt.date(2025, 12, 29)].label == "Autumn term 2025/26"
    assert periods[dt.date(2026, 4, 1)].label == "Spring term 2025/26"
    # Before the first term starts, a day counts in the year's first term.
    assert periods[dt.date(2025, 9, 1)].label == "Autumn term 2025/26"


def test_without_terms_the_share_is_counted_month_by_month(world):
    steps = _steps(world, [(AUTUMN, True), (AUTUMN + dt.timedelta(days=31), False)])
    rows = proposed_share(steps, world.own.teacher, [])
    assert [(r.label, r.steps, r.proposed) for r in rows] == [
        ("October 2025", 1, 1),
        ("November 2025", 1, 0),
    ]


def test_steps_whose_proposer_is_not_known_are_left_out(world):
    steps = _steps(world, [(AUTUMN, True), (AUTUMN, False)])
    steps[1].proposed_by_id = None
    rows = proposed_share(steps, world.own.teacher, [])
    assert [(r.steps, r.proposed, r.percent) for r in rows] == [(1, 1, 100)]


def test_a_step_imported_with_its_coachs_name_counts_as_proposed_by_the_coach(world):
    steps = _steps(world, [(AUTUMN, True), (AUTUMN, False)])
    steps[1].proposed_by_id = None
    steps[1].as_imported = {"proposed_by": {"name": "A coach elsewhere"}}
    rows = proposed_share(steps, world.own.teacher, [])
    assert [(r.steps, r.proposed, r.percent) for r in rows] == [(2, 1, 50)]
