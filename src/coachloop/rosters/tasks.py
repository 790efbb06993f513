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


def _load(import_id, status):
    """The import, if it is still waiting for this step. A task is given only an import's
    key; the import then says which trust's scope its work runs in."""
    with scopes_disabled():
        return (
            RosterImport.objects.filter(pk=import_id, status=status).select_related("trust").first()
        )


@task()
def staff_import_check_task(import_id: int) -> str:
    roster_import = _load(import_id, RosterImport.Status.CHECKING)
    if roster_import is None:
        return "nothing to check"
    try:
        services.staff_import_check(roster_import=roster_import)
    except Exception:
        logger.exception("Checking import %s failed", import_id)
        raise  # staff_import_check has marked it not applied
    logger.info("Import %s checked: %s.", import_id, roster_import.status)
    return roster_import.status


@task()
def staff_import_apply_task(
    import_id: int, actor_id: int, invite_new_people: bool, base_url: str
) -> str:
    roster_import = _load(import_id, RosterImport.Status.APPLYING)
    if roster_import is None:
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
        raise  # staff_import_apply has marked it not applied
    logger.info("Import %s applied: %s.", import_id, roster_import.status)
    return roster_import.status
