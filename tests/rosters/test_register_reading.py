"""Reading the schools register's files (``rosters.register.read_register``): a trust's
schools and details, and every problem in its rows with file, row and column."""

import datetime as dt
import io

import pytest

from coachloop.people.models import School
from coachloop.rosters.records import Problem
from coachloop.rosters.register import RegisterExtract, phase_of, read_register
from tests.rosters.register_files import (
    COMPANIES_HOUSE_NUMBER,
    GROUP_ID,
    GROUP_NAME,
    GROUP_UID,
    establishment,
    establishments_file,
    link,
    links_file,
    weald_establishments,
    write_register,
)


def named(content, name):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def read(establishments=None, links=None, *, group_uid=GROUP_UID, **options):
    return read_register(
        named(
            establishments_file() if establishments is None else establishments,
            "edubasealldata20250314.csv",
        ),
        None if links is None else named(links, "alllinksdata20250314.csv"),
        group_uid=group_uid,
        **options,
    )


def by_urn(extract):
    return {school.urn: school for school in extract.schools}


def test_it_reads_the_trusts_schools_from_a_windows_1252_file():
    extract = read(links=links_file())
    assert extract.problems == []
    schools = by_urn(extract)
    assert sorted(schools) == ["140101", "140102", "140103", "140104", "140105", "140106", "140107"]
    assert schools["140101"].name == "St Bede’s Catholic Primary Academy"
    assert schools["140104"].name == "Brontë Primary Academy"
    assert schools["140104"].local_authority == "East Sussex"
    assert schools["140102"].establishment_type == "Academy sponsor led"
    assert schools["140102"].row == 3
    assert extract.rows_read == 8


def test_it_reads_utf8_files_with_or_without_a_byte_order_mark():
    for options in ({"encoding": "utf-8"}, {"encoding": "utf-8", "bom": True}):
        extract = read(establishments_file(**options))
        assert extract.problems == []
        assert by_urn(extract)["140104"].name == "Brontë Primary Academy"


def test_it_ignores_the_schools_of_other_trusts_even_when_their_rows_are_broken():
    rows = [
        establishment("140101", "St Bede’s Catholic Primary Academy"),
        establishment("12345", "Harbour Infant School", trust_uid="17001", opened="31-02-2001"),
        establishment("ABC123", "", trust_uid="", status="Nonsense"),
    ]
    extract = read(establishments_file(rows))
    assert extract.problems == []
    assert [school.urn for school in extract.schools] == ["140101"]


def test_the_links_file_adds_the_schools_it_ties_to_the_trust_and_gives_its_details():
    without_links = read()
    assert "140107" not in by_urn(without_links)
    assert without_links.group.name == GROUP_NAME  # from "Trusts (name)"
    assert without_links.group.group_id == ""

    extract = read(links=links_file())
    assert by_urn(extract)["140107"].name == "Weald Sixth Form College"
    assert "150001" not in by_urn(extract)
    assert extract.group.uid == GROUP_UID
    assert extract.group.group_id == GROUP_ID
    assert extract.group.name == GROUP_NAME
    assert extract.group.companies_house_number == COMPANIES_HOUSE_NUMBER
    assert extract.group.type == "Multi-academy trust"


@pytest.mark.parametrize(
    ("phase", "type_name", "type_group", "expected"),
    [
        ("Primary", "Academy converter", "Academies", School.Phase.PRIMARY),
        ("Nursery", "Community school", "Local authority maintained schools", "primary"),
        ("Middle deemed primary", "Academy converter", "Academies", "primary"),
        ("Secondary", "Academy sponsor led", "Academies", School.Phase.SECONDARY),
        (
            "Middle deemed secondary",
            "Foundation school",
            "Local authority maintained schools",
            "secondary",
        ),
        ("16 plus", "Academy 16-19 converter", "Academies", "secondary"),
        ("All-through", "Free schools", "Free Schools", School.Phase.ALL_THROUGH),
        ("Primary", "Community special school", "Special schools", School.Phase.SPECIAL),
        ("Not applicable", "Academy special converter", "Academies", "special"),
        ("Secondary", "Free schools special", "Free Schools", "special"),
        ("Not applicable", "Academy alternative provision converter", "Academies", "other"),
        ("Not applicable", "Further education", "Colleges", School.Phase.OTHER),
    ],
)
def test_the_phase_follows_the_registers_phase_and_special_schools_are_special(
    phase, type_name, type_group, expected
):
    assert phase_of(phase, type_name, type_group) == expected


def test_the_status_and_dates_are_read_as_the_register_writes_them():
    schools = by_urn(read())
    closed = schools["140106"]
    assert closed.closed and closed.status == "Closed"
    assert closed.closed_on == dt.date(2023, 8, 31)
    assert closed.opened_on == dt.date(2015, 9, 1)
    assert not schools["140101"].closed and schools["140101"].closed_on is None


def test_the_export_date_comes_from_the_file_name_and_paths_are_read_too(tmp_path):
    establishments, links = write_register(tmp_path, day="20240105")
    extract = read_register(establishments, links, group_uid=GROUP_UID)
    assert extract.exported_on == dt.date(2024, 1, 5)
    assert extract.file_names == ("edubasealldata20240105.csv", "alllinksdata20240105.csv")
    assert len(extract.schools) == 7


