"""What a school's dashboard reads and works out to draw itself: its school once, and each
week's words once, however many tables and charts name that week."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from coachloop.insights import figures, tables
from coachloop.insights.rollups import rollups_update
from tests.insights.helpers import coached_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def coached(world):
    today = timezone.localdate()
    coached_school(world.own.school, today=today, framework_step=world.own.framework_step)
    rollups_update(trust=world.trust, today=today)


def _school_reads(client, world, persona):
    client.force_login(world.people[persona])
    url = reverse("insights:school", args=[world.own.school.slug])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured if q["sql"].startswith('SELECT "people_school"')]


def test_a_heads_own_school_comes_with_their_roles_and_is_not_read_again(client, world, coached):
    assert _school_reads(client, world, "headteacher") == []
    assert _school_reads(client, world, "coaching_lead") == []


def test_a_trust_lead_s_school_is_read_as_it_is_not_among_their_roles(client, world, coached):
    assert len(_school_reads(client, world, "trust_lead")) == 1


def test_each_week_is_named_once_though_three_tables_and_three_charts_name_it(
    client, world, coached, monkeypatch
):
    named = Counter()

    def counted(day, fmt):
        named[(day, fmt)] += 1
        return formats.date_format(day, fmt)

    monkeypatch.setattr(figures, "date_format", counted)
    monkeypatch.setattr(tables, "date_format", counted)
    client.force_login(world.people["headteacher"])
    page = client.get(reverse("insights:school", args=[world.own.school.slug])).content.decode()
    assert named, "the weeks are named through figures.WeekRow"
    assert max(named.values()) == 1
    last_week = max(day for day, _ in named)
    assert f">{formats.date_format(last_week, 'j M Y')}</th>" in page  # heading a table's row
    assert f"<title>{formats.date_format(last_week, 'j M')}: " in page  # titling a chart's bar
