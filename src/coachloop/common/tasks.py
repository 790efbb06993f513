"""Background work of the common app: making a prepared download (``common.downloads``)."""

from django_tasks import task

from coachloop.common.downloads import download_build


@task()
def download_build_task(download_id: int) -> str:
    return download_build(download_id)
