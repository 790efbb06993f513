"""The exam-board export of an assignment: a workbook with the marks and their whole history,
or either table as CSV, for the programme's lead and moderators; text stays text; each
teacher's marks read are in their trail; a fixed number of queries."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coachloop.common.models import AuditEvent
from coachloop.people.models import User
from coachloop.programmes.models import MarkEvent
from coachloop.programmes.services.corrections import mark_correct
from coachloop.programmes.services.moderation import marks_release, moderation_record
from tests.programmes.fixtures import build_programme
from tests.programmes.test_marking import fresh
from tests.programmes.test_moderation import draw, marked
from tests.programmes.test_pages_marking import build_programme_in_other_trust, staff_member

pytestmark = pytest.mark.django_db

WHY = "The second criterion was added up wrongly."


def corrected_cohort(world, teachers=1):
    """Teachers whose marks agree on 45 (fails, so all sampled); the first is moderated to
    50, released, then corrected to 56."""
    pw = build_programme(world, teachers=teachers, moderation_percent=20)
    for person in (pw.tutor, pw.other_tutor, pw.lead, pw.moderator):
        staff_member(pw, person)
    pw.submissions = [marked(pw, e, 45) for e in pw.enrolments]
    draw(pw)
    for n, submission in enumerate(pw.submissions):
        moderation_record(
            viewer=pw.as_(pw.moderator),
            submission=submission,
            agree=n != 0,
            mark=50 if n == 0 else None,
            note="The reflection meets the pass criteria." if n == 0 else "",
        )
    marks_release(viewer=pw.as_(pw.lead), assignment=pw.assignment)
    mark_correct(viewer=pw.as_(pw.lead), submission=pw.submissions[0], mark=56, reason=WHY)
    pw.submission = fresh(pw.submissions[0])
    return pw


@pytest.fixture
def pw(world, scoped):
    return corrected_cohort(world)


def download(client, pw, name, person=None, query=""):
    client.force_login(person or pw.lead)
    return client.get(reverse(f"programmes:{name}", args=[pw.assignment.pk]) + query)


def csv_rows(response):
    """A CSV table's rows; it starts with a byte-order mark, so Excel reads it as UTF-8."""
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_history_of_a_corrected_moderated_submission_lists_every_step_with_the_reason(
    client, pw
):
    rows = csv_rows(download(client, pw, "exam_board_csv", query="?table=history"))
    assert [row["What"] for row in rows] == [
        "Marked",
        "Marked",
        "Agreed within tolerance",
        "Drawn for moderation",
        "Moderated",
        "Released",
        "Corrected after release",
    ]
    assert [row["Marker"] for row in rows[:2]] == ["First marker", "Second marker"]
    corrected = rows[-1]
    assert (corrected["Mark before"], corrected["Mark after"], corrected["Reason"]) == (
        "50",
        "56",
        WHY,
    )
    assert corrected["Who"] == pw.lead.full_name
    assert corrected["When"][-6:-3].startswith(" ")  # "2026-12-07 14:05": a 24-hour time


def test_the_marks_table_gives_each_step_and_the_final_mark_and_band(client, pw):
    [row] = csv_rows(download(client, pw, "exam_board_csv"))
    teacher = pw.enrolments[0].teacher
    assert row["Teacher"] == teacher.full_name
    assert row["School"] == pw.enrolments[0].school.name
    assert (row["First marker"], row["First mark"]) == (pw.tutor.full_name, "45")
    assert (row["Second marker"], row["Second mark"]) == (pw.coach.full_name, "45")
    assert (row["Agreed mark"], row["How agreed"]) == ("45", "The mean of the two marks")
    assert (row["In moderation sample"], row["Moderator"], row["Moderated mark"]) == (
        "TRUE",
        pw.moderator.full_name,
        "50",
    )
    assert row["Moderation note"] == "The reflection meets the pass criteria."
    assert (row["Corrected mark"], row["Final mark"], row["Band"]) == ("56", "56", "Pass")
    assert row["Released on"]
    assert (row["Attempt"], row["Late"], row["Cap"]) == ("1", "FALSE", "")
    assert row["Extension to"] == ""


