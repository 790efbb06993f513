"""Reading what an administrator uploads (or a scheduled sync finds in a folder) into the
shapes of ``coachloop.rosters.records``: a OneRoster CSV export (1.1 or 1.2, zipped or in a
folder) or a plain staff list (CSV or Excel workbook).

``read_bundle`` never raises for what a file holds: everything wrong becomes a ``Problem``
with its file, row and column, and a file that is no roster at all gives one problem. Files
are read a row at a time; students' rows are counted and dropped unread.
"""

from pathlib import Path

from django.utils import timezone

from coachloop.rosters.readers.oneroster import read_oneroster
from coachloop.rosters.readers.sources import Refused, open_source
from coachloop.rosters.readers.staff_table import (
    read_staff_csv,
    read_staff_xlsx,
    staff_template_csv,
    staff_template_xlsx,
)
from coachloop.rosters.records import Bundle, Problem

__all__ = ["read_bundle", "staff_template_csv", "staff_template_xlsx"]


def read_bundle(source, *, file_name=None, exported_on=None) -> Bundle:
    """What ``source`` holds: a path (a zip, a folder holding manifest.csv, a .csv or an
    .xlsx file) or a binary file-like object such as an upload, whose kind is told from its
    first bytes and ``file_name``. ``exported_on`` is the day the export was made, when known
    (otherwise it is taken from the export itself, see ``read_oneroster``)."""
    label = file_name or _label(source)
    try:
        with open_source(source, file_name=file_name) as opened:
            label = opened.label
            if opened.kind == "bundle":
                return read_oneroster(opened, exported_on=exported_on)
            if opened.kind == "csv":
                return read_staff_csv(opened.stream(), file_name=label, exported_on=exported_on)
            if opened.kind == "xlsx":
                return read_staff_xlsx(opened.stream(), file_name=label, exported_on=exported_on)
            return _refused(label, opened.reason, exported_on)
    except Refused as refusal:
        return _refused(refusal.file or label, str(refusal), exported_on)
    except OSError as error:
        return _refused(
            label, f"{label} could not be read ({error.strerror or error}).", exported_on
        )


def _label(source):
    name = source if isinstance(source, str) else getattr(source, "name", "") or "upload"
    return Path(str(name)).name


def _refused(label, message, exported_on):
    return Bundle(
        source_format="unknown",
        exported_on=exported_on or timezone.localdate(),
        problems=[Problem(label, None, None, message)],
    )
