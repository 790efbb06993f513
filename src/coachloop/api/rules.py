"""Who may set up integrations and their webhooks: the trust's administrators. The roles in a
``Viewer`` are all in the viewer's trust, so another trust's integration never passes."""

import rules


@rules.predicate
def administers_trust(viewer):
    return viewer.is_administrator


rules.add_rule("api.manage_integrations", administers_trust)
