"""The teacher's record as a readable PDF, made with WeasyPrint from a Django template.

The template carries its own small print stylesheet, so nothing needs fetching. The URL
fetcher given to WeasyPrint refuses everything except Coachloop's own static files, read
from disk: no network, no other file on the server, whatever a record's text contains.
"""

import functools
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.coaching.models import EvidenceKind

# WeasyPrint resolves relative addresses against this; it is never contacted.
BASE_URL = "https://coachloop.invalid/"
STATIC_PREFIX = BASE_URL + settings.STATIC_URL.lstrip("/")


def _static_file(url):
    """The path of the static file ``url`` names, or ``ValueError``."""
    if not url.startswith(STATIC_PREFIX):
        raise ValueError(f"The PDF may only use Coachloop's static files, not {url}")
    name = url[len(STATIC_PREFIX) :].split("?")[0].split("#")[0]
    if not name or ".." in Path(name).parts:
        raise ValueError(f"No static file {name}")
    path = finders.find(name)
    if path is None and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / name
        path = str(candidate) if candidate.is_file() else None
    if path is None:
        raise ValueError(f"No static file {name}")
    return path


@functools.cache
def static_files_only():
    """WeasyPrint's fetcher class, narrowed: it serves ``{BASE_URL}static/...`` from
    Coachloop's static files and refuses anything else. Built on first use, because WeasyPrint
    is slow to import and most requests never make a PDF."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = _static_file(url)
            mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, Path(path).read_bytes(), headers={"Content-Type": mime_type}
            )

    return StaticFilesOnly


def _label_evidence_kinds(record):
    labels = dict(EvidenceKind.choices)
    for goal in record.goals:
        goal.evidence_kind_labels = [labels.get(k, k) for k in goal.evidence_kinds or []]


def record_html(record, *, exported_at=None):
    """The record as the HTML page the PDF is printed from."""
    exported_at = exported_at or timezone.now()
    _label_evidence_kinds(record)
    return render_to_string(
        "coaching/portability/record_pdf.html",
        {
            "record": record,
            "teacher": record.teacher,
            "exported_on": timezone.localtime(exported_at).date(),
            "title": _("Coaching record: %(name)s") % {"name": record.teacher.full_name},
        },
    )


# Every PDF Coachloop makes is PDF/UA-1: tagged, so a screen reader reads its headings, lists
# and tables in order, with the title and language its HTML gives.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html):
    """PDF bytes (tagged, PDF/UA-1) from one of Coachloop's print templates, fetching nothing
    but its static files."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=static_files_only()())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def render_record_pdf(record, *, exported_at=None):
    """The record as PDF bytes."""
    return html_to_pdf(record_html(record, exported_at=exported_at))


def build_record_download(download):
    """The PDF of a prepared download (``common.downloads``): its owner's own record in its
    trust, read as the file is made."""
    from coachloop.coaching.queries.portability import teacher_record

    return render_record_pdf(teacher_record(teacher=download.owner, trust=download.trust))
