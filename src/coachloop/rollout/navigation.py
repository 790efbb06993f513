"""What rollout offers on other apps' pages (see ``common.navigation``); the offers are the
partials of ``rollout/offered.html``, each linking to a page of the school the page is about."""

from coachloop.common.navigation import Offer


def on_lead_home(viewer):
    """The pages that set coaching up at the school: its coaching model, its coaches and
    their caseloads, and its protected time (no query: every lead may open them)."""
    return [
        Offer("rollout/offered.html#coaching-model"),
        Offer("rollout/offered.html#coaching-team"),
        Offer("rollout/offered.html#protected-time"),
    ]


def on_starting_coaching(viewer):
    """Instructional coaching, which starts on the team's "assign a coach" page (no query)."""
    return [Offer("rollout/offered.html#start-instructional")]
