"""A record file built to break the reader (nested thousands deep, a number thousands of
digits long, NaN, NUL in its text) is refused with a clear message and changes nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coachloop.common import safe_json
from tests.coaching.portability_fixtures import counts_of_every_table

pytestmark = pytest.mark.django_db

URL = reverse("coaching:portability_import")

HOSTILE = {
    "nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, "more than 64 deep"),
    "a 5,000-digit number": ('{"format": ' + "9" * 5000 + "}", "a number longer than"),
    "a 5,000-digit decimal": ('{"n": 0.' + "1" * 5000 + "}", "a number longer than"),
    "NaN": ('{"n": NaN}', "NaN, which is not a number JSON allows"),
    "NUL in a string": (json.dumps({"format": "a\x00b"}), "a NUL character"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_record_file_is_refused_clearly_and_changes_nothing(admin_client, world, name):
    text, message = HOSTILE[name]
    before = counts_of_every_table()
    response = admin_client.post(URL, {"record": SimpleUploadedFile("record.json", text.encode())})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file cannot be read" in page
    assert message in page
    assert counts_of_every_table() == before


def test_brackets_inside_strings_do_not_count_as_depth():
    text = json.dumps({"note": "[" * 1000 + "{" * 1000, "escaped": '\\"[[['})
    assert safe_json.loads(text, max_chars=10_000)["note"].startswith("[[[")


def test_a_text_longer_than_its_limit_is_refused_before_it_is_read():
    with pytest.raises(safe_json.JSONLimitError, match="longer than 10 characters"):
        safe_json.loads('{"a": "0123456789"}', max_chars=10)


def test_a_framework_file_nested_too_deep_is_a_format_error(tmp_path):
    from coachloop.frameworks.loader import FrameworkFormatError, read_framework_file

    path = tmp_path / "framework.json"
    path.write_text("[" * 10_000 + "]" * 10_000)
    with pytest.raises(FrameworkFormatError, match="more than 64 deep"):
        read_framework_file(path)
