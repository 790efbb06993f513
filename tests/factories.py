"""Factories for test data. Create objects inside ``scopes_disabled()`` (see conftest)."""

import datetime as dt
import hashlib
import os
import time

import factory
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.webauthn.internal.auth import WebAuthn
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone
from fido2.cose import ES256
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)

from coachloop.coaching.models import ActionStep, DropIn, Rehearsal, Relationship
from coachloop.people.models import Membership, Role, School, SignInProvider, Trust, User
from coachloop.rosters.models import RosterImport


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"Riverside Learning Trust {n}")
    slug = factory.Sequence(lambda n: f"trust-{n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    trust = factory.SubFactory(TrustFactory)
    name = factory.Sequence(lambda n: f"Meadow Lane School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    urn = factory.Sequence(lambda n: f"{140000 + n}")
    phase = School.Phase.SECONDARY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-passphrase")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    school = factory.SubFactory(SchoolFactory)
    trust = factory.LazyAttribute(lambda m: m.school.trust if m.school else None)
    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    school = factory.SubFactory(SchoolFactory)
    trust = factory.LazyAttribute(lambda r: r.school.trust)
    coach = factory.SubFactory(UserFactory)
    teacher = factory.SubFactory(UserFactory)
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    # Recorded on the day it started, as coaching begun here is.
    created_at = factory.LazyAttribute(
        lambda r: timezone.make_aware(dt.datetime.combine(r.started_on, dt.time(8)))
    )


class ActionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionStep

    relationship = factory.SubFactory(RelationshipFactory)
    trust = factory.LazyAttribute(lambda s: s.relationship.trust)
    title = "Narrate the positive before correcting"
    success_looks_like = "Most of the class is back on task within ten seconds."
    set_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=14))
    proposed_by = factory.LazyAttribute(lambda s: s.relationship.coach)
    # Agreed, as most steps are; pass agreed_on=None for one still proposed.
    agreed_on = factory.LazyFunction(timezone.now)
    agreed_by = factory.LazyAttribute(lambda s: s.proposed_by if s.agreed_on else None)


class DropInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DropIn

    relationship = factory.SubFactory(RelationshipFactory)
    trust = factory.LazyAttribute(lambda d: d.relationship.trust)
    visited_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    class_or_group = "9X2"
    minutes = 12
    strengths = "Calm, warm start; the do-now was on the board as pupils arrived."
    noticed = "Three pupils at the back waited a long time for help."
    evidence = "Mini-whiteboards up within five seconds on the second signal."
    is_draft = False


class RehearsalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rehearsal

    action_step = factory.SubFactory(ActionStepFactory)
    trust = factory.LazyAttribute(lambda r: r.action_step.trust)
    planned_for = factory.LazyFunction(timezone.localdate)
    mode = Rehearsal.Mode.TOGETHER
    plan = "Practise the signal and the scan three times, then with a pupil playing up."
    planned_by = factory.LazyAttribute(lambda r: r.action_step.relationship.coach)


class RosterImportFactory(factory.django.DjangoModelFactory):
    """A staff import as the administrator left it (with problems, unless said)."""

    class Meta:
        model = RosterImport

    trust = factory.SubFactory(TrustFactory)
    kind = RosterImport.Kind.STAFF
    status = RosterImport.Status.PROBLEMS
    source_format = "csv"
    file_name = "staff-december.csv"
    exported_on = factory.LazyFunction(timezone.localdate)


class SignInProviderFactory(factory.django.DjangoModelFactory):
    """A trust's sign-in provider (another OpenID Connect provider, unless said)."""

    class Meta:
        model = SignInProvider

    trust = factory.SubFactory(TrustFactory)
    kind = SignInProvider.Kind.OPENID_CONNECT
    name = factory.Sequence(lambda n: f"Riverside accounts {n}")
    slug = factory.Sequence(lambda n: f"accounts-{n}")
    client_id = factory.Sequence(lambda n: f"coachloop-client-{n}")
    client_secret = "a-client-secret-for-tests"
    server_url = "https://accounts.example.org"
    allowed_domains = "example.org"


# A fixed authenticator-app secret for test people (base32, as the app is given it).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def two_step_set_up(user, *, secret=TOTP_SECRET):
    """Give ``user`` an authenticator app and recovery codes, as setting them up would."""
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return user


def totp_code(secret=TOTP_SECRET, *, steps_from_now=0):
    """The code an authenticator app holding ``secret`` shows now (or some steps away)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + steps_from_now
    return format_hotp_value(hotp_value(secret, counter))


def recovery_codes(user):
    """The person's recovery codes not used yet."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


def passkey_set_up(user, *, name="My phone", host="testserver"):
    """Give ``user`` a passkey, stored as a browser's answer to adding one would be (its
    signature is never checked here: signing in with one is the browser tests' part)."""
    key = ec.generate_private_key(ec.SECP256R1())
    credential_id = os.urandom(16)
    data = AttestedCredentialData.create(
        Aaguid.NONE, credential_id, ES256.from_cryptography_key(key.public_key())
    )
    flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
    authenticator_data = AuthenticatorData.create(
        hashlib.sha256(host.encode()).digest(), flags, 0, data
    )
    answer = RegistrationResponse(
        raw_id=credential_id,
        response=AuthenticatorAttestationResponse(
            client_data=CollectedClientData.create(
                type="webauthn.create", challenge=os.urandom(16), origin=f"https://{host}"
            ),
            attestation_object=AttestationObject.create("none", authenticator_data, {}),
        ),
    )
    return WebAuthn.add(user, name, dict(answer)).instance
