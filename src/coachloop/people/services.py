"""Every write to people and their roles: one function, one transaction, one audit event each.

Roles are periods: a membership is started, and later finished; it is never edited or
deleted, so who held which role when stays on record.

What limits signing in and password links (``password_link_request``, ``sign_in_release``)
is bookkeeping kept for minutes, before anyone is signed in or in any trust: not audited.
"""

import datetime as dt
import enum
import logging
import secrets

from allauth.mfa.models import Authenticator
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coachloop.common.audit import audit_record
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people import single_sign_on
from coachloop.people.middleware import SESSION_SIGNED_IN_FOR_TRUST_KEY, SESSION_TRUST_KEY
from coachloop.people.models import Membership, PasswordLinkRequest, Role, Trust, User
from coachloop.people.sessions import end_every_session, end_sessions_if_no_role_left

logger = logging.getLogger(__name__)


def _send_mail(kind, person, subject, body):
    """Send one email after the change it is about has been saved. A mail server that is down
    must not undo, or hide, what was saved: the failure is logged for the operators (by
    person, not address) and the page goes on."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    except Exception:
        logger.exception("Could not send the %s email to person %s.", kind, person.pk)


def email_problem(*, trust, email, person=None):
    """Why ``email`` cannot be ``person``'s (someone new, if ``None``) in ``trust``, or ``None``.

    An address belongs to one account across Coachloop. When someone who has, or had, a role
    in this trust holds it, they are named: the administrator can see them already. Anyone
    else's address gets an answer that names nobody and no trust, the same whether its holder
    works in another trust or nowhere now, so one trust's administrator cannot learn from it
    who works where.
    """
    email = User.objects.normalize_email(email).lower()
    with scopes_disabled():
        holder = User.objects.filter(email__iexact=email).exclude(pk=getattr(person, "pk", None))
        holder = holder.first()
        here = holder is not None and Membership.objects.filter(user=holder, trust=trust).exists()
    if holder is None:
        return None
    if here:
        return _(
            "%(name)s already has this email address. Find them under People to give them "
            "another role."
        ) % {"name": holder.full_name or holder.email}
    return _(
        "This email address cannot be used here. Check it with the person; if it is right, "
        "Coachloop's operators can help."
    )


@transaction.atomic
def person_add(*, actor, trust, email, full_name):
    """Add someone to the trust's records. They choose their own password from an email."""
    email = User.objects.normalize_email(email).lower()
    problem = email_problem(trust=trust, email=email)
    if problem:
        raise ValidationError({"email": problem})
    person = User(email=email, full_name=full_name.strip())
    # Nobody, the administrator included, knows this password: the person sets their own.
    person.set_password(secrets.token_urlsafe(32))
    person.save()
    audit_record(actor=actor, verb="person.added", target=person, subject=person, trust=trust)
    return person


def elsewhere(person, trust):
    """Whether the person has a role in another trust that has not finished (or not begun).

    Their account is then shared, and one trust's administrator must not change who the
    person is or how they sign in. This looks across trusts, so it says only yes or no.
    """
    today = timezone.localdate()
    with scopes_disabled():
        return (
            Membership.objects.filter(user=person)
            .exclude(trust=trust)
            .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=today))
            .exists()
        )


def _only_elsewhere(person, trust):
    with scopes_disabled():
        roles = Membership.objects.filter(user=person)
        return roles.exists() and not roles.filter(trust=trust).exists()


def person_update_problem(*, trust, person, full_name, email, is_active):
    """Why this trust may not make these changes to the person, or ``None``: someone who also
    works in another trust keeps the name, email address and access they have there."""
    stored = User.objects.get(pk=person.pk)
    changes = (User.objects.normalize_email(email).lower(), is_active, full_name.strip())
    if changes != (stored.email, stored.is_active, stored.full_name) and elsewhere(person, trust):
        return _(
            "This person also works in another trust, so their name, email address and "
            "access can only be changed by them or by Coachloop's operators."
        )
    return None


@transaction.atomic
def person_update(*, actor, trust, person, full_name, email, is_active):
    problem = person_update_problem(
        trust=trust, person=person, full_name=full_name, email=email, is_active=is_active
    )
    if problem:
        raise ValidationError(problem)
    email = User.objects.normalize_email(email).lower()
    person.full_name = full_name.strip()
    person.email = email
    person.is_active = is_active
    person.save(update_fields=["full_name", "email", "is_active"])
    audit_record(actor=actor, verb="person.changed", target=person, subject=person, trust=trust)
    return person


