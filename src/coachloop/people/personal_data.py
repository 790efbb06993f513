"""What people holds about a person (``common.personal_data``): their account, roles, the
identifiers other systems give them, their sign-ins and two-step methods, and the audit trail:
what was done to or read of their records, and what they did.

Erasure ends their roles (kept as history, like every period), deletes their identifiers
and, unless their account is another trust's too (a retention run may erase a leaver who works
on elsewhere), their sign-ins (and the attempts kept by the address typed), email addresses,
linked accounts and two-step methods, and ends their sessions.
Their account itself is pseudonymised by ``people.erasure``, so the audit trail keeps every
row and names nobody.
"""

from collections import Counter

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coachloop.common.models import AuditEvent, FormSubmission, PreparedDownload
from coachloop.common.personal_data import (
    Contributor,
    Section,
    delete_counted,
    left_out,
    left_out_note,
    record_of,
)
from coachloop.people.erasure import shares_account
from coachloop.people.models import ExternalId, Membership, SignIn
from coachloop.people.sessions import end_every_session

COVERS = {
    "people.Membership": "their roles ended, kept as history",
    "people.ExternalId": "deleted",
    "people.SignIn": "deleted",
    "people.Erasure": "the record of the erasure, naming only the pseudonymised account",
    "common.AuditEvent": "every row kept; the account it names is pseudonymised and the "
    "summaries that named the person rewritten",
    "admin.LogEntry": "deleted",
    "common.FormSubmission": "deleted (the tokens of forms they sent, and where each went)",
    "common.PreparedDownload": "deleted (files made for them to download, kept a day at most)",
    "account.EmailAddress": "deleted",
    "account.EmailConfirmation": "deleted with the email address",
    "socialaccount.SocialAccount": "deleted",
    "socialaccount.SocialToken": "deleted with the linked account",
    "mfa.Authenticator": "deleted",
    "usersessions.UserSession": "ended and deleted",
}


# The audit trail in a download is an allow-list: for each event, what was done (in words),
# when and to which record; whose hand it was where the person may know it; and its summary
# only where the verb's summaries hold nothing withheld and nobody's content (a name, a role,
# a date). Marking is the case in point: "agreed 64" or a second marker's name must not reach
# a student before the marks are released (Data Protection Act 2018, Schedule 2, paragraph 25).
SUMMARY_SHOWN = (
    "read",
    "relationship.",
    "membership.",
    "person.",
    "enrolment.",
    "group_member.",
    "coaching_group.",
    "share.",
    "email_preference.",
    "email.",
    "trust.",
    "two_step.",
    "protected_slot.",
    "coach_training.",
    "coach.",
    "cpd_session.",
    "records.",
    "roster.",
    "identifier.",
)
# Whose hand it was is itself withheld: who marks, moderates or reads a submission.
HAND_WITHHELD = ("submission.", "assignment.", "mark.")
HAND_WITHHELD_RECORDS = ("programmes.submission", "programmes.mark")
WORDS = {"read": _lazy("Read"), "dropin": _lazy("drop-in")}


def _shown(verb, prefixes):
    return any(verb == p or (p.endswith(".") and verb.startswith(p)) for p in prefixes)


