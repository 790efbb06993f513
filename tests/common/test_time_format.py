"""One time format, 24-hour ("17:00"), as schools timetable: for a teacher and for staff
alike, in a format of a template's own or Django's default, and no 12-hour format anywhere."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from tests.factories import MembershipFactory
from tests.programmes.fixtures import build_programme

SRC = Path(__file__).resolve().parents[2] / "src"
# Django's format characters for a 12-hour clock: a.m./p.m., AM/PM, "5:30" (f), hours 1-12
# (g, h) and "5:30 p.m." (P). A backslash makes the next character a literal.
TWELVE_HOUR = set("aAfghP")
TEMPLATE_FORMATS = re.compile(r"\|(?:date|time):\s*([\"'])(.*?)\1")
PYTHON_FORMATS = re.compile(r"\b(?:date_format|time_format)\([^()]*?,\s*([\"'])(.*?)\1")
STRFTIME = re.compile(r"strftime\(\s*([\"'])(.*?)\1")


def twelve_hour_characters(django_format):
    found, escaped = set(), False
    for character in django_format:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character in TWELVE_HOUR:
            found.add(character)
    return found


def formats_in_the_source():
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in {".html", ".txt", ".py"} or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        pattern = PYTHON_FORMATS if path.suffix == ".py" else TEMPLATE_FORMATS
        for match in pattern.finditer(text):
            yield path.relative_to(SRC), match.group(2)
        for match in STRFTIME.finditer(text):
            yield path.relative_to(SRC), "strftime:" + match.group(2)


def test_the_search_finds_the_formats_it_looks_for():
    found = list(formats_in_the_source())
    assert any(fmt == "j F Y, H:i" for _path, fmt in found)
    assert any(str(path).endswith(".py") for path, _fmt in found)
    assert twelve_hour_characters("j F Y, g:i a") == {"g", "a"}
    assert twelve_hour_characters(r"j F Y \a\t H:i") == set()


def test_no_template_or_module_formats_a_time_on_a_12_hour_clock():
    twelve_hour = [
        f"{path}: {fmt}"
        for path, fmt in formats_in_the_source()
        if (
            re.search(r"%[Ilp]", fmt)
            if fmt.startswith("strftime:")
            else twelve_hour_characters(fmt)
        )
    ]
    assert twelve_hour == []


def test_a_time_or_date_and_time_with_no_format_of_its_own_is_24_hour(settings):
    moment = timezone.make_aware(dt.datetime(2026, 3, 20, 17, 0))
    text = Template("{{ moment|time }}|{{ moment }}|{{ moment|date:'SHORT_DATETIME_FORMAT' }}")
    assert text.render(Context({"moment": moment})) == "17:00|20 Mar 2026, 17:00|20/03/2026 17:00"


@pytest.mark.django_db
def test_a_teachers_page_and_a_staff_page_both_show_a_5pm_deadline_as_17_00(client, world):
    with trust_scope(world.trust):
        pw = build_programme(world)  # the assignment is due at 17:00
    teacher = pw.enrolments[0].teacher
    client.force_login(teacher)
    teachers_page = client.get(reverse("programmes:my_programme")).content.decode()
    assert "20 March 2026, 17:00" in teachers_page
    with scopes_disabled():
        MembershipFactory(user=pw.lead, school=None, trust=pw.trust, role=Role.PARTNER_STAFF)
    client.force_login(pw.lead)
    staff_page = client.get(reverse("programmes:assignment", args=[pw.assignment.pk]))
    assert "20 March 2026, 17:00" in staff_page.content.decode()
    for page in (teachers_page, staff_page.content.decode()):
        assert "p.m." not in page
