"""What the API offers on other apps' pages (see ``common.navigation``): on a person's account
page, their own API tokens, and to an administrator the trust's integrations. No query: the
viewer's roles are already read."""

import rules

from coachloop.common.navigation import Offer


def on_account(viewer):
    if viewer is None:
        return []
    offers = [Offer("api/offered.html#tokens")]
    if rules.test_rule("api.manage_integrations", viewer):
        offers.append(Offer("api/offered.html#integrations"))
    return offers
