"""``/healthz``: whether the installation can do its work, for a monitor; ``/healthz/web``:
whether this web server can serve pages, for a load balancer.

``/healthz`` has three checks (django-health-check): the database answers, the uploads'
storage takes a file and gives it back, and the task queue is moving (nothing has waited too
long to start, nothing has run for far too long). ``/healthz/web`` has the first two only: a
stopped worker is something to be told about, not a reason for a load balancer to take every
web server out of service. 200 when all pass; 503 naming each check that failed. The answer
is plain text (or JSON when asked for), names no person and is never cached; it needs no
session, so a load balancer asks without signing in.

The checks run in the request's own thread (``sync_to_async``'s default), one after another,
with the request's database connection, instead of each in a thread of its own.
"""

import dataclasses
import datetime as dt
import uuid

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus, get_date_max
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

# The storage check's file, which a backup leaves out (common.backup).
FILE_PREFIX = "healthz-"


class _InRequestThread:
    """Runs a library check's ``run`` in the request's thread."""

    async def run(self):
        await sync_to_async(super().run)()


@dataclasses.dataclass(repr=False)
class Database(_InRequestThread, checks.Database):
    def __repr__(self):
        return "database"


@dataclasses.dataclass(repr=False)
class Storage(_InRequestThread, checks.Storage):
    """Saves, reads and deletes a small file at the top of MEDIA_ROOT (or the storage in use)."""

    def __repr__(self):
        return "storage"

    def get_file_name(self):
        return f"{FILE_PREFIX}{uuid.uuid4()}.txt"


@dataclasses.dataclass(repr=False)
class TaskQueue(HealthCheck):
    def __repr__(self):
        return "task queue"

    async def run(self):
        try:
            await sync_to_async(self.check)()
        except DatabaseError as error:
            raise ServiceUnavailable("the queue cannot be read from the database") from error

    def check(self):
        now = timezone.now()
        waited = now - dt.timedelta(minutes=settings.COACHLOOP_HEALTH_QUEUE_MAX_MINUTES)
        # Waiting since it was queued, or since the time it was to run after.
        waiting = DBTaskResult.objects.filter(
            Q(run_after=get_date_max()) | Q(run_after__lte=waited),
            status=TaskResultStatus.READY,
            enqueued_at__lte=waited,
        ).count()
        if waiting:
            raise ServiceUnavailable(
                f"{waiting} task(s) waiting more than "
                f"{settings.COACHLOOP_HEALTH_QUEUE_MAX_MINUTES} minutes to start: "
                "is the worker running?"
            )
        ran = now - dt.timedelta(minutes=settings.COACHLOOP_HEALTH_TASK_RUNNING_MAX_MINUTES)
        running = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lte=ran
        ).count()
        if running:
            raise ServiceUnavailable(
                f"{running} task(s) running for more than "
                f"{settings.COACHLOOP_HEALTH_TASK_RUNNING_MAX_MINUTES} minutes"
            )


class HealthView(HealthCheckView):
    checks = (Database, Storage, TaskQueue)

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:  # the library's "unhealthy"
            response.status_code = 503
        return response

    def render_to_response(self, context, **response_kwargs):
        """Plain text for a browser too: the library's page styles itself inline, which the
        Content-Security-Policy refuses."""
        return self.render_to_response_text(response_kwargs.get("status", 200))


healthz = HealthView.as_view()
healthz_web = HealthView.as_view(checks=(Database, Storage))
