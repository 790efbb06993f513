"""Importing England's Early Career Framework (2019) as a reference framework."""

import json

import pytest

from coachloop.frameworks import services
from coachloop.frameworks.models import ReferenceFramework, ReferenceStatement
from coachloop.frameworks.reference import ECF_SLUG, ReferenceFormatError, parse_ecf, read_ecf

pytestmark = pytest.mark.django_db


def codes_in(data):
    for standard in data["standards"]:
        for item in standard["learn_that"]:
            yield item["code"], item["text"]
        for group in standard["learn_how_to"]:
            for item in group["statements"]:
                yield item["code"], item["text"]


def test_the_ecf_import_finds_8_sections_29_headings_and_181_statements(ecf):
    statements = ReferenceStatement.objects.filter(framework=ecf)
    assert ecf.slug == ECF_SLUG
    assert statements.count() == 181
    assert statements.filter(kind=ReferenceStatement.Kind.KNOW).count() == 64
    assert statements.filter(kind=ReferenceStatement.Kind.DO).count() == 117
    sections = set(statements.values_list("section_number", "section_title"))
    assert len(sections) == 8
    assert (1, "High Expectations") in sections
    assert (8, "Professional Behaviours") in sections
    headings = set(
        statements.filter(kind=ReferenceStatement.Kind.DO).values_list("section_number", "heading")
    )
    assert len(headings) == 29
    assert (2, "Avoid overloading working memory, by:") in headings
    assert not statements.filter(kind=ReferenceStatement.Kind.KNOW).exclude(heading="").exists()


def test_every_code_in_the_file_is_imported_with_its_text(ecf, ecf_file):
    in_file = dict(codes_in(json.loads(ecf_file.read_text(encoding="utf-8"))))
    imported = dict(ReferenceStatement.objects.filter(framework=ecf).values_list("code", "text"))
    assert imported == in_file


def test_statements_keep_the_files_order(ecf):
    codes = list(
        ReferenceStatement.objects.filter(framework=ecf)
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert codes[:8] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1a", "1b"]
    assert codes[-1] == "8p"


def test_it_keeps_the_files_attribution_and_publisher(ecf, ecf_file):
    data = json.loads(ecf_file.read_text(encoding="utf-8"))
    assert ecf.attribution == data["attribution"]
    assert "Open Government Licence v3.0" in ecf.attribution
    assert ecf.publisher == data["publisher"]


def test_importing_twice_updates_in_place_and_never_duplicates(ecf, ecf_file):
    statement = ReferenceStatement.objects.get(framework=ecf, code="4i")
    original = statement.text
    statement.text = "Changed by hand"
    statement.save()
    pks = set(ReferenceStatement.objects.values_list("pk", flat=True))

    again = services.reference_framework_import_ecf(path=ecf_file)

    assert again.pk == ecf.pk
    assert ReferenceFramework.objects.count() == 1
    assert set(ReferenceStatement.objects.values_list("pk", flat=True)) == pks
    assert ReferenceStatement.objects.get(pk=statement.pk).text == original


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ReferenceFormatError) as caught:
        read_ecf(tmp_path / "ecf-2019.json")
    assert "no such file" in caught.value.problems[0]


def test_a_file_in_the_wrong_shape_reports_every_problem_and_imports_nothing():
    data = {
        "framework": "Early Career Framework (ECF)",
        "standards": [
            {
                "number": 1,
                "title": "High Expectations",
                "learn_that": [{"code": "1.1", "text": "One."}, {"code": "1.1", "text": "Two."}],
                "learn_how_to": [{"heading": "", "statements": [{"code": "1a", "text": ""}]}],
            },
            "not a standard",
        ],
    }
    with pytest.raises(ReferenceFormatError) as caught:
        parse_ecf(data)
    assert caught.value.problems == [
        "standards[0].learn_that[1].code: '1.1' is already used at standards[0].learn_that[0]",
        "standards[0].learn_how_to[0].heading: missing or empty",
        "standards[0].learn_how_to[0].statements[0].text: missing or empty",
        "standards[1]: must be an object",
    ]
    assert not ReferenceFramework.objects.exists()
