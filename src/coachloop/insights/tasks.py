"""Background work for insights: keeping the rollups up to date."""

import logging

from django_tasks import task

from coachloop.insights.rollups import rollups_update as fill_rollups
from coachloop.people.models import Trust

logger = logging.getLogger(__name__)


@task()
def rollups_update(trust_id: int) -> int:
    """Bring one trust's rollups up to date; the number of weeks written."""
    trust = Trust.objects.filter(pk=trust_id).first()
    if trust is None:
        logger.warning("No trust with id %s: no rollups to update.", trust_id)
        return 0
    weeks = fill_rollups(trust=trust)
    logger.info("Rollups for trust %s: %d week(s) written.", trust_id, weeks)
    return weeks