def person_invite(*, person, base_url):
    """Email a link to choose a password, once the transaction that added them (and their
    first role) commits. Someone whose trust signs its staff in only with their own
    accounts is told which button to use instead, and sent no password link."""

    def send():
        closed = single_sign_on.password_sign_in_closed(person)
        context = {"person": person}
        if closed:
            context["providers"] = single_sign_on.providers_of(closed)
            context["link"] = base_url.rstrip("/") + reverse("login")
        else:
            context["link"] = base_url.rstrip("/") + reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
                    "token": default_token_generator.make_token(person),
                },
            )
        subject = render_to_string("people/welcome_subject.txt", context).strip()
        body = render_to_string("people/welcome_email.txt", context)
        _send_mail("welcome", person, subject, body)

    # A mail server that is down must not undo, or hide, what was saved: it is logged.
    transaction.on_commit(send)


def two_step_reset_problem(*, trust, person):
    """Why this trust's administrator may not reset the person's two-step sign-in, or ``None``.
    Someone who also works in another trust keeps how they sign in there too."""
    if elsewhere(person, trust):
        return _(
            "This person also works in another trust, so only Coachloop's operators can reset "
            "their two-step sign-in."
        )
    return None


@transaction.atomic
def two_step_reset(*, actor, trust, person, by_operator=False):
    """Forget the person's two-step sign-in (authenticator app, passkeys and security keys,
    recovery codes), sign them out everywhere and tell them by email. If they must use it,
    they set it up again when they next sign in. Operators (``by_operator``) may reset anyone.
    Returns how many ways of signing in were forgotten."""
    problem = None if by_operator else two_step_reset_problem(trust=trust, person=person)
    if problem:
        raise ValidationError(problem)
    User.objects.select_for_update().get(pk=person.pk)  # one reset or setting-up at a time
    forgotten, _by_kind = Authenticator.objects.filter(user_id=person.pk).delete()
    ended = end_every_session(person)
    audit_record(
        actor=actor,
        verb="two_step.reset",
        target=person,
        subject=person,
        trust=trust,
        summary=f"{forgotten} ways of signing in forgotten, {ended} sessions ended",
    )
    context = {"person": person, "actor": actor, "trust": trust}
    subject = render_to_string("people/two_step_reset_subject.txt", context).strip()
    body = render_to_string("people/two_step_reset_email.txt", context)
    transaction.on_commit(lambda: _send_mail("two-step reset", person, subject, body))
    return forgotten


@transaction.atomic
def membership_start(
    *, actor, trust, user, role, school=None, started_on=None, joining_from_elsewhere=False
):
    """Give someone a role. Someone who so far has roles only in other trusts is not added
    by an administrator here (they would gain a say over that person's account); operators
    may, with ``joining_from_elsewhere``."""
    if not joining_from_elsewhere and _only_elsewhere(user, trust):
        raise ValidationError(
            {"user": _("This person has an account with another trust and cannot be added here.")}
        )
    membership = Membership(
        trust=trust,
        user=user,
        role=role,
        school=school,
        started_on=started_on or timezone.localdate(),
    )
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        verb="membership.started",
        target=membership,
        subject=user,
        summary=str(membership),
    )
    return membership


@transaction.atomic
def membership_finish(*, actor, membership, finished_on):
    """Close a role. A finished role stays finished: a new one is started instead.

    A role finished before today has already ended: when it was the person's last, in any
    trust, all their sessions end once this is saved. (One that ends today or later ends
    them at the person's first request after it has: ``people.sessions``.)"""
    stored = Membership.objects.select_for_update().get(pk=membership.pk)
    if stored.finished_on is not None:
        raise ValidationError(
            {"finished_on": _("This role has already finished. Start a new role instead.")}
        )
    if finished_on < stored.started_on:
        raise ValidationError({"finished_on": _("A role cannot finish before it started.")})
    stored.finished_on = finished_on
    stored.save(update_fields=["finished_on"])
    if finished_on < timezone.localdate():
        person = stored.user
        transaction.on_commit(lambda: end_sessions_if_no_role_left(person))
    audit_record(
        actor=actor,
        verb="membership.finished",
        target=stored,
        subject=stored.user,
        summary=str(stored),
    )
    return stored


