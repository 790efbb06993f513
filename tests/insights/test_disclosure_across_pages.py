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


def test_a_four_week_figure_cannot_be_set_against_the_weeks_shown_to_find_a_hidden_week(client):
    world = build_trust(schools=2, today=timezone.localdate())
    ash = world.schools[0]
    values = _quiet(world)
    # Of 10 pairs due each week, 10, 9 and 8 seen in three weeks and 3 in the last: that week's
    # count is hidden on the school page, so the four weeks' share must not be shown either.
    for w, kept in zip(world.weeks[-4:], (10, 9, 8, 3), strict=True):
        values[("kept", ash.pk, w)] = kept
        values[("missed", ash.pk, w)] = 10 - kept
    fill(world, values)
    figures = _check(client, world)
    trust_share = next(
        f
        for f in figures["trust lead"]
        if f.where == f"trust/schools.csv {ash.name} Seen on rhythm, last 4 weeks"
    )
    assert trust_share.hidden


def test_a_hidden_part_cannot_be_found_from_a_known_whole_when_the_other_parts_are_zero(client):
    world = build_trust(schools=2, today=timezone.localdate())
    ash = world.schools[0]
    values = _quiet(world)
    latest = world.weeks[-1]
    # Three coaches, all seeing fewer than half their teachers on rhythm: "0, 0, fewer than 5"
    # beside the number of coaches would say so of every one of them.
    values[("on", ash.pk, latest)] = 0
    values[("part", ash.pk, latest)] = 0
    values[("off", ash.pk, latest)] = 3
    fill(world, values)
    figures = _check(client, world)
    rhythm = {
        f.where.rsplit(" ", 1)[1]: f.text
        for f in figures["trust lead"]
        if f.where.startswith(f"trust/coaches.csv {ash.name} ")
    }
    assert rhythm["off"] == "fewer than 5"
    assert "hidden" in (rhythm["on"], rhythm["part"])


@pytest.mark.parametrize("seed", range(12))
def test_no_leader_can_work_out_a_hidden_figure_from_everything_they_can_download(client, seed):
    world = build_trust(schools=2 + seed % 2, today=timezone.localdate())
    fill(world, random_values(world, seed))
    figures = _check(client, world)
    hidden = [f for found in figures.values() for f in found if f.hidden]
    assert hidden, "the random counts are small enough to hide some figures"
