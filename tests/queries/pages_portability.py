"""Portability pages over the demo: the teacher's "Download my record" page, the page that
follows its PDF being made, and the administrator's import page. The JSON download reads one
query per kind of row (twelve, whatever the record's length:
tests/coaching/test_portability_export.py checks that), plus the request's own, so it is not
listed here; the PDF is made by the task worker."""

from django.urls import reverse

from coachloop.common.models import PreparedDownload
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Trust, User


def pages():
    teacher = User.objects.get(email="teacher@riverside.example.org")
    admin = User.objects.get(email="admin@riverside.example.org")
    with scopes_disabled():
        download = PreparedDownload.objects.create(
            trust=Trust.objects.get(slug="riverside"),
            owner=teacher,
            kind="coaching.record_pdf",
            title="Your coaching record as a PDF",
            file_name="coachloop-record.pdf",
            content_type="application/pdf",
        )
    return [
        (teacher, reverse("coaching:portability_download")),
        (admin, reverse("coaching:portability_import")),
        # The page that follows the PDF being made, and the part it asks for every second.
        (teacher, reverse("downloads:page", args=[download.pk])),
        (teacher, reverse("downloads:progress", args=[download.pk])),
    ]