def verb_in_words(verb):
    words = [str(WORDS.get(part, part.replace("_", " "))) for part in verb.split(".")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _event(event, *, with_actor):
    data = {
        "when": event.created_at.isoformat(),
        "what": verb_in_words(event.verb),
        "record": f"{event.target_type} {event.target_id}",
    }
    if _shown(event.verb, SUMMARY_SHOWN):
        data["summary"] = event.summary
    withheld = _shown(event.verb, HAND_WITHHELD) or event.target_type in HAND_WITHHELD_RECORDS
    if with_actor and not withheld:
        data["who"] = event.actor.full_name if event.actor_id else _("Coachloop")
    return data


AUDIT_NOTE = _lazy(
    "Each event says what was done, when and to which record. What was written is in the "
    "sections above, not here; who marked, moderated or read a submission of programme work "
    "is left out, as its marks may be withheld until results are announced."
)


def export(person, trust, *, for_person_themself):
    roles = Membership.objects.filter(user=person, trust=trust).select_related("school")
    events = AuditEvent.objects.filter(trust=trust).select_related("actor")
    account = {
        "name": person.full_name,
        "email": person.email,
        "active": person.is_active,
        "joined": person.date_joined.isoformat(),
        "last_signed_in": person.last_login.isoformat() if person.last_login else None,
    }
    if for_person_themself:
        account |= {
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=person)
            ],
            "accounts_linked": [
                {"provider": a.provider, "uid": a.uid}
                for a in SocialAccount.objects.filter(user=person)
            ],
            "two_step_methods": [
                {"type": a.type, "created_at": a.created_at.isoformat()}
                for a in Authenticator.objects.filter(user=person)
            ],
            "admin_site_changes": [
                {
                    "when": entry.action_time.isoformat(),
                    "what": entry.get_action_flag_display(),
                    "record": f"{entry.content_type.app_label}.{entry.content_type.model} "
                    f"{entry.object_id}",
                }
                for entry in LogEntry.objects.filter(user=person).select_related("content_type")
            ],
            "forms_sent_this_week": FormSubmission.objects.filter(user=person).count(),
        }
        account_note = _(
            "Two-step methods are listed by kind only; their secrets are not included. Changes "
            "you made in the admin site say which record, not whose: that is their personal "
            "data. Forms you sent in the last week are counted only: each is kept as a random "
            "token and the page it led to, so that sending it twice saves it once."
        )
        sign_ins = Section(
            key="people.sign_ins",
            heading=_("Your sign-ins"),
            records=[
                record_of(s, leave_out=("person",)) for s in SignIn.objects.filter(person=person)
            ],
        )
    else:
        account_note = left_out_note(
            _("their other email addresses, linked sign-in accounts and two-step methods")
        )
        sign_ins = left_out(
            "people.sign_ins",
            _("Your sign-ins"),
            _("their sign-ins and the devices they used"),
        )
    return [
        Section(
            key="people.account",
            heading=_("Your account and roles"),
            records=[account]
            + [
                {
                    "role": m.get_role_display(),
                    "school": m.school.name if m.school_id else None,
                    "staff_group": m.staff_group,
                    "started_on": m.started_on.isoformat(),
                    "finished_on": m.finished_on.isoformat() if m.finished_on else None,
                }
                for m in roles
            ]
            + [record_of(i) for i in ExternalId.objects.filter(person=person, trust=trust)],
            note=account_note,
        ),
        sign_ins,
        Section(
            key="people.audit_about",
            heading=_("What was read or changed of your records, and by whom"),
            records=[_event(e, with_actor=True) for e in events.filter(subject=person)],
            note=AUDIT_NOTE,
        ),
        Section(
            key="people.audit_by",
            heading=_("What you did"),
            records=[_event(e, with_actor=False) for e in events.filter(actor=person)],
            note=_(
                "Each thing you did, without whose record it concerned where that was someone "
                "else's: that is their personal data."
            ),
        ),
    ]


def erase(person, trust):
    counts = Counter()
    today = timezone.localdate()
    roles = Membership.objects.filter(user=person, trust=trust)
    delete_counted(counts, roles.filter(started_on__gt=today))
    ended = roles.filter(Q(finished_on__isnull=True) | Q(finished_on__gt=today)).update(
        finished_on=today
    )
    if ended:
        counts[_("Roles ended")] += ended
    delete_counted(counts, ExternalId.objects.filter(person=person, trust=trust))
    delete_counted(counts, PreparedDownload.objects.filter(owner=person, trust=trust))
    if shares_account(person, trust):
        # The account is another trust's too: what is account-wide (sign-ins, addresses,
        # linked accounts, two-step methods, sessions) is theirs as much as this trust's.
        return counts
    delete_counted(counts, SignIn.objects.filter(person=person))
    delete_counted(counts, LogEntry.objects.filter(user=person))
    delete_counted(counts, FormSubmission.objects.filter(user=person))
    for model in (EmailAddress, SocialAccount, Authenticator):
        delete_counted(counts, model.objects.filter(user=person))
    # Sign-in attempts are kept by the address typed, not by account.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        delete_counted(counts, model.objects.filter(username__iexact=person.email))
    sessions = end_every_session(person)
    if sessions:
        counts[_("Sessions ended")] += sessions
    return counts


KINDS = {
    "people.ExternalId": _lazy("Identifiers in other systems"),
    "people.SignIn": _lazy("Sign-ins"),
    "admin.LogEntry": _lazy("Admin site log entries"),
    "common.FormSubmission": _lazy("Forms sent"),
    "common.PreparedDownload": _lazy("Files made to download"),
    "mfa.Authenticator": _lazy("Two-step sign-in methods"),
    "axes.AccessAttempt": _lazy("Sign-in attempts"),
    "axes.AccessFailureLog": _lazy("Failed sign-ins"),
    "axes.AccessLog": _lazy("Sign-in log entries"),
    "socialaccount.SocialAccount": _lazy("Linked sign-in accounts"),
}

CONTRIBUTOR = Contributor(covers=COVERS, export=export, erase=erase, kinds=KINDS)
