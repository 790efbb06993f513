"""The check the API matrix makes of every answer fails on an answer the schema does not
describe, so a passing matrix means something."""

import pytest
from django.http import JsonResponse

from tests.api.schema import assert_conforms

ME = "/api/v1/me/"


def test_an_answer_the_schema_describes_passes():
    answer = JsonResponse({"status": 401, "code": "not_authenticated", "detail": "No token."})
    answer.status_code = 401
    assert_conforms("get", ME, answer)


def test_a_body_missing_what_the_schema_requires_fails():
    with pytest.raises(Exception, match="name"):
        assert_conforms("get", ME, JsonResponse({"roles": []}, status=200))


def test_a_status_code_the_schema_does_not_list_fails():
    with pytest.raises(AssertionError, match="418"):
        assert_conforms("get", ME, JsonResponse({}, status=418))


def test_a_path_the_schema_does_not_have_fails():
    with pytest.raises(AssertionError, match="not in the API's schema"):
        assert_conforms("get", "/api/v1/nowhere/", JsonResponse({}, status=200))