def test_a_missing_column_is_one_problem_naming_it():
    extract = read(establishments_file(drop=("URN", "CloseDate")))
    assert extract.schools == []
    assert [(p.file, p.row, p.column) for p in extract.problems] == [
        ("edubasealldata20250314.csv", 1, "URN"),
        ("edubasealldata20250314.csv", 1, "CloseDate"),
    ]
    assert extract.problems[0].message == (
        "The file has no “URN” column. Use the file as the register gives it, with all its columns."
    )


def test_a_links_file_without_group_uids_is_a_problem():
    extract = read(links=links_file(drop=("Group UID",)))
    assert [(p.file, p.row, p.column) for p in extract.problems] == [
        ("alllinksdata20250314.csv", 1, "Group UID")
    ]


@pytest.mark.parametrize("urn", ["12345", "1234567", "ABC123", "012345", ""])
def test_a_urn_that_is_not_6_digits_is_a_problem_with_its_row_and_column(urn):
    rows = weald_establishments()
    rows[2]["URN"] = urn
    extract = read(establishments_file(rows))
    assert extract.problems == [
        Problem(
            "edubasealldata20250314.csv",
            4,
            "URN",
            f"“{urn}” is not a URN: a URN is 6 digits, from 100000 to 999999.",
        )
    ]


def test_a_bad_date_is_a_problem_with_its_row_and_column():
    rows = weald_establishments()
    rows[0]["CloseDate"] = "31-02-2024"
    rows[1]["OpenDate"] = "2015-09-01"
    extract = read(establishments_file(rows))
    assert [(p.row, p.column) for p in extract.problems] == [(2, "CloseDate"), (3, "OpenDate")]
    assert extract.problems[0].message == (
        "“31-02-2024” is not a date: the register writes dates as day-month-year, like 01-09-2021."
    )


def test_dates_with_slashes_as_a_spreadsheet_saves_them_are_read():
    rows = weald_establishments()
    rows[5]["CloseDate"] = "31/08/2023"
    assert by_urn(read(establishments_file(rows)))["140106"].closed_on == dt.date(2023, 8, 31)


def test_a_bad_joined_date_in_the_links_file_is_a_problem():
    extract = read(links=links_file([link("140101", "St Bede’s", joined="sometime")]))
    assert [(p.file, p.row, p.column) for p in extract.problems] == [
        ("alllinksdata20250314.csv", 2, "Joined date")
    ]


def test_a_school_listed_twice_is_a_problem_naming_the_first_row():
    rows = weald_establishments()
    rows.append(establishment("140102", "Weald Secondary Academy (copy)"))
    extract = read(establishments_file(rows))
    assert extract.problems == [
        Problem(
            "edubasealldata20250314.csv",
            10,
            "URN",
            "URN 140102 is also on row 3: list each school once.",
        )
    ]


def test_a_school_with_no_name_or_an_unknown_status_is_a_problem():
    rows = weald_establishments()
    rows[0]["EstablishmentName"] = ""
    rows[1]["EstablishmentStatus (name)"] = "Mothballed"
    extract = read(establishments_file(rows))
    assert [(p.row, p.column) for p in extract.problems] == [
        (2, "EstablishmentName"),
        (3, "EstablishmentStatus (name)"),
    ]


def test_a_file_that_is_not_text_is_one_problem():
    spreadsheet = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 40
    extract = read(spreadsheet)
    assert [(p.row, p.column) for p in extract.problems] == [(1, None)]
    assert "cannot be read as text" in extract.problems[0].message
    utf16 = read(establishments_file(encoding="utf-16"))
    assert len(utf16.problems) == 1


def test_a_utf8_file_with_a_line_in_another_encoding_cannot_be_read():
    good = establishments_file(encoding="utf-8")
    broken = good + '"140199","Café Academy"\r\n'.encode("cp1252")
    extract = read(broken)
    assert [(p.row, p.column) for p in extract.problems] == [(10, None)]


def test_an_empty_file_is_a_problem():
    assert [p.message for p in read(b"").problems] == ["The file is empty."]


def test_a_file_with_no_school_of_the_group_says_to_check_the_group_uid():
    extract = read(group_uid="99999")
    assert extract.schools == []
    assert extract.problems == [
        Problem(
            "edubasealldata20250314.csv",
            None,
            "Trusts (code)",
            "No school in this file belongs to the group with UID 99999. Check the trust's "
            "group UID, and that this is the register's establishments file.",
        )
    ]


def test_a_group_uid_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError, match="A group UID is a number"):
        read(group_uid="TR03645")


def test_leading_zeros_in_group_uids_do_not_matter():
    rows = [establishment("140101", "St Bede’s", trust_uid="016724")]
    assert len(read(establishments_file(rows), group_uid="16724").schools) == 1


def test_an_extract_survives_being_kept_as_json_between_preview_and_apply():
    extract = read(links=links_file())
    assert RegisterExtract.from_dict(extract.as_dict()) == extract
