"""Reads about rolling coaching out in a school. A school's coaching model and the trust's
policy are read through ``coachloop.policy.queries``."""


def current_target(targets, *, today):
    """Of a school's coverage targets, the one progress is measured against: the next one
    due (today or later), or, when all have passed, the last one due."""
    ordered = sorted(targets, key=lambda t: (t.due_by, t.pk))
    upcoming = [t for t in ordered if t.due_by >= today]
    return upcoming[0] if upcoming else (ordered[-1] if ordered else None)