SIGNED_IN_FOR_ANOTHER_TRUST = _lazy(
    "You signed in with a trust's own accounts, which can sign you in to that trust only. To "
    "work in another trust, sign out, then sign in with your Coachloop password or that "
    "trust's own accounts."
)
NOT_YOUR_TRUST = _lazy(
    "You do not have a role in that trust. Choose one of the trusts listed, or ask your "
    "school's administrator if one is missing."
)


@transaction.atomic
def trust_choose(*, person, trust, session):
    """Work in ``trust`` for the rest of this session (``session`` is the request's): a trust
    where the person has a current role, and, in a session signed in through a trust's own
    provider, that trust only. Any other trust is refused and nothing changes."""
    with scopes_disabled():
        theirs = Membership.objects.current().filter(user=person, trust=trust).exists()
    if not theirs:
        raise ValidationError({"trust": NOT_YOUR_TRUST})
    signed_in_for = session.get(SESSION_SIGNED_IN_FOR_TRUST_KEY)
    if signed_in_for is not None and signed_in_for != trust.pk:
        raise ValidationError({"trust": SIGNED_IN_FOR_ANOTHER_TRUST})
    audit_record(actor=person, verb="trust.chosen", target=trust, subject=person, trust=trust)
    session[SESSION_TRUST_KEY] = trust.pk
    return trust


@transaction.atomic
def trust_create(*, name, slug, administrator_email, administrator_name, base_url):
    """A new tenant with its first administrator, who is emailed a link to set a password.

    The administrator may already have an account (in another trust); they keep it.
    """
    if Trust.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A trust with this short name already exists.")})
    trust = Trust.objects.create(name=name.strip(), slug=slug)
    with trust_scope(trust):
        administrator = User.objects.filter(email__iexact=administrator_email).first()
        invite = administrator is None
        if invite:
            administrator = person_add(
                actor=None, trust=trust, email=administrator_email, full_name=administrator_name
            )
        membership_start(
            actor=None,
            trust=trust,
            user=administrator,
            role=Role.ADMINISTRATOR,
            school=None,
            joining_from_elsewhere=True,
        )
        if invite:
            person_invite(person=administrator, base_url=base_url)
    return trust, administrator


class PasswordLink(enum.Enum):
    """What becomes of a request for a password link."""

    SEND = "send"
    # Enough links went to this email address in the last hour: nothing more is sent, and the
    # page says what it always says, so nobody learns whether the address has an account.
    ENOUGH_FOR_EMAIL = "enough_for_email"
    # Too many were asked for from this network address: the page says so.
    TOO_MANY_FROM_ADDRESS = "too_many_from_address"


PASSWORD_LINK_WINDOW = dt.timedelta(hours=1)


def _email_digest(email):
    normalised = email.strip().lower()
    return salted_hmac("coachloop.people.password-link", normalised, algorithm="sha256").hexdigest()


@transaction.atomic
def password_link_request(*, email, address):
    """Whether a password link may be sent to ``email``, asked for from ``address``; a link
    that may be sent is counted. Requests older than the window are forgotten here."""
    since = timezone.now() - PASSWORD_LINK_WINDOW
    PasswordLinkRequest.objects.filter(requested_at__lt=since).delete()
    recent = PasswordLinkRequest.objects.filter(requested_at__gte=since)
    from_address = recent.filter(address=address).count() if address else 0
    if from_address >= settings.COACHLOOP_RESET_LINKS_PER_ADDRESS:
        return PasswordLink.TOO_MANY_FROM_ADDRESS
    digest = _email_digest(email)
    if recent.filter(email_digest=digest).count() >= settings.COACHLOOP_RESET_LINKS_PER_EMAIL:
        return PasswordLink.ENOUGH_FOR_EMAIL
    PasswordLinkRequest.objects.create(email_digest=digest, address=address)
    return PasswordLink.SEND


def sign_in_release(*, person):
    """Let the person sign in again at once: they have just chosen a new password from a
    link sent to their email, which is proof enough that the account is theirs."""
    return axes_reset(username=person.email)
