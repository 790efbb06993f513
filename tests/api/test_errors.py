"""Under /api/ every error is JSON in one shape (common.api_errors), never the site's HTML."""

import io

import pytest
from django.test import RequestFactory
from rest_framework.exceptions import ParseError

from coachloop.api.parsers import SafeJSONParser
from coachloop.site.views import bad_request, forbidden, not_found, server_error
from tests.api.tokens import bearer, make_token

pytestmark = pytest.mark.django_db


def test_an_address_under_the_api_that_does_not_exist_is_a_json_404(client, world):
    secret, _token = make_token(world.people["coach"], world.trust)
    response = client.get("/api/v1/nothing-here/", headers=bearer(secret))
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


def test_an_address_outside_the_api_that_does_not_exist_is_still_the_site_page(client, world):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_nul_in_an_api_address_is_a_json_400_not_an_html_page(client, world):
    secret, _token = make_token(world.people["coach"], world.trust)
    response = client.get("/api/v1/me/?q=%00", headers=bearer(secret))
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_the_error_handlers_answer_json_under_the_api_and_html_elsewhere():
    factory = RequestFactory()
    api, page = factory.get("/api/v1/me/"), factory.get("/coaching/")
    assert server_error(api).status_code == 500
    assert server_error(api)["Content-Type"] == "application/json"
    assert server_error(page)["Content-Type"].startswith("text/html")
    assert bad_request(api)["Content-Type"] == "application/json"
    assert not_found(api)["Content-Type"] == "application/json"
    assert forbidden(api).status_code == 403
    assert forbidden(api)["Content-Type"] == "application/json"
    assert forbidden(page)["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "body, message",
    [
        (b"[" * 100 + b"]" * 100, "nests lists or objects more than 64 deep"),
        (b'{"n": ' + b"9" * 50 + b"}", "a number longer than 40 characters"),
        (b'{"n": NaN}', "NaN, which is not a number JSON allows"),
        (b'{"text": "a\\u0000b"}', "NUL character"),
        (b"{not json", "The body is not JSON"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_a_json_body_beyond_the_limits_is_refused_with_a_clear_message(body, message):
    with pytest.raises(ParseError, match=message):
        SafeJSONParser().parse(io.BytesIO(body), parser_context={})


def test_a_json_body_within_the_limits_is_read():
    assert SafeJSONParser().parse(io.BytesIO(b'{"name": "Zo\\u00eb"}')) == {"name": "Zoë"}
