"""Prepared downloads (common.downloads): a file made by the task worker for one person (a
teacher's record as a PDF). Its page, its progress and the file are that person's alone:
anyone else, their coach and their school's leaders included, gets a 404."""

from coachloop.common.models import PreparedDownload
from coachloop.common.tenancy import scopes_disabled
from tests.access.codes import content_route


def _download(status):
    def kwargs(r):
        with scopes_disabled():
            download = PreparedDownload.objects.create(
                trust=r.school.trust,
                owner=r.teacher,
                kind="coaching.record_pdf",
                title="Your coaching record as a PDF",
                file_name="coachloop-record.pdf",
                content_type="application/pdf",
                status=status,
                body=b"%PDF-1.7 made" if status == PreparedDownload.Status.READY else None,
            )
        return {"download_id": download.pk}

    return kwargs


ROWS = {
    "downloads:page": (
        "get",
        _download(PreparedDownload.Status.PREPARING),
        content_route({"teacher": 200}),
    ),
    "downloads:progress": (
        "get",
        _download(PreparedDownload.Status.PREPARING),
        content_route({"teacher": 200}),
    ),
    "downloads:file": (
        "get",
        _download(PreparedDownload.Status.READY),
        content_route({"teacher": 200}),
    ),
}
