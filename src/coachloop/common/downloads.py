"""Files that take a while to make (a teacher's record as a PDF), made by the task worker
while their page follows them, so nobody waits on a blank screen.

Asking for one (``download_prepare``) saves a ``PreparedDownload`` for the person, writes its
audit event and queues ``tasks.download_build_task``; the person is sent to its page at once,
which asks every second whether it is ready and then offers the file. Drawing a PDF takes
seconds for a long record, longer than anyone should wait for a click to answer.

Each app says how its kinds of file are made, from its ``AppConfig.ready()``, through
``register(kind, build)``: ``build(download)`` returns the file's bytes, reading what it needs
(``download.arguments``) for ``download.owner`` in the download's trust scope, so what the
person may read is checked again as the file is made. Only the owner ever reaches a download;
each is deleted a day after it was asked for (when its owner asks for another, or by
``manage.py enqueue_daily_work``).
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from coachloop.common.audit import audit_record
from coachloop.common.models import PreparedDownload
from coachloop.common.tenancy import scopes_disabled, trust_scope

logger = logging.getLogger(__name__)

PREPARED = "download.prepared"
KEPT_FOR = dt.timedelta(days=1)
# Nothing has happened for this long: the task worker may not be running.
STALLED_AFTER = dt.timedelta(minutes=2)

_BUILDERS: dict[str, Callable[[PreparedDownload], bytes]] = {}


def register(kind, build):
    _BUILDERS[kind] = build


def expire(*, before=None):
    """Delete every download asked for before ``before`` (a day ago); how many."""
    before = before or timezone.now() - KEPT_FOR
    with scopes_disabled():
        deleted, _ = PreparedDownload.objects.filter(created_at__lt=before).delete()
    return deleted


@transaction.atomic
def download_prepare(
    *, owner, trust, kind, title, file_name, content_type, arguments=None, back=("", "")
):
    """Ask for a file to be made for ``owner``; the ``PreparedDownload`` to send them to.

    ``back`` is the (address, words) of the page the person came from, for the back link.
    """
    if kind not in _BUILDERS:
        raise ValueError(f"No builder for downloads of kind {kind!r}")
    with scopes_disabled():
        PreparedDownload.objects.filter(
            owner=owner, created_at__lt=timezone.now() - KEPT_FOR
        ).delete()
    download = PreparedDownload.objects.create(
        trust=trust,
        owner=owner,
        kind=kind,
        arguments=arguments or {},
        title=title,
        file_name=file_name,
        content_type=content_type,
        back_url=back[0],
        back_text=back[1],
    )
    audit_record(
        actor=owner, verb=PREPARED, target=download, subject=owner, trust=trust, summary=title
    )
    from coachloop.common.tasks import download_build_task

    transaction.on_commit(lambda: download_build_task.enqueue(download.pk))
    return download


def download_build(download_id):
    """Make the file, once: a download already made (or given up) is left as it is, so the
    task is safe to run twice. Its outcome ("ready", "failed", or "nothing to make")."""
    with scopes_disabled():
        download = (
            PreparedDownload.objects.filter(
                pk=download_id, status=PreparedDownload.Status.PREPARING
            )
            .select_related("trust", "owner")
            .first()
        )
    if download is None:
        return "nothing to make"
    try:
        with trust_scope(download.trust):
            body = _BUILDERS[download.kind](download)
    except Exception:
        logger.exception("Making download %s (%s) failed", download_id, download.kind)
        status, body = PreparedDownload.Status.FAILED, None
    else:
        status = PreparedDownload.Status.READY
    with scopes_disabled():
        PreparedDownload.objects.filter(
            pk=download_id, status=PreparedDownload.Status.PREPARING
        ).update(status=status, body=body, finished_at=timezone.now())
    return status


def download_for(viewer, download_id):
    """The viewer's own download in the trust they work in, or 404: nobody else's, ever."""
    download = (
        PreparedDownload.objects.filter(pk=download_id, owner=viewer.user, trust=viewer.trust)
        .defer("body")
        .first()
    )
    if download is None:
        raise Http404("No such download")
    return download


def download_body(viewer, download_id):
    """The bytes of the viewer's own download, or ``None`` while it is not ready."""
    download = download_for(viewer, download_id)
    if download.status != PreparedDownload.Status.READY:
        return download, None
    body = PreparedDownload.objects.filter(pk=download.pk).values_list("body", flat=True).get()
    return download, bytes(body)


def is_stalled(download):
    return (
        download.status == PreparedDownload.Status.PREPARING
        and timezone.now() - download.created_at > STALLED_AFTER
    )
