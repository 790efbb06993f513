"""Erasing a person on request, and erasing what a trust's retention period has run out for.

Every app says what it holds about a person through ``common.personal_data``; erasure runs
them from the highest layer down (a higher app's rows point at a lower app's), then
pseudonymises the account: the ``User`` row stays, so every audit event keeps its actor and
subject, but it is called "Erased person #<number>", has an address that cannot receive mail,
no password and no way to sign in, and the summaries of audit events that named the person
are rewritten to the pseudonym. An ``Erasure`` keeps the report (what was erased, per kind).
"""

from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Left, Replace
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.common.audit import audit_record
from coachloop.common.models import AuditEvent
from coachloop.common.personal_data import contributors
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.erasures import Erasure
from coachloop.people.models import ExternalId, Membership, Role, Trust, User

PSEUDONYM = "Erased person #%(number)d"
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never delivered


def still_to_do(kind):
    """Whether a report's line is work left for someone ("Still to do: ..."), not erased."""
    return kind.startswith(("Still to do:", _("Still to do:")))


def erased_total(counts):
    """How many records an erasure's ``counts`` ([[app, kind, n], ...]) erased."""
    return sum(n for _app, kind, n in counts if not still_to_do(kind))


def pseudonym(person):
    return PSEUDONYM % {"number": person.pk}


def is_erased(person):
    return person.email == f"erased-{person.pk}@{ERASED_DOMAIN}"


def _current_administrators(trust):
    today = timezone.localdate()
    return Membership.objects.filter(trust=trust, role=Role.ADMINISTRATOR).filter(
        Q(finished_on__isnull=True) | Q(finished_on__gte=today), started_on__lte=today
    )


def shares_account(person, trust):
    """Whether ``person`` has, or had, a role in a trust other than ``trust``: their account
    is that trust's too."""
    with scopes_disabled():
        return Membership.objects.filter(user=person).exclude(trust=trust).exists()


def erasure_problem(*, actor, trust, person):
    """Why ``actor`` may not erase ``person`` in ``trust``, or ``None``."""
    if is_erased(person):
        return _("This person has already been erased.")
    if actor is not None and actor.pk == person.pk:
        return _("You cannot erase yourself. Ask another administrator of your trust.")
    admins = _current_administrators(trust)
    if admins.filter(user=person).exists() and not admins.exclude(user=person).exists():
        return _(
            "%(name)s is the trust's only administrator. Give someone else the administrator "
            "role first."
        ) % {"name": person.full_name}
    if shares_account(person, trust):
        return _(
            "%(name)s has, or had, a role in another trust, which keeps its own records of "
            "them. Their records in this trust can be erased only by Coachloop's operators, "
            "once the other trust agrees."
        ) % {"name": person.full_name}
    return None


def _erase_content(person, trust):
    """Every app's erasure, highest layer first: [[app, kind, count], ...]."""
    from django.apps import apps

    rows = []
    for label, contributor in reversed(contributors()):
        app = str(apps.get_app_config(label).verbose_name)
        rows += [[app, kind, n] for kind, n in sorted(contributor.erase(person, trust).items())]
    return rows


def _pseudonymise(person):
    """Keep the row (the audit trail points at it), and nothing that identifies them."""
    # A name this short could be part of other words; the account no longer carries it anyway.
    names = [n for n in (person.full_name, person.email) if len(n) >= 4]
    new_name = pseudonym(person)
    person.full_name = new_name
    person.email = f"erased-{person.pk}@{ERASED_DOMAIN}"
    person.set_unusable_password()
    person.is_active = False
    person.last_login = None
    person.save(update_fields=["full_name", "email", "password", "is_active", "last_login"])
    with scopes_disabled():
        for name in names:
            AuditEvent.objects.filter(summary__contains=name).update(
                summary=Left(Replace("summary", Value(name), Value(new_name)), 200)
            )
            # The admin site's history of changes to them, by other administrators.
            LogEntry.objects.filter(object_repr__contains=name).update(
                object_repr=Left(Replace("object_repr", Value(name), Value(new_name)), 200)
            )
            LogEntry.objects.filter(change_message__contains=name).update(
                change_message=Replace("change_message", Value(name), Value(new_name))
            )
            Erasure.objects.filter(reason__contains=name).update(
                reason=Replace("reason", Value(name), Value(new_name))
            )


def _unname_identifiers(trust, values, new_name):
    """Other systems' identifiers for the person (a roster's "OneRoster sourcedId: rl-00005")
    identify them as well as a name: rewritten in the trust's audit summaries too."""
    for value in values:
        if len(value) >= 4:  # shorter could be part of other words
            AuditEvent.objects.filter(trust=trust, summary__contains=value).update(
                summary=Left(Replace("summary", Value(value), Value(new_name)), 200)
            )


