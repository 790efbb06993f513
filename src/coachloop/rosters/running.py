"""Whether an import runs now, in the request, or in the background: a file with more rows
than ``COACHLOOP_IMPORT_INLINE_ROWS`` goes to the task worker and its page follows it."""

from django.conf import settings

from coachloop.rosters import services, tasks


def in_background(roster_import):
    return roster_import.rows_total > settings.COACHLOOP_IMPORT_INLINE_ROWS


def check(roster_import):
    if in_background(roster_import):
        tasks.staff_import_check_task.enqueue(roster_import.pk)
    else:
        services.staff_import_check(roster_import=roster_import)


def apply(roster_import, *, actor, invite_new_people, base_url):
    """Apply now, or hand it to the worker. ``services.PlanChanged`` reaches the caller when
    applying now finds that the trust changed since the check."""
    services.staff_import_mark_applying(roster_import=roster_import)
    if in_background(roster_import):
        tasks.staff_import_apply_task.enqueue(
            roster_import.pk, actor.pk, invite_new_people, base_url
        )
        return
    services.staff_import_apply(
        actor=actor,
        roster_import=roster_import,
        invite_new_people=invite_new_people,
        base_url=base_url,
    )
