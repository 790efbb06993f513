"""Imports that a dead worker left "being checked" or "being applied".

Checking and applying an import are tasks (``rosters.tasks``); a task queued again after its
worker died finds the import still waiting for that step and does it again (applying is one
transaction, so a killed apply changed nothing). A task given up, or an import whose step has
no task left and started longer ago than ``COACHLOOP_TASK_STUCK_MINUTES`` (a page's request
killed while checking a small file in the request), is marked not applied, saying why.
"""

from django.utils.translation import gettext as _

from coachloop.common.task_recovery import live_tasks, stuck_limit
from coachloop.common.tenancy import scopes_disabled
from coachloop.rosters import services, tasks
from coachloop.rosters.models import RosterImport

TASKS = {
    tasks.staff_import_check_task.module_path: RosterImport.Status.CHECKING,
    tasks.staff_import_apply_task.module_path: RosterImport.Status.APPLYING,
}
UNFINISHED = [RosterImport.Status.CHECKING, RosterImport.Status.APPLYING]


def _stopped(roster_import):
    if roster_import.status == RosterImport.Status.CHECKING:
        return _("checking stopped because of an error in Coachloop.")
    return _("applying stopped because of an error in Coachloop.")


def on_task_given_up(sender, *, task_path, args, kwargs, reason, **extra):
    status = TASKS.get(task_path)
    if status is None or not args:
        return
    with scopes_disabled():
        roster_import = (
            RosterImport.objects.filter(pk=args[0], status=status).select_related("trust").first()
        )
    if roster_import is not None:
        services.staff_import_stopped(roster_import=roster_import, reason=_stopped(roster_import))


def sweep(*, now):
    """Mark not applied each unfinished import with no task left to finish it."""
    waiting = {args_kwargs["args"][0] for args_kwargs in live_tasks(TASKS) if args_kwargs["args"]}
    with scopes_disabled():
        left = list(
            RosterImport.objects.filter(
                status__in=UNFINISHED, phase_started_at__lt=now - stuck_limit()
            )
            .exclude(pk__in=waiting)
            .select_related("trust")
        )
    for roster_import in left:
        services.staff_import_stopped(roster_import=roster_import, reason=_stopped(roster_import))
    return [f"Import {each.pk} marked not applied: left unfinished" for each in left]
