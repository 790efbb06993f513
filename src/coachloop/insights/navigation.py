"""What insights offers on other apps' pages (see ``common.navigation``); the offers are the
partials of ``insights/offered.html``."""

from coachloop.common.navigation import Offer


def on_lead_home(viewer):
    """The school's insights, for its coaching lead (no query)."""
    return [Offer("insights/offered.html#lead-home")]
