"""The OpenAPI document's shared parts: the one error shape, answered by every operation.

``standard_errors`` (a drf-spectacular post-processing hook) adds the ``Error`` component and
the 400, 401, 403, 404 and 429 answers to every operation, so a client, and schemathesis'
conformance checks, know every status the API may give.
"""

ERROR = {
    "type": "object",
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["status", "code", "detail"],
}

STANDARD = {
    "400": "What was sent has mistakes.",
    "401": "No current token was sent.",
    "403": "The token may not do this.",
    "404": "Not found, or not in the token's trust.",
    "429": "Too many requests with this token: wait for the Retry-After seconds.",
}


def standard_errors(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in STANDARD.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
