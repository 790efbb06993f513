"""What apps offer on each other's pages, through the registry in ``common.navigation``."""

from collections import defaultdict

import pytest

from coachloop.common import navigation
from coachloop.common.navigation import Offer


@pytest.fixture
def registry(monkeypatch):
    """An empty registry, so these tests neither see nor leave the apps' own offers."""
    monkeypatch.setattr(navigation, "_PROVIDERS", defaultdict(list))


def _groups_offer(viewer):
    return [Offer("groups.html#mine", {"count": 2})] if viewer == "member" else []


def _time_offer(viewer):
    return [Offer("time.html#mine")]


def test_a_page_gets_what_each_app_offers_its_viewer_in_the_order_they_offered_it(registry):
    navigation.contribute("page", _groups_offer)
    navigation.contribute("page", _time_offer)
    assert navigation.offers("page", "member") == [
        Offer("groups.html#mine", {"count": 2}),
        Offer("time.html#mine"),
    ]


def test_an_app_with_nothing_for_the_viewer_offers_nothing(registry):
    navigation.contribute("page", _groups_offer)
    assert navigation.offers("page", "someone else") == []


def test_an_offer_on_one_page_is_not_made_on_another(registry):
    navigation.contribute("page", _time_offer)
    assert navigation.offers("another page", "member") == []


def test_an_app_ready_twice_offers_once(registry):
    navigation.contribute("page", _time_offer)
    navigation.contribute("page", _time_offer)
    assert navigation.offers("page", "member") == [Offer("time.html#mine")]
