"""A dashboard table downloads as numbers a spreadsheet can sum: a hidden figure is an empty
cell with its flag TRUE (never its number), no figure is empty with the flag FALSE."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.insights.rollups import rollups_update
from tests.insights.downloaded import csv_table, xlsx_table
from tests.insights.helpers import coached_school

pytestmark = pytest.mark.django_db


def _steps(client, world, suffix):
    client.force_login(world.people["trust_lead"])
    url = reverse(f"insights:school_{suffix}", args=[world.own.school.slug, "steps"])
    return client.get(url)


@pytest.fixture
def one_step_set_once(world):
    today = timezone.localdate()
    coached_school(
        world.own.school, today=today, coached=1, framework_step=world.own.framework_step
    )
    rollups_update(trust=world.trust, today=today)


def test_a_hidden_figure_downloads_as_an_empty_cell_flagged_hidden(
    client, world, one_step_set_once
):
    for table in (
        csv_table(_steps(client, world, "csv").content),
        xlsx_table(_steps(client, world, "xlsx").content),
    ):
        header, *rows = table
        assert header == [
            "Strand",
            "Step",
            "Times set",
            "Times set: hidden",
            "Times embedded",
            "Times embedded: hidden",
        ]
        assert rows
        for row in rows:
            assert row[2:4] == ["", "TRUE"]  # set once: hidden, and not 1


def test_a_week_with_no_target_downloads_as_an_empty_cell_not_flagged(client, world):
    today = timezone.localdate()
    coached_school(world.own.school, today=today, framework_step=world.own.framework_step)
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["headteacher"])
    url = reverse("insights:school_csv", args=[world.own.school.slug, "coverage"])
    header, *rows = csv_table(client.get(url).content)
    latest = dict(zip(header, rows[-1], strict=True))
    assert latest["Target share"] == ""
    assert latest["Target share: hidden"] == "FALSE"
    assert dt.date.fromisoformat(latest["Week beginning"])  # a date a spreadsheet can sort


def test_an_xlsx_table_holds_real_numbers_dates_and_percentages(client, world):
    today = timezone.localdate()
    coached_school(
        world.own.school,
        today=today,
        coached=8,
        uncoached=3,
        framework_step=world.own.framework_step,
    )
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["headteacher"])
    url = reverse("insights:school_xlsx", args=[world.own.school.slug, "coverage"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-coverage.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    latest = dict(zip(header, (cell for cell in sheet[sheet.max_row]), strict=True))
    assert latest["Teachers"].value == 12
    assert latest["With a coach"].value == 9
    assert latest["Share with a coach"].value == 0.75
    assert latest["Share with a coach"].number_format == "0%"
    assert latest["Share with a coach: hidden"].value is False
    assert latest["Week beginning"].is_date


def test_an_unknown_table_is_not_found_as_a_workbook_either(client, world):
    client.force_login(world.people["headteacher"])
    url = reverse("insights:school_xlsx", args=[world.own.school.slug, "everything"])
    assert client.get(url).status_code == 404


def test_the_dashboard_offers_each_table_as_excel_and_as_csv(client, world, one_step_set_once):
    client.force_login(world.people["headteacher"])
    page = client.get(reverse("insights:school", args=[world.own.school.slug])).content.decode()
    slug = world.own.school.slug
    assert f'href="/insights/schools/{slug}/coverage.xlsx"' in page
    assert f'href="/insights/schools/{slug}/coverage.csv"' in page
