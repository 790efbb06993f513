"""Checks on text every app's services share."""


def text_problem(value, *, limit, missing, too_long):
    """Why a text cannot be saved (``missing`` when empty; ``too_long`` takes ``%(n)d``), or
    ``None``."""
    if not value:
        return missing
    if len(value) > limit:
        return too_long % {"n": limit}
    return None


def spreadsheet_safe(text):
    """A CSV cell a spreadsheet would run as a formula is kept as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
