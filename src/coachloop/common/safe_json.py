"""Reading JSON someone sent, within limits, so a hostile file is a clear message, never a 500.

Python's ``json`` reads nested arrays by recursion (a few thousand ``[`` raise
``RecursionError``) and turns a number of any length into an ``int`` (past 4,300 digits a
``ValueError``; before that, slow). ``loads`` checks the size first, then the depth in one
pass with no recursion, before ``json`` reads anything; numbers are read with limits on their
length; ``NaN`` and ``Infinity`` (not JSON) are refused, and so is NUL in a string
(PostgreSQL cannot store it). Every refusal is a ``JSONLimitError`` whose message can be shown
as it is. Every JSON a person uploads is read here.
"""

import json

MAX_DEPTH = 64
MAX_NUMBER_CHARS = 40

__all__ = ["JSONDecodeError", "JSONLimitError", "loads"]

JSONDecodeError = json.JSONDecodeError


class JSONLimitError(ValueError):
    """The text is JSON, perhaps, but more than this site reads."""


def _check_depth(text, max_depth):
    """Refuse text nesting arrays and objects deeper than ``max_depth``, in one pass with no
    recursion (brackets inside strings do not count)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                raise JSONLimitError(f"The file nests lists or objects more than {max_depth} deep.")
        elif char in "]}":
            depth -= 1


def _number(kind, max_chars):
    def read(text):
        if len(text) > max_chars:
            raise JSONLimitError(f"The file has a number longer than {max_chars} characters.")
        return kind(text)

    return read


def _no_constant(name):
    raise JSONLimitError(f"The file has {name}, which is not a number JSON allows.")


def _check_strings(data):
    """Refuse NUL in any string or key, walking the data with a list, not recursion."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise JSONLimitError("The file has a NUL character in its text.")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def loads(text, *, max_chars, max_depth=MAX_DEPTH, max_number_chars=MAX_NUMBER_CHARS):
    """The data in ``text`` (``str``), or ``JSONLimitError``; bad syntax is
    ``JSONDecodeError`` as from ``json.loads``."""
    if len(text) > max_chars:
        raise JSONLimitError(f"The file is longer than {max_chars:,} characters.")
    _check_depth(text, max_depth)
    data = json.loads(
        text,
        parse_int=_number(int, max_number_chars),
        parse_float=_number(float, max_number_chars),
        parse_constant=_no_constant,
    )
    _check_strings(data)
    return data
