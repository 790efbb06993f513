"""Programmes offers its links on the coach's and teacher's home pages through the registry
(``common.navigation``), so coaching names no programme and stands without one."""

from collections import defaultdict

import pytest
from django.urls import reverse

from coachloop.common import navigation

pytestmark = pytest.mark.django_db


def test_programmes_offers_the_teacher_and_coach_homes_a_link_each(world, programme):
    teacher_home = navigation.offers("coaching:teacher_home", world.own.teacher)
    coach_home = navigation.offers("coaching:coach_home", world.own.coach)
    assert [offer.template for offer in teacher_home] == ["programmes/offered.html#teacher-home"]
    assert [offer.template for offer in coach_home] == ["programmes/offered.html#coach-home"]


def test_a_coach_whose_teachers_are_on_no_programme_gets_no_programme_link(client, world):
    client.force_login(world.own.coach)
    page = client.get(reverse("coaching:coach_home")).content.decode()
    assert "My teachers" in page
    assert "programme-teachers-link" not in page


def test_the_teacher_and_coach_homes_stand_without_programmes(
    client, world, programme, monkeypatch
):
    monkeypatch.setattr(navigation, "_PROVIDERS", defaultdict(list))
    client.force_login(world.own.teacher)
    teacher_page = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "My development" in teacher_page and "my-programme-link" not in teacher_page
    client.force_login(world.own.coach)
    coach_page = client.get(reverse("coaching:coach_home")).content.decode()
    assert "My teachers" in coach_page and "programme-teachers-link" not in coach_page
