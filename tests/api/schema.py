"""The API's OpenAPI schema as schemathesis reads it, built once by drf-spectacular's generator
(no HTTP, no database), and a check that one answer of the API is what the schema says."""

from functools import cache

import requests
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from schemathesis.core.transport import Response


@cache
def api_schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.config.generation.update(with_security_parameters=False)
    # Every request, the checks' own too, goes to Django in process.
    loaded.app = get_wsgi_application()
    return loaded


def assert_conforms(method, path, response):
    """``response`` (Django's test client's) to ``method path`` has a status code the schema
    documents for the operation, and a body its schema for that code accepts."""
    schema = api_schema()
    operation = schema.find_operation_by_path(method, path)
    assert operation is not None, f"{method.upper()} {path} is not in the API's schema"
    documented = operation.responses.find_by_status_code(response.status_code)
    assert documented is not None, (
        f"{method.upper()} {path} answered {response.status_code}, which its schema does not list"
    )
    answer = Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=requests.Request(method=method.upper(), url=f"http://testserver{path}").prepare(),
        elapsed=0.0,
        verify=False,
    )
    schema.validate_response(operation, answer)
