"""What the API holds about a person (``common.personal_data``): their own tokens, and the
integrations they set up.

A token's secret is never stored, so the download shows its name, its first characters and
its dates. Erasure deletes the person's own tokens (and their rate windows with them) and the
webhook deliveries of events about them; integrations they set up, and tokens they revoked,
are kept, naming them only by the pseudonymised account.
"""

from collections import Counter

from django.utils.translation import gettext as _

from coachloop.api.queries import deliveries_about, integrations_set_up_by, personal_tokens_of
from coachloop.common.personal_data import Contributor, Section

TOKEN_FIELDS = (
    "name",
    "prefix",
    "scopes",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
)

COVERS = {
    "api.ApiToken": "their own tokens deleted; tokens they revoked kept, naming them only by "
    "the pseudonymised account",
    "api.TokenWindow": "deleted with their tokens",
    "api.TokenSchool": "deleted with their tokens",
    "api.Integration": "kept, naming the person who set it up only by the pseudonymised "
    "account (its service account is not a person)",
    "api.WebhookEndpoint": "kept: an integration's, not the person's",
    "api.WebhookDelivery": "deleted when its event is about them or by them",
}


def _when(value):
    return value.isoformat() if value else None


def export(person, trust, *, for_person_themself):
    tokens = personal_tokens_of(person, trust)
    integrations = integrations_set_up_by(person, trust)
    return [
        Section(
            key="api.tokens",
            heading=_("Your API tokens"),
            records=[
                {
                    name: _when(value) if name.endswith("_at") else value
                    for name in TOKEN_FIELDS
                    for value in [getattr(token, name)]
                }
                for token in tokens
            ],
            note=_("A token's secret is never kept, only its first characters."),
        ),
        Section(
            key="api.integrations",
            heading=_("Integrations you set up"),
            records=[{"name": i.name, "created_at": _when(i.created_at)} for i in integrations],
        ),
    ]


def erase(person, trust):
    counts = Counter()
    deliveries = deliveries_about(person, trust)
    counts[_("webhook deliveries")] += deliveries.delete()[1].get("api.WebhookDelivery", 0)
    tokens = personal_tokens_of(person, trust)
    counts[_("API tokens")] += tokens.delete()[1].get("api.ApiToken", 0)
    return +counts


CONTRIBUTOR = Contributor(covers=COVERS, export=export, erase=erase)
