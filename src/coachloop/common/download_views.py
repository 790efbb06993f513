"""A prepared download's page (``common.downloads``): it follows the file being made, then
offers it. Only the person who asked for it reaches either; anyone else gets a 404."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from coachloop.common import downloads
from coachloop.common.decorators import member_required
from coachloop.common.models import PreparedDownload


def _context(download):
    return {
        "download": download,
        "preparing": download.status == PreparedDownload.Status.PREPARING,
        "ready": download.status == PreparedDownload.Status.READY,
        "stalled": downloads.is_stalled(download),
    }


@require_safe
@never_cache
@member_required()
def download_page(request, download_id):
    download = downloads.download_for(request.viewer, download_id)
    return render(request, "common/download.html", _context(download))


@require_safe
@never_cache
@member_required()
def download_progress(request, download_id):
    """Whether it is ready yet, asked every second by the page while the file is made; once
    it is made, the page reloads to offer it."""
    download = downloads.download_for(request.viewer, download_id)
    if download.status != PreparedDownload.Status.PREPARING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "common/download.html#progress", _context(download))


@require_safe
@never_cache
@member_required()
def download_file(request, download_id):
    download, body = downloads.download_body(request.viewer, download_id)
    if body is None:
        return redirect("downloads:page", download.pk)
    response = HttpResponse(body, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.file_name}"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


urlpatterns = [
    path("<int:download_id>/", download_page, name="page"),
    path("<int:download_id>/progress/", download_progress, name="progress"),
    path("<int:download_id>/file/", download_file, name="file"),
]
