"""Reading a framework document: every problem is found, with where it is."""

import json

import pytest

from coachloop.frameworks.loader import (
    FORMAT,
    STARTER_PATH,
    FrameworkFormatError,
    parse_framework,
    read_framework_file,
    starter_framework_data,
)


def problems_of(data, **kwargs):
    with pytest.raises(FrameworkFormatError) as caught:
        parse_framework(data, **kwargs)
    return caught.value.problems


def test_the_starter_framework_has_six_strands_of_five_steps_with_every_field_filled():
    parsed = parse_framework(starter_framework_data())
    assert parsed.slug == "coachloop-starter"
    assert parsed.version_label == "2026.1"
    assert [strand.code for strand in parsed.strands] == ["BR", "EM", "QC", "PF", "AT", "SS"]
    assert all(len(strand.steps) == 5 for strand in parsed.strands)
    assert len(parsed.steps) == 30
    for step in parsed.steps:
        assert step.code and step.title and step.looks_like
        assert step.why_it_works and step.how_to_rehearse
        assert 1 <= len(step.maps_to["ecf-2019"]) <= 4, step.code


def test_every_starter_step_title_is_short_enough_for_a_coach_to_say():
    for step in parse_framework(starter_framework_data()).steps:
        assert len(step.title) < 80, step.code
        assert not step.title.endswith("."), step.code


def test_it_reads_a_fresh_copy_of_the_starter_framework_each_time():
    first = starter_framework_data()
    first["strands"].clear()
    assert len(starter_framework_data()["strands"]) == 6


def test_it_reports_every_problem_in_a_document_with_its_location(document):
    data = document(strands=3, steps_per_strand=5)
    data["format"] = "coachloop-framework/99"
    data["name"] = "   "
    del data["strands"][2]["steps"][4]["title"]
    data["strands"][1]["steps"][0]["looks_like"] = ""
    data["strands"][0]["steps"][1]["why_it_works"] = 42
    data["strands"][0]["steps"][2]["loks_like"] = "a typo"
    data["strands"][1]["title"] = "x" * 201

    assert problems_of(data) == [
        "format: is 'coachloop-framework/99'; this version of Coachloop reads "
        "'coachloop-framework/1'",
        "name: must not be empty",
        "strands[0].steps[1].why_it_works: must be text, not a number",
        "strands[0].steps[2].loks_like: unknown field",
        "strands[1].title: is 201 characters long; the most allowed is 200",
        "strands[1].steps[0].looks_like: must not be empty",
        "strands[2].steps[4].title: missing",
    ]


def test_it_refuses_a_document_with_a_duplicate_strand_code(document):
    data = document(strands=3)
    data["strands"][2]["code"] = "S1"
    assert problems_of(data) == ["strands[2].code: 'S1' is already used by strands[0]"]


def test_it_refuses_a_duplicate_step_code_even_in_another_strand(document):
    data = document()
    data["strands"][1]["steps"][1]["code"] = "S1.1"
    assert problems_of(data) == [
        "strands[1].steps[1].code: 'S1.1' is already used by strands[0].steps[0]"
    ]


def test_codes_longer_than_the_database_allows_are_reported(document):
    data = document()
    data["strands"][0]["code"] = "C" * 21
    data["strands"][0]["steps"][0]["code"] = "D" * 30
    assert problems_of(data) == [
        "strands[0].code: is 21 characters long; the most allowed is 20",
        "strands[0].steps[0].code: is 30 characters long; the most allowed is 20",
    ]


def test_the_top_level_fields_are_checked(document):
    data = document()
    del data["format"]
    data["slug"] = "not a slug!"
    data["strands"] = []
    assert problems_of(data) == [
        f"format: missing (it should be '{FORMAT}')",
        "slug: use only letters, numbers, hyphens and underscores",
        "strands: must not be empty",
    ]


def test_a_strand_without_steps_and_a_step_that_is_not_an_object_are_reported(document):
    data = document(strands=2)
    data["strands"][0]["steps"] = []
    data["strands"][1]["steps"][0] = "BR1 Use a signal"
    del data["strands"][1]["code"]
    assert problems_of(data) == [
        "strands[0].steps: must not be empty",
        "strands[1].code: missing",
        "strands[1].steps[0]: must be an object, not text",
    ]


def test_something_other_than_an_object_is_refused():
    assert problems_of([1, 2]) == ["must be an object, not a list"]


def test_maps_to_is_optional_but_must_list_codes(document):
    data = document()
    data["strands"][0]["steps"][0]["maps_to"] = {"ecf-2019": []}
    data["strands"][0]["steps"][1]["maps_to"] = {"ecf-2019": ["1a", "1a", 7]}
    data["strands"][1]["steps"][0]["maps_to"] = ["1a"]
    assert problems_of(data) == [
        "strands[0].steps[0].maps_to.ecf-2019: must list at least one code "
        "(or leave the framework out)",
        "strands[0].steps[1].maps_to.ecf-2019[1]: '1a' is listed twice",
        "strands[0].steps[1].maps_to.ecf-2019[2]: must be a code such as '1a'",
        "strands[1].steps[0].maps_to: must be an object, not a list",
    ]


def test_the_reference_check_hears_every_code_with_where_it_was_used(document):
    heard = {}

    def check(uses):
        heard.update(uses)
        return ["strands[1].steps[0].maps_to.ecf-2019[0]: '9z' is not a statement of 'ecf-2019'"]

    data = document(maps_to={"ecf-2019": ["1a"]})
    data["strands"][1]["steps"][0]["maps_to"] = {"ecf-2019": ["9z", "2b"]}
    data["strands"][1]["steps"][1]["title"] = ""
    assert problems_of(data, reference_check=check) == [
        "strands[1].steps[1].title: must not be empty",
        "strands[1].steps[0].maps_to.ecf-2019[0]: '9z' is not a statement of 'ecf-2019'",
    ]
    assert heard["ecf-2019"][0] == ("strands[0].steps[0].maps_to.ecf-2019[0]", "1a")
    assert ("strands[1].steps[0].maps_to.ecf-2019[0]", "9z") in heard["ecf-2019"]


def test_the_error_message_lists_each_problem_on_its_own_line(document):
    data = document()
    data["name"] = ""
    data["slug"] = ""
    with pytest.raises(FrameworkFormatError) as caught:
        parse_framework(data)
    assert str(caught.value).splitlines() == [
        "The framework has 2 problems:",
        "  slug: must not be empty",
        "  name: must not be empty",
    ]


def test_a_file_that_is_not_json_is_reported_with_its_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "coachloop-framework/1",\n  "slug": }', encoding="utf-8")
    with pytest.raises(FrameworkFormatError) as caught:
        read_framework_file(path)
    assert caught.value.problems == [
        f"{path}: not valid JSON: Expecting value at line 2, column 11",
    ]


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(FrameworkFormatError) as caught:
        read_framework_file(tmp_path / "nowhere.json")
    assert caught.value.problems == [f"{tmp_path / 'nowhere.json'}: no such file"]


def test_the_starter_file_is_valid_json_in_the_documented_format():
    data = json.loads(STARTER_PATH.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT
    assert data["name"] == "Coachloop starter framework"
