"""Checks of single values the readers share: email addresses, dates, URNs and Teacher
Reference Numbers. Each returns the value made plain, or raises ``Invalid`` with the words an
administrator reads."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
URN = re.compile(r"\d{6}")
TRN = re.compile(r"\d{7}")


class Invalid(ValueError):
    pass


def quoted(value, longest=60):
    """A value as a message shows it: in quotation marks, and cut short when long."""
    value = str(value)
    if len(value) > longest:
        value = value[: longest - 1] + "…"
    return f"‘{value}’"


def email(value):
    value = value.strip()
    if not value:
        raise Invalid("Enter an email address: staff sign in with it.")
    try:
        validate_email(value)
    except ValidationError:
        raise Invalid(f"{quoted(value)} is not an email address.") from None
    return value.lower()


def iso_date(value):
    """A date written YYYY-MM-DD, as OneRoster writes them."""
    if ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid(f"{quoted(value)} is not a date written YYYY-MM-DD, for example 2025-09-01.")


def day_month_year(match):
    """The date a match of three groups (day, month, year) stands for, or ``None`` when there
    is no such day (31/02/2025)."""
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_either_way(value):
    """A date written YYYY-MM-DD or DD/MM/YYYY, as a spreadsheet made in the UK may."""
    match = UK_DATE.fullmatch(value)
    if match:
        day = day_month_year(match)
        if day is not None:
            return day
    elif ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid(
        f"{quoted(value)} is not a date. "
        "Write it as YYYY-MM-DD or DD/MM/YYYY, for example 01/09/2025."
    )


def date_of_timestamp(value):
    """The day (in the site's time zone) of a OneRoster dateLastModified, an ISO 8601 date and
    time such as 2025-09-01T07:30:00.000Z."""
    if ISO_DATE.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.date()
    raise Invalid(
        f"{quoted(value)} is not a date and time written as ISO 8601, "
        "for example 2025-09-01T07:30:00Z."
    )


def urn(value):
    if URN.fullmatch(value):
        return value
    raise Invalid(f"{quoted(value)} is not a school's URN: a URN is 6 digits, for example 137042.")


def trn(value):
    """A Teacher Reference Number: 7 digits (spaces, as some write it, are dropped)."""
    plain = value.replace(" ", "")
    if TRN.fullmatch(plain):
        return plain
    raise Invalid(f"{quoted(value)} is not a Teacher Reference Number: a TRN is 7 digits.")
