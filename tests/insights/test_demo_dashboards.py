"""The demo's primary school is the size most English primaries are: its head still learns the
facts they answer for."""

import io
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import User
from tests.insights.downloaded import csv_cells

pytestmark = pytest.mark.django_db

HIDDEN = {"fewer than 5", "hidden"}


def _rows(response):
    header, *rows = csv_cells(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _summary(page):
    """The "Coverage and coaches" summary list, as {key: value} text."""
    block = page.split('id="progress"', 1)[1].split("</dl>", 1)[0]
    pairs = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
        r'<dd class="govuk-summary-list__value">(.*?)</dd>',
        block,
        flags=re.S,
    )
    return {unescape(k).strip(): unescape(re.sub(r"<[^>]+>", "", v)).strip() for k, v in pairs}


def test_the_demo_primarys_head_sees_coverage_drop_ins_and_trained_coaches_as_numbers(client):
    call_command("load_demo", stdout=io.StringIO())
    with scopes_disabled():
        head = User.objects.get(email="head@riverside.example.org")
        school = head.memberships.get(role="headteacher").school
    assert "Primary" in school.name
    client.force_login(head)
    page = client.get(reverse("insights:school", args=[school.slug])).content.decode()

    summary = _summary(page)
    assert re.fullmatch(r"\d+", summary["Teachers"])
    assert re.fullmatch(r"\d+ \(\d+%\)(, aiming for \d+%)?", summary["Teachers with a coach"])
    assert re.fullmatch(r"\d+(, aiming for \d+)?", summary["Trained coaches"])
    dropins = next(value for key, value in summary.items() if key.startswith("Drop-ins in"))
    assert re.fullmatch(r"\d+ in \d+ weeks?, [\d.]+ a week( on average)?", dropins), dropins

    coverage = _rows(client.get(reverse("insights:school_csv", args=[school.slug, "coverage"])))
    for row in coverage:
        for column in ("Teachers", "With a coach", "Share with a coach", "Trained coaches"):
            assert row[column] not in HIDDEN, (column, row)
    rhythm = _rows(client.get(reverse("insights:school_csv", args=[school.slug, "rhythm"])))
    assert all(re.fullmatch(r"\d+", row["Drop-ins recorded"]) for row in rhythm)
    assert all(re.fullmatch(r"\d+", row["Coaching pairs due a drop-in"]) for row in rhythm)

    # The drop-ins chart labels each week and its value, and its axis.
    chart = page.split('id="dropins-chart-title"', 1)[1].split("</svg>", 1)[0]
    assert 'class="cl-chart__axis-title cl-chart__axis-title--value">Drop-ins</text>' in chart
    assert re.search(r'class="cl-chart__value">\d+</text>', chart)
    assert re.search(r'class="cl-chart__tick">\d+</text>', chart)
