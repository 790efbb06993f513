"""Emails: which ones a person wants, and the record that a reminder went out."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.rollout.models import DigestSent, EmailPreference, ReminderSent

EVERYTHING_ON = {"due_reminders": True, "weekly_digest": True}


def _summary(choices):
    return "; ".join(f"{kind} {'on' if on else 'off'}" for kind, on in choices.items())


@transaction.atomic
def email_preference_set(*, viewer, due_reminders, weekly_digest):
    """Turn each kind of email on or off for the viewer in their trust.

    Nothing is written when nothing changes; someone who has never chosen has everything on.
    """
    wanted = {"due_reminders": due_reminders, "weekly_digest": weekly_digest}
    if not all(isinstance(on, bool) for on in wanted.values()):
        raise ValidationError(_("Choose on or off for each kind of email."))
    preference = (
        EmailPreference.objects.select_for_update()
        .filter(trust=viewer.trust, person=viewer.user)
        .first()
    )
    current = {kind: getattr(preference, kind) for kind in wanted} if preference else EVERYTHING_ON
    if current == wanted:
        return preference or EmailPreference(trust=viewer.trust, person=viewer.user, **wanted)
    if preference is None:
        preference, _created = EmailPreference.objects.get_or_create(
            trust=viewer.trust, person=viewer.user
        )
    for kind, on in wanted.items():
        setattr(preference, kind, on)
    preference.save(update_fields=list(wanted))
    audit_record(
        actor=viewer.user,
        verb="email_preference.changed",
        target=preference,
        subject=viewer.user,
        summary=_summary(wanted),
    )
    return preference


@transaction.atomic
def due_reminder_send(*, trust, reminder, message, connection=None):
    """Record that a coach has been told about each teacher in ``reminder``, and send the
    email in the same transaction: a failed send records nothing, so it is tried again on the
    next run. (Should the commit itself fail after the send, the coach may be told twice,
    never not at all.)

    Raises ``IntegrityError`` when another run recorded one of these first (that run sends).
    """
    recorded = [
        ReminderSent.objects.create(
            trust=trust, relationship_id=row.relationship_id, kind=row.status, due_on=row.due_on
        )
        for row in reminder.teachers
    ]
    audit_record(
        actor=None,
        verb="email.due_reminder_sent",
        target=recorded[0],
        summary=f"coach {reminder.coach.pk}: {len(recorded)} teacher(s)",
        trust=trust,
    )
    message.connection = connection
    message.send()
    return recorded


@transaction.atomic
def digest_send(*, trust, person_id, kind, week, message, connection=None):
    """Record a person's weekly digest for ``week`` and send it, as ``due_reminder_send`` does.

    Raises ``IntegrityError`` when this week's digest was recorded already (by an earlier or
    parallel run), so nobody gets the same digest twice.
    """
    DigestSent.objects.create(trust=trust, person_id=person_id, kind=kind, week=week)
    message.connection = connection
    message.send()


@transaction.atomic
def email_unsubscribe(*, trust, person, preference):
    """Turn one kind of email off for ``person`` in ``trust``, from the link in the email
    itself (``rollout.unsubscribe``): nobody is signed in, so the audit event has no actor.

    Nothing is written when that kind is off already.
    """
    if preference not in EVERYTHING_ON:
        raise ValidationError(_("There is no such email to stop."))
    current = EmailPreference.objects.select_for_update().filter(trust=trust, person=person)
    preference_row = current.first()
    if preference_row is None:
        preference_row, _created = EmailPreference.objects.get_or_create(trust=trust, person=person)
    if not getattr(preference_row, preference):
        return preference_row
    setattr(preference_row, preference, False)
    preference_row.save(update_fields=[preference])
    audit_record(
        actor=None,
        verb="email_preference.changed",
        target=preference_row,
        subject=person,
        summary=f"{preference} off, from the link in an email",
        trust=trust,
    )
    return preference_row
