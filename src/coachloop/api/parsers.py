"""JSON bodies read within ``common.safe_json``'s limits: depth, long numbers, NaN and NUL
are a 400 with a clear message, never a 500."""

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from coachloop.common import safe_json

MAX_BODY_CHARS = 1_000_000


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read(MAX_BODY_CHARS * 4 + 1).decode(encoding)
            return safe_json.loads(text, max_chars=MAX_BODY_CHARS)
        except UnicodeDecodeError as error:
            raise ParseError("The body is not UTF-8 text.") from error
        except safe_json.JSONLimitError as error:
            raise ParseError(str(error)) from error
        except safe_json.JSONDecodeError as error:
            raise ParseError(f"The body is not JSON: {error.msg}.") from error
