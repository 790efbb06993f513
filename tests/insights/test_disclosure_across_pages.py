"""Every figure a leader can obtain, across all their pages and downloads together, gives no
hidden figure away (tests/insights/disclosure.py says how this is worked out)."""

import pytest
from django.utils import timezone

from tests.insights.disclosure import (
    build_trust,
    figures_by_viewer,
    fill,
    given_away,
    random_values,
    wrong_values,
)

pytestmark = pytest.mark.django_db


def _check(client, world):
    figures = figures_by_viewer(client, world)
    wrong = [w for found in figures.values() for w in wrong_values(found, world.values)]
    assert not wrong, "\n".join(wrong)
    leaks = given_away(figures, world.values)
    assert not leaks, "\n".join(leaks)
    return figures


def _quiet(world):
    """Atoms for a trust where nothing is small: every figure is on show."""
    values = {}
    for school in world.schools:
        for w in world.weeks:
            values[("kept", school.pk, w)] = 10
            values[("missed", school.pk, w)] = 5
            for part in ("on", "part", "off"):
                values[(part, school.pk, w)] = 5
    return values


def test_a_head_cannot_take_their_school_from_the_trust_total_to_find_the_other_school(client):
    world = build_trust(schools=2, today=timezone.localdate())
    ash, birch = world.schools
    step = world.steps[0][1]
    values = _quiet(world)
    first, second = world.weeks[0], world.weeks[1]
    # Ash set the step 7 times; Birch twice, which Birch's page hides.
    values[("set", ash.pk, first, step.pk)] = 4
    values[("set", ash.pk, second, step.pk)] = 3
    values[("set", birch.pk, first, step.pk)] = 2
    values[("set", birch.pk, first, world.steps[1][1].pk)] = 9
    fill(world, values)
    figures = _check(client, world)
    trust_cell = next(
        f for f in figures[f"head of {ash.name}"] if f.where == f"trust/steps.csv {step.title} set"
    )
    assert trust_cell.text == "7"  # Ash's 7, not 9: Birch's 2 cannot be subtracted out


def test_a_terms_figure_cannot_be_taken_from_the_years_to_find_a_hidden_term(client):
    world = build_trust(schools=2, today=timezone.localdate())
    ash = world.schools[0]
    (first_term, first_weeks), (second_term, second_weeks) = world.terms
    first, second = min(first_weeks), min(second_weeks)
    one, two = world.steps[0][1], world.steps[1][1]
    values = _quiet(world)
    # The steps table shows each step's year: 5 and 7, so 12 steps in all. The first term set 9
    # and the second 3, which is hidden: the first term's 9 must not be shown beside the 12.
    values[("set", ash.pk, first, one.pk)] = 5
    values[("set", ash.pk, first, two.pk)] = 4
    values[("set", ash.pk, second, two.pk)] = 3
    fill(world, values)
    figures = _check(client, world)
    terms = {
        f.where.rsplit(" ", 1)[0]: f.text
        for f in figures[f"head of {ash.name}"]
        if f.where.startswith(f"{ash.slug}/proposed.csv") and f.where.endswith(" set")
    }
    assert terms == {
        f"{ash.slug}/proposed.csv {first_term}": "hidden",
        f"{ash.slug}/proposed.csv {second_term}": "hidden",
    }


def test_a_hidden_part_cannot_be_found_from_a_known_whole_when_the_other_parts_are_zero(client):
    world = build_trust(schools=2, today=timezone.localdate())
    ash = world.schools[0]
    (_term, weeks), (_other, later) = world.terms
    week = min(weeks)
    behaviour, questioning, other_question = world.steps[0][1], world.steps[7][1], world.steps[8][1]
    values = _quiet(world)
    # Questioning: one step set 3 times, another never set (but embedded, so it has a row).
    # Beside "0" and the year's total, "hidden" would be exactly 3.
    values[("set", ash.pk, week, behaviour.pk)] = 6
    values[("set", ash.pk, min(later), behaviour.pk)] = 6
    values[("set", ash.pk, week, questioning.pk)] = 3
    values[("emb", ash.pk, week, other_question.pk)] = 1
    fill(world, values)
    figures = _check(client, world)
    cells = {
        f.where.split(" ", 1)[1]: f.text
        for f in figures["trust lead"]
        if f.where.startswith(f"{ash.slug}/steps.csv")
    }
    assert cells[f"{questioning.title} set"] == "hidden"
    assert cells[f"{other_question.title} set"] == "hidden"  # a zero, hidden beside it


@pytest.mark.parametrize("seed", range(12))
def test_no_leader_can_work_out_a_hidden_figure_from_everything_they_can_download(client, seed):
    world = build_trust(schools=2 + seed % 2, today=timezone.localdate())
    fill(world, random_values(world, seed))
    figures = _check(client, world)
    hidden = [f for found in figures.values() for f in found if f.hidden]
    assert hidden, "the random counts are small enough to hide some figures"
