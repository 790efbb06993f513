"""What the audit trail says about coaching: a name for each coaching record read, and who a
reader is to the person whose records they read (their coach, a former coach, a coaching lead
at their school, someone they shared an item with). See ``common.trail``."""

from django.db.models import Exists, OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coachloop.coaching.models import DropIn, Relationship, ShareGrant
from coachloop.coaching.queries.reviews import REVIEW_OF_MY_COACHING
from coachloop.common.trail import Contribution
from coachloop.people.models import Membership, Role

NAMES_BY_TARGET = {
    "coaching.actionstep": gettext_lazy("an action step"),
    "coaching.rehearsal": gettext_lazy("a rehearsal plan"),
    "coaching.reflection": gettext_lazy("a reflection"),
    "coaching.goal": gettext_lazy("a goal"),
    "coaching.evidenceitem": gettext_lazy("a piece of evidence"),
    "coaching.agreementversion": gettext_lazy("your learning agreement"),
    "coaching.sessionreview": gettext_lazy("a session review you shared for QA"),
}
NAMES_BY_SUMMARY = {
    ("coaching.relationship", "goals"): gettext_lazy("your goals shared with your coach"),
    ("coaching.relationship", "stages on the framework's strands"): gettext_lazy(
        "your stages on the framework"
    ),
    ("coaching.relationship", "proposed steps"): gettext_lazy("the steps you proposed"),
    ("coaching.actionstep", "action step and its rehearsal plans"): gettext_lazy(
        "an action step and its rehearsal plans"
    ),
    ("coaching.actionstep", "evidence on a step"): gettext_lazy("the evidence on an action step"),
}


def _name(item, visits):
    if item.target_type == "coaching.dropin":
        visited_on = visits.get(int(item.target_id))
        if visited_on is None:
            return _("a drop-in")
        return _("the drop-in of %(date)s") % {"date": date_format(visited_on, "j F Y")}
    if item.target_type == "coaching.relationship" and item.summary.startswith("earlier coaching"):
        return _("your earlier coaching notes, from before your coach changed")
    if item.target_type == "coaching.sessionreview" and item.summary.startswith(
        REVIEW_OF_MY_COACHING
    ):
        return _("your coach’s review of a conversation with you, shared for quality assurance")
    if (item.target_type, item.summary) in NAMES_BY_SUMMARY:
        return str(NAMES_BY_SUMMARY[(item.target_type, item.summary)])
    if item.target_type in NAMES_BY_TARGET:
        return str(NAMES_BY_TARGET[item.target_type])
    return _("your coaching record")


def names(items):
    """A readable name for each coaching item, in the reader's language (one query, for the
    dates of the drop-ins read)."""
    mine = [item for item in items if item.target_type.startswith("coaching.")]
    dropin_ids = [int(item.target_id) for item in mine if item.target_type == "coaching.dropin"]
    visits = (
        dict(DropIn.objects.filter(pk__in=dropin_ids).values_list("pk", "visited_on"))
        if dropin_ids
        else {}
    )
    named = {}
    for item in mine:
        name = _name(item, visits)
        if item.summary.startswith("read under share"):
            name = _("%(item)s (which you shared with them)") % {"item": name}
        named[item] = name
    return named


def relations(viewer):
    coached = Relationship.objects.filter(teacher_id=viewer.pk, coach_id=OuterRef("pk"))
    schools = {m.school_id for m in viewer.memberships if m.school_id}
    return {
        "coaches_me": Exists(coached.filter(finished_on__isnull=True)),
        "coached_me": Exists(coached.filter(finished_on__isnull=False)),
        "leads_my_school": Exists(
            Membership.objects.current().filter(
                user_id=OuterRef("pk"), role=Role.COACHING_LEAD, school_id__in=schools
            )
        ),
        "shared_with": Subquery(
            ShareGrant.objects.filter(owner_id=viewer.pk, grantee_id=OuterRef("pk"))
            .order_by("-created_at", "-pk")
            .values("item_title")[:1]
        ),
    }


def labels(row):
    found = []
    if row["coaches_me"]:
        found.append(_("your coach"))
    elif row["coached_me"]:
        found.append(_("your former coach"))
    if row["leads_my_school"]:
        found.append(_("a coaching lead at your school"))
    if row["shared_with"]:
        found.append(_("you shared “%(title)s” with them") % {"title": row["shared_with"]})
    return found


CONTRIBUTION = Contribution(names=names, relations=relations, labels=labels)