def _erase(*, actor, trust, person, reason, account_too=True):
    identifiers = list(
        ExternalId.objects.filter(person=person, trust=trust).values_list("value", flat=True)
    )
    rows = _erase_content(person, trust)
    with scopes_disabled():
        _unname_identifiers(trust, identifiers, pseudonym(person))
        # An identifier since replaced is no longer on the person, but its event says it.
        AuditEvent.objects.filter(trust=trust, subject=person, verb="identifier.set").update(
            summary=pseudonym(person)
        )
    erasure = Erasure.objects.create(
        trust=trust, person=person, erased_by=actor, reason=reason, counts=rows
    )
    if account_too:
        _pseudonymise(person)  # the reason too, should it name them
    total = erased_total(rows)
    audit_record(
        actor=actor,
        verb="person.erased",
        target=erasure,
        subject=person,
        summary=ngettext("%(count)d record erased", "%(count)d records erased", total)
        % {"count": total},
    )
    return erasure


@transaction.atomic
def person_erase(*, actor, trust, person, reason):
    """Erase a person on request: their content deleted, their roles and sessions ended, their
    account pseudonymised. Returns the ``Erasure`` with its report."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Enter why this person is being erased.")})
    # Lock first, then check: two administrators (or one double submit) erasing at once, or
    # erasing each other as the last two administrators, wait here for one another, and the
    # second finds the person already erased, or the first gone as an administrator.
    Trust.objects.select_for_update().filter(pk=trust.pk).first()
    locked = User.objects.select_for_update().filter(pk=person.pk).first()
    person.refresh_from_db()
    problem = erasure_problem(actor=actor, trust=trust, person=locked or person)
    if problem:
        raise ValidationError(problem)
    return _erase(actor=actor, trust=trust, person=person, reason=reason)


def retention_cutoff(trust, today=None):
    """The day before which a record's end makes it expire: ``retention_years`` ago."""
    today = today or timezone.localdate()
    years = trust.retention_years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def leavers(trust, cutoff):
    """People whose every role in the trust ended before ``cutoff``, not yet erased."""
    return (
        User.objects.filter(memberships__trust=trust)
        .annotate(
            open=Count(
                "memberships",
                filter=Q(memberships__trust=trust, memberships__finished_on__isnull=True),
            ),
            last=Max("memberships__finished_on", filter=Q(memberships__trust=trust)),
        )
        .filter(open=0, last__lt=cutoff)
        .exclude(pk__in=Erasure.objects.filter(trust=trust).values("person_id"))
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .order_by("pk")
    )


@transaction.atomic
def expired_erase(*, trust, today=None, dry_run=False):
    """Erase what the trust's retention period has run out for: coaching, groups, programme
    work and roster files that ended before the cutoff, and people who left before it.
    Returns {kind: count}. Running it again erases nothing more. With ``dry_run`` nothing is
    kept: the same work is done and rolled back, so the counts are exact."""
    from django.apps import apps

    # As person_erase: the trust first, so two runs (a task queued again, the command beside
    # the nightly task) wait for each other and the second finds nothing left to erase.
    Trust.objects.select_for_update().filter(pk=trust.pk).first()
    cutoff = retention_cutoff(trust, today)
    totals = {}

    def add(kind, n):
        totals[kind] = totals.get(kind, 0) + n

    for label, contributor in reversed(contributors()):
        for kind, n in contributor.expire(trust, cutoff).items():
            add(f"{apps.get_app_config(label).verbose_name}: {kind}", n)
    gone = list(leavers(trust, cutoff))
    reason = _("Retention: every role in the trust ended before %(date)s.") % {
        "date": cutoff.isoformat()
    }
    for person in gone:
        # When their account is another trust's too, only what is here is erased.
        erasure = _erase(
            actor=None,
            trust=trust,
            person=person,
            reason=reason,
            account_too=not shares_account(person, trust),
        )
        for app, kind, n in erasure.counts:
            add(f"{app}: {kind}", n)
        add(_("People erased"), 1)
    total = sum(n for kind, n in totals.items() if not still_to_do(kind.split(": ", 1)[-1]))
    if dry_run:
        transaction.set_rollback(True)
    elif total:
        audit_record(
            actor=None,
            verb="records.expired",
            target=trust,
            trust=trust,
            summary=ngettext(
                "%(count)d record past the retention period erased",
                "%(count)d records past the retention period erased",
                total,
            )
            % {"count": total},
        )
    return {"cutoff": cutoff, "counts": totals, "total": total}
