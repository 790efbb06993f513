"""A row's link made from a route reversed once for the page is the URL reverse() gives."""

from unittest import mock

from django.urls import reverse

from coachloop.common import links
from coachloop.common.links import RowLink


def test_a_row_link_is_the_url_reverse_gives_for_each_row():
    board = RowLink("programmes:submission_board")
    second = RowLink("programmes:marker_replace", "second")
    for pk in (1, 42, 987654):
        assert board(pk) == reverse("programmes:submission_board", args=[pk])
        assert second(pk) == reverse("programmes:marker_replace", args=[pk, "second"])


def test_a_row_link_reverses_its_route_once_and_only_when_a_row_needs_it():
    with mock.patch.object(links, "reverse", wraps=reverse) as reversed_:
        board = RowLink("programmes:submission_board")
        assert reversed_.call_count == 0
        urls = [board(pk) for pk in range(1, 26)]
    assert reversed_.call_count == 1
    assert urls[24] == reverse("programmes:submission_board", args=[25])


def test_a_row_link_may_have_arguments_before_the_row_id():
    training = RowLink("rollout:team_training", before=["north-school"])
    for pk in (1, 42, 987654):
        assert training(pk) == reverse("rollout:team_training", args=["north-school", pk])
