"""What rollout holds about a person (``common.personal_data``): their coach training, the
quality-assurance visits of their coaching, their protected slots, the CPD sessions they were
invited to or led, their calendar feed, email choices and the reminders and digests sent.

Erasure deletes what is about them; targets they set, visits they made to other coaches and
sessions they led stay, naming them only by the pseudonymised account.
"""

from collections import Counter

from django.utils.translation import gettext as _

from coachloop.common.personal_data import (
    Contributor,
    Section,
    delete_counted,
    record_of,
    with_people,
)
from coachloop.rollout.models import (
    CalendarFeed,
    CoachTraining,
    CoverageTarget,
    CpdInvitation,
    CpdSession,
    DigestSent,
    EmailPreference,
    ProtectedSlot,
    QaVisit,
    ReminderSent,
)

KEPT = "kept, naming the person only by the pseudonymised account"

COVERS = {
    "rollout.CoverageTarget": "targets they set " + KEPT,
    "rollout.CoachTraining": "their training deleted; training they recorded for others " + KEPT,
    "rollout.QaVisit": "visits of their coaching deleted; visits they made " + KEPT,
    "rollout.ProtectedSlot": "their slots deleted",
    "rollout.CpdSession": "sessions they led " + KEPT + "; their invitations deleted",
    "rollout.CpdInvitation": "their invitations deleted",
    "rollout.CalendarFeed": "their feed deleted",
    "rollout.EmailPreference": "their choices deleted",
    "rollout.DigestSent": "the record of their digests deleted",
    "rollout.ReminderSent": "deleted with the coaching relationship it was about",
}


def export(person, trust, *, for_person_themself):
    def rows(model, leave_out=(), **lookup):
        found = with_people(model.objects.filter(trust=trust, **lookup))
        return [record_of(obj, leave_out=leave_out) for obj in found]

    return [
        Section(
            key="rollout.coaching_as_coach",
            heading=_("Your coach training, quality assurance and protected time"),
            records=rows(CoachTraining, coach=person)
            + rows(QaVisit, coach=person)
            + rows(ProtectedSlot, coach=person),
        ),
        Section(
            key="rollout.cpd",
            heading=_("Training sessions (twilights) you led or were invited to"),
            records=rows(CpdSession, led_by=person) + rows(CpdInvitation, person=person),
        ),
        Section(
            key="rollout.emails",
            heading=_("Your emails and calendar"),
            records=rows(EmailPreference, person=person)
            + rows(DigestSent, person=person)
            + rows(CalendarFeed, leave_out=("token_hash",), person=person)
            + rows(ReminderSent, relationship__coach=person),
            note=_("Your calendar feed's secret address is not included."),
        ),
        Section(
            key="rollout.targets",
            heading=_("Coverage targets you set"),
            records=rows(CoverageTarget, set_by=person),
        ),
    ]


def erase(person, trust):
    counts = Counter()
    for model, lookup in (
        (CoachTraining, "coach"),
        (QaVisit, "coach"),
        (ProtectedSlot, "coach"),
        (CpdInvitation, "person"),
        (CalendarFeed, "person"),
        (EmailPreference, "person"),
        (DigestSent, "person"),
    ):
        delete_counted(counts, model.objects.filter(trust=trust, **{lookup: person}))
    return counts


CONTRIBUTOR = Contributor(covers=COVERS, export=export, erase=erase)
