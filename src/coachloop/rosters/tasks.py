"""Background work for long imports: checking a file and applying it, run by the task worker
(``manage.py db_worker``) while the import's page follows its progress."""

import logging

from django.core.exceptions import ValidationError
from django_tasks import task

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import User
from coachloop.rosters import services
from coachloop.rosters.models import RosterImport

logger = logging.getLogger(__name__)


def _import(pk):
    # A task runs outside any request, with no trust's scope open: it is given the import's
    # key alone and reaches that one row (the services then open the import's trust's scope).
    with scopes_disabled():
        return RosterImport.objects.filter(pk=pk).select_related("trust").first()


def _failed(pk, message):
    with scopes_disabled():
        RosterImport.objects.filter(pk=pk).update(
            status=RosterImport.Status.FAILED, failure=message[:500]
        )


@task()
def staff_import_check_task(import_id: int) -> str:
    roster_import = _import(import_id)
    if roster_import is None or roster_import.status != RosterImport.Status.CHECKING:
        return "nothing to check"
    try:
        services.staff_import_check(roster_import=roster_import)
    except Exception:
        logger.exception("Checking import %s failed", import_id)
        _failed(import_id, "The file could not be checked because of an error in Coachloop.")
        raise
    return roster_import.status


@task()
def staff_import_apply_task(
    import_id: int, actor_id: int, invite_new_people: bool, base_url: str
) -> str:
    roster_import = _import(import_id)
    if roster_import is None or roster_import.status != RosterImport.Status.APPLYING:
        return "nothing to apply"
    actor = User.objects.filter(pk=actor_id).first()
    try:
        services.staff_import_apply(
            actor=actor,
            roster_import=roster_import,
            invite_new_people=invite_new_people,
            base_url=base_url,
        )
    except services.PlanChanged:
        return "checked again"
    except ValidationError:
        return "not applied"  # the import says why
    except Exception:
        logger.exception("Applying import %s failed", import_id)
        _failed(import_id, "Nothing was changed: applying stopped because of an error.")
        raise
    return roster_import.status
