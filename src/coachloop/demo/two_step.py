"""Two-step sign-in in the demo.

Headteachers, trust leads, administrators and programme leads must use two-step sign-in
(``people.two_step``). The demo is for trying Coachloop with a password alone, so its trust
waives it (``Trust.two_step_waived_for_demo``, which nothing but the demo sets), except for one
headteacher, of the second school, who has set it up: signing in as them asks for a code from
an authenticator app given the published key below, to show how it goes.
"""

import hashlib

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import encrypt

from coachloop.people.models import Membership, Role, School, Trust

# Published with the demo, as its password is: a key to add to any authenticator app.
DEMO_TOTP_SECRET = "COACHLOOPDEMOTWOSTEPSIGNINKEY234"  # noqa: S105
# The recovery codes are worked out from a seed; a fixed one keeps the demo the same each time.
DEMO_RECOVERY_SEED = hashlib.sha256(b"coachloop demo recovery codes").hexdigest()


def two_step_head(trust):
    """The demo's headteacher with two-step sign-in: the head of the second school (none when
    the demo has one school)."""
    schools = list(School.objects.filter(trust=trust).order_by("pk")[:2])
    if len(schools) < 2:
        return None
    return (
        Membership.objects.filter(school=schools[1], role=Role.HEADTEACHER)
        .select_related("user", "school")
        .order_by("pk")
        .first()
    )


def demo_two_step(trust, today, rng):
    """Waive two-step sign-in in the demo trust, and set it up for one head."""
    Trust.objects.filter(pk=trust.pk).update(two_step_waived_for_demo=True)
    trust.two_step_waived_for_demo = True
    membership = two_step_head(trust)
    if membership is None:
        return
    TOTP.activate(membership.user, DEMO_TOTP_SECRET)
    Authenticator.objects.create(
        user=membership.user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": encrypt(DEMO_RECOVERY_SEED), "used_mask": 0},
    )


def two_step_login(trust):
    """(what to call them, email, key) of the demo's head with two-step sign-in, or ``None``."""
    membership = two_step_head(trust)
    if membership is None:
        return None
    label = f"Headteacher of {membership.school.name}, with two-step sign-in"
    return label, membership.user.email, DEMO_TOTP_SECRET
