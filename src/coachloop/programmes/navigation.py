"""What programmes offers on other apps' pages (see ``common.navigation``); the offers are
the partials of ``programmes/offered.html``."""

from coachloop.common.navigation import Offer
from coachloop.programmes.queries.staff_pages import on_a_programme


def on_teacher_home(viewer):
    """Their master's programme, when they study on one or coach someone who does (one query)."""
    return [Offer("programmes/offered.html#teacher-home")] if on_a_programme(viewer) else []


def on_coach_home(viewer):
    """The teachers they coach on a programme, when they coach someone on one or study on one
    themselves (one query)."""
    return [Offer("programmes/offered.html#coach-home")] if on_a_programme(viewer) else []