def test_the_workbook_has_a_marks_sheet_and_a_history_sheet_with_numbers_as_numbers(client, pw):
    response = download(client, pw, "exam_board_xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = workbook(response)
    assert book.sheetnames == ["Marks", "History"]
    marks = list(book["Marks"].values)
    assert marks[0][0] == "Teacher"
    final = marks[0].index("Final mark")
    assert marks[1][final] == 56
    history = list(book["History"].values)
    assert len(history) == 1 + 7
    assert history[-1][-1] == WHY


def test_the_workbook_holds_times_as_times_and_yes_or_no_as_booleans(client, pw):
    sheet = workbook(download(client, pw, "exam_board_xlsx"))["Marks"]
    row = dict(zip((c.value for c in sheet[1]), sheet[2], strict=True))
    assert isinstance(row["Handed in"].value, dt.datetime)
    assert row["Handed in"].number_format == "yyyy-mm-dd hh:mm"
    assert isinstance(row["Released on"].value, dt.datetime)
    assert row["In moderation sample"].value is True
    assert row["Late"].value is False
    assert row["Extension to"].value is None
    assert isinstance(row["Final mark"].value, int)
    handed_in = timezone.localtime(pw.submission.submitted_at).replace(tzinfo=None)
    assert abs(row["Handed in"].value - handed_in) < dt.timedelta(seconds=1)  # local time


def test_text_that_looks_like_a_formula_stays_text(client, pw):
    User.objects.filter(pk=pw.enrolments[0].teacher_id).update(
        full_name='=HYPERLINK("http://evil.example","Click")'
    )
    sheet = workbook(download(client, pw, "exam_board_xlsx"))["Marks"]
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")
    [row] = csv_rows(download(client, pw, "exam_board_csv"))
    assert row["Teacher"].startswith("'=HYPERLINK")


def test_the_export_is_audited_with_a_read_in_each_teachers_trail(client, pw):
    download(client, pw, "exam_board_xlsx", person=pw.moderator)
    assert AuditEvent.objects.filter(
        verb="assignment.exam_board_exported", actor=pw.moderator
    ).exists()
    read = AuditEvent.objects.get(verb="read", actor=pw.moderator)
    assert read.subject == pw.enrolments[0].teacher
    assert read.target_id == str(pw.submission.pk)


@pytest.mark.parametrize(("who", "code"), [("lead", 200), ("moderator", 200), ("tutor", 403)])
def test_the_lead_and_moderators_export_and_a_tutor_may_not(client, pw, who, code):
    assert download(client, pw, "exam_board_csv", person=getattr(pw, who)).status_code == code


def test_another_trusts_assignment_is_not_found(client, pw, world):
    other = build_programme_in_other_trust(world)
    client.force_login(pw.lead)
    response = client.get(reverse("programmes:exam_board_xlsx", args=[other.assignment.pk]))
    assert response.status_code == 404


def test_an_unknown_table_is_not_found(client, pw):
    assert download(client, pw, "exam_board_csv", query="?table=notes").status_code == 404


def test_a_withdrawn_mark_is_in_the_history(client, world, scoped):
    from coachloop.programmes.services.corrections import submission_reopen

    pw = build_programme(world)
    staff_member(pw, pw.lead)
    submission = marked(pw, pw.enrolments[0], 60)
    submission_reopen(
        viewer=pw.as_(pw.lead), submission=submission, stage="first", reason="Wrong file."
    )
    rows = csv_rows(download(client, pw, "exam_board_csv", query="?table=history"))
    withdrawn = [r for r in rows if r["What"].startswith("Mark withdrawn")]
    assert withdrawn[0]["What"] == f"Mark withdrawn: {pw.tutor.full_name}"
    assert (withdrawn[0]["Mark before"], withdrawn[0]["Reason"]) == ("60", "Wrong file.")


def _queries_for(client, pw, name):
    client.force_login(pw.lead)
    url = reverse(f"programmes:{name}", args=[pw.assignment.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["exam_board_xlsx", "exam_board_csv"])
def test_the_export_runs_the_same_number_of_queries_for_two_or_five_teachers(
    client, world, scoped, name
):
    small = corrected_cohort(world, teachers=2)
    small_count = _queries_for(client, small, name)
    assert MarkEvent.objects.count()
    large = corrected_cohort(world, teachers=5)
    assert _queries_for(client, large, name) == small_count
