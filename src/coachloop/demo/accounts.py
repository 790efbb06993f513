"""The demo trust's name, its password, and its key accounts: one person per role, with a stable
email, in the first school and across the trust.
"""

from coachloop.people.models import Role, Trust, User

DEMO_TRUST_NAME = "Riverside Learning Trust"
DEMO_TRUST_SLUG = "riverside"
DEFAULT_PASSWORD = "coachloop-demo"  # noqa: S105 (a published demo password)

# The accounts the README and the login table point to: stable emails, first school.
KEY_ACCOUNTS = {
    "teacher": "Tom Whitfield",
    "coach": "Amara Okafor",
    "lead": "Helen Marsh",
    "head": "Richard Pemberton",
    "trustlead": "Sunita Rao",
    "admin": "Gareth Lloyd",
}


def key_email(trust_slug, key):
    """The address of one of the demo's key accounts (``teacher``, ``coach``, ``lead`` ...)."""
    return f"{key}@{trust_slug}.example.org"


def demo_logins(trust: Trust) -> list[tuple[str, str]]:
    """The demo's key accounts, one per role, as (role, email), for the README and the command."""
    labels = [
        ("teacher", "Teacher (coached by the coach below)"),
        ("coach", str(Role.COACH.label)),
        ("lead", str(Role.COACHING_LEAD.label)),
        ("head", str(Role.HEADTEACHER.label)),
        ("trustlead", str(Role.TRUST_LEAD.label)),
        ("admin", str(Role.ADMINISTRATOR.label)),
    ]
    emails = {key: key_email(trust.slug, key) for key, _ in labels}
    present = set(
        User.objects.filter(email__in=emails.values(), memberships__trust=trust)
        .values_list("email", flat=True)
        .distinct()
    )
    return [(label, emails[key]) for key, label in labels if emails[key] in present]
