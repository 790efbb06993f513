"""Background work for insights: keeping the rollups up to date."""

from django_tasks import task

from coachloop.insights.rollups import rollups_update as fill_rollups
from coachloop.people.models import Trust


@task()
def rollups_update(trust_id: int) -> int:
    """Bring one trust's rollups up to date; the number of weeks written."""
    trust = Trust.objects.filter(pk=trust_id).first()
    if trust is None:
        return 0
    return fill_rollups(trust=trust)
