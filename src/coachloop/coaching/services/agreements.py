"""Learning agreements: proposing a version and agreeing to it.

An agreement belongs to a relationship (co-coaching: to the one of the pair's two rows with
the lower id, so the pair keeps one agreement) or to a coaching group. Every change is a new
version, numbered one after the last; the proposer agrees to it by proposing it. A version
comes into force when every party has agreed to it (the teacher and coach, or the group's
current members at that moment); until then the version in force before it stays in force.
Versions are never changed or deleted, so every earlier one can still be read.

Both writes lock the relationship's or the group's row first, so two parties proposing at
the same moment are handled one after the other: the second is told that a newer version
exists, and nothing is written over.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coachloop.coaching.models import (
    AgreementConsent,
    AgreementVersion,
    CoachingGroup,
    Relationship,
)
from coachloop.coaching.services.errors import locked_for
from coachloop.coaching.services.groups import current_member_ids, locked_group
from coachloop.common.audit import audit_record
from coachloop.common.text import text_problem

TERMS = ("ground_rules", "confidentiality", "sharing", "appraisal", "meeting_frequency")
TEXTS = ("ground_rules", "confidentiality", "sharing")
TEXT_LIMIT = 4000
MEETING_LIMIT = AgreementVersion._meta.get_field("meeting_frequency").max_length

CHANGE = "coaching.change_agreement"
CHANGE_GROUP = "coaching.change_group_agreement"


def owner_pk(relationship):
    """The row a relationship's agreement hangs on: itself, or the lower of a co-coaching pair."""
    if relationship.peer_id and relationship.peer_id < relationship.pk:
        return relationship.peer_id
    return relationship.pk


def relationship_party_ids(relationship):
    return {pk for pk in (relationship.teacher_id, relationship.coach_id) if pk is not None}


# -- starting text -----------------------------------------------------------------------------


def _every(days):
    if days % 7 == 0 and days <= 28:
        return {
            1: _("Every week"),
            2: _("Every two weeks"),
            3: _("Every three weeks"),
            4: _("Every four weeks"),
        }[days // 7]
    if days == 1:
        return _("Every day")
    return ngettext("Every %(days)d day", "Every %(days)d days", days) % {"days": days}


def _relationship_terms(relationship):
    kind = relationship.kind
    Kind = Relationship.Kind
    rules_ = [
        _("We meet when we say we will, and say early if one of us cannot."),
        _("We start from what is going well, then work on one small step at a time."),
        _("We talk about practice, never about the person."),
        _("We say when something is not working for us, so that we can change it."),
    ]
    if kind == Kind.MENTORING:
        rules_.insert(
            1,
            _(
                "The new teacher's needs come first. The mentor supports; as the year goes "
                "on, the new teacher sets more and more of the direction."
            ),
        )
    elif kind == Kind.SPECIALIST:
        focus = relationship.subject or _("the aspect of practice we chose")
        rules_.insert(1, _("We keep our work to %(focus)s.") % {"focus": focus})
    elif kind == Kind.CO_COACHING:
        rules_.insert(
            1,
            _(
                "We are equals. Each of us coaches the other, and takes the care with the "
                "other's practice that we would want taken with our own."
            ),
        )
    else:
        rules_.insert(2, _("We practise each step together before it is tried with a class."))
    if kind == Kind.CO_COACHING:
        sharing = _(
            "Each of us decides what of our own is shared beyond the two of us: one item at a "
            "time, with a named person, for a set time, and we can stop sharing whenever we "
            "like. Coachloop shows each of us everyone who has read our records. Neither of "
            "us passes on anything about the other's practice without asking first."
        )
    else:
        sharing = _(
            "The teacher decides what is shared beyond the two of us: one item at a time, "
            "with a named person, for a set time, and they can stop sharing whenever they "
            "like. Coachloop shows the teacher everyone who has read their records. The coach "
            "asks before passing on anything about the teacher's coaching, even in general "
            "terms."
        )
    if relationship.cadence_days:
        meeting = _("%(every)s, for about an hour.") % {"every": _every(relationship.cadence_days)}
    elif kind == Kind.MENTORING:
        meeting = _("Once a week, for about an hour, in the time the school protects for it.")
    elif kind == Kind.CO_COACHING:
        meeting = _(
            "Every two weeks: each of us visits one of the other's lessons, and we talk about "
            "both soon after."
        )
    else:
        meeting = _(
            "Every week: a short drop-in of 10 to 15 minutes, then a conversation of about "
            "20 minutes within two days."
        )
    return {
        "ground_rules": "\n".join(rules_),
        "confidentiality": _(
            "What we say in our conversations stays between us. Notes, reflections and this "
            "agreement are seen in Coachloop only by the two of us. The school's coaching "
            "lead sees that coaching is happening (when we met, and which step is being "
            "worked on), but never what was said or written. The one exception is a "
            "safeguarding concern, which is always passed on under the school's "
            "safeguarding policy."
        ),
        "sharing": sharing,
        "appraisal": AgreementVersion.Appraisal.SEPARATE,
        "meeting_frequency": meeting,
    }


def _group_terms(group):
    rules_ = [
        _("We come to every session we can, and say early if we cannot."),
        _(
            "We give whoever brings a problem our full attention, and ask questions rather "
            "than give advice."
        ),
        _(
            "The person who brought the problem chooses their own action, and tells us next "
            "time how it went."
        ),
        _("We talk about practice, never about the person."),
        _("We say when something is not working for us, so that we can change it."),
    ]
    if group.kind == CoachingGroup.Kind.ACTION_LEARNING_SET:
        rules_.insert(3, _("We share the time fairly, so that everyone brings a problem in turn."))
    if group.cadence_days:
        meeting = _("%(every)s, for about an hour.") % {"every": _every(group.cadence_days)}
    else:
        meeting = _("Every three weeks, for about an hour and a quarter.")
    return {
        "ground_rules": "\n".join(rules_),
        "confidentiality": _(
            "What a member brings stays in the group. Session notes and this agreement are "
            "seen in Coachloop only by the group's current members. The school's coaching "
            "lead sees that the group met, never what was said or written. The one exception "
            "is a safeguarding concern, which is always passed on under the school's "
            "safeguarding policy."
        ),
        "sharing": _(
            "Each of us decides what of our own is shared outside the group. Nobody repeats "
            "another member's problem, or what they said, outside the group without asking "
            "them first."
        ),
        "appraisal": AgreementVersion.Appraisal.SEPARATE,
        "meeting_frequency": meeting,
    }


def agreement_starting_terms(*, relationship=None, group=None):
    """Suggested wording for a first agreement, which the parties change as they wish."""
    if group is not None:
        return _group_terms(group)
    return _relationship_terms(relationship)


# -- checks ------------------------------------------------------------------------------------


def _locked_subject(viewer, *, relationship=None, group=None):
    """Lock the row the agreement hangs on and check the viewer may change the agreement now.

    Returns (relationship, group, party ids), one of the first two being ``None``.
    """
    if (relationship is None) == (group is None):
        raise TypeError("An agreement is for a relationship or for a group.")
    if group is not None:
        locked = locked_group(CHANGE_GROUP, viewer, group)
        return None, locked, current_member_ids(locked)
    owner = relationship if owner_pk(relationship) == relationship.pk else relationship.peer
    locked = locked_for(CHANGE, viewer, owner)
    return locked, None, relationship_party_ids(locked)


def _versions_of(relationship, group):
    if group is not None:
        return AgreementVersion.objects.filter(group=group)
    return AgreementVersion.objects.filter(relationship=relationship)


def _stale(latest_number):
    return ValidationError(
        _(
            "Someone proposed version %(number)d of the agreement while you were writing. "
            "Read it first: you can then agree to it, or propose your change again."
        )
        % {"number": latest_number}
    )


def _cleaned_terms(terms):
    cleaned = {}
    problems = {}
    labels = {
        "ground_rules": _("Enter the ground rules."),
        "confidentiality": _("Say what stays confidential."),
        "sharing": _("Say what is shared, and with whom."),
        "meeting_frequency": _("Say how often you will meet."),
    }
    for name in TEXTS + ("meeting_frequency",):
        value = (terms.get(name) or "").strip()
        if problem := text_problem(
            value,
            limit=MEETING_LIMIT if name == "meeting_frequency" else TEXT_LIMIT,
            missing=labels[name],
            too_long=_("Keep this to %(n)d characters or fewer."),
        ):
            problems[name] = problem
        cleaned[name] = value
    appraisal = terms.get("appraisal") or ""
    if appraisal not in AgreementVersion.Appraisal.values:
        problems["appraisal"] = _("Choose how this relates to appraisal.")
    cleaned["appraisal"] = appraisal
    if problems:
        raise ValidationError(problems)
    return cleaned


def _subject_teacher(relationship):
    return relationship.teacher if relationship is not None else None


def _settle(version, party_ids, *, now):
    """Bring ``version`` into force if every party has agreed to it. True if it now is."""
    if version.in_force_from is not None:
        return True
    agreed = set(version.consents.values_list("person_id", flat=True))
    if not party_ids or not party_ids <= agreed:
        return False
    version.in_force_from = now
    version.save(update_fields=["in_force_from"])
    return True


# -- writes ------------------------------------------------------------------------------------


@transaction.atomic
def agreement_propose(*, viewer, based_on, relationship=None, group=None, **terms):
    """Propose a new version of the agreement, built on version ``based_on`` (0 for the first).

    The proposer agrees to it by proposing it. If someone else proposed a version since
    ``based_on`` was read, nothing is written and the proposer is told to read it first.
    """
    relationship, group, parties = _locked_subject(viewer, relationship=relationship, group=group)
    cleaned = _cleaned_terms(terms)
    latest = _versions_of(relationship, group).order_by("-number").first()
    latest_number = latest.number if latest else 0
    if based_on < latest_number:
        raise _stale(latest_number)
    if based_on != latest_number:  # not a version that exists: a stale or altered form
        raise ValidationError(_("Something went wrong. Open the agreement again and retry."))
    if latest is not None and all(getattr(latest, name) == cleaned[name] for name in TERMS):
        raise ValidationError(
            _("This is the same as version %(number)d. Change something before proposing it.")
            % {"number": latest_number}
        )
    now = timezone.now()
    owner = relationship or group
    try:
        with transaction.atomic():
            version = AgreementVersion.objects.create(
                trust_id=owner.trust_id,
                relationship=relationship,
                group=group,
                number=latest_number + 1,
                proposed_by=viewer.user,
                proposed_at=now,
                **cleaned,
            )
    except IntegrityError:  # a database without row locks let another proposal in first
        raise _stale(latest_number + 1) from None
    AgreementConsent.objects.create(
        trust_id=owner.trust_id, version=version, person=viewer.user, agreed_at=now
    )
    _settle(version, parties, now=now)
    audit_record(
        actor=viewer.user,
        verb="agreement.proposed",
        target=version,
        subject=_subject_teacher(relationship),
        summary=f"version {version.number}",
    )
    return version


@transaction.atomic
def agreement_agree(*, viewer, version):
    """Agree to the latest version. Once every party has, it is in force.

    A party who already agreed may also confirm a version that everyone now in the group has
    agreed to (someone who had not yet agreed left the group meanwhile).
    """
    relationship, group, parties = _locked_subject(
        viewer,
        relationship=version.relationship if version.relationship_id else None,
        group=version.group if version.group_id else None,
    )
    stored = AgreementVersion.objects.get(pk=version.pk)
    latest_number = (
        _versions_of(relationship, group).order_by("-number").values_list("number", flat=True)[0]
    )
    if stored.number != latest_number:
        raise ValidationError(
            _(
                "Version %(newer)d has been proposed since, so version %(number)d can no longer "
                "be agreed. Read version %(newer)d instead."
            )
            % {"newer": latest_number, "number": stored.number}
        )
    now = timezone.now()
    if not stored.consents.filter(person=viewer.user).exists():
        AgreementConsent.objects.create(
            trust_id=stored.trust_id, version=stored, person=viewer.user, agreed_at=now
        )
        _settle(stored, parties, now=now)
    elif stored.in_force_from is not None or not _settle(stored, parties, now=now):
        raise ValidationError(
            _("You have already agreed to version %(number)d.") % {"number": stored.number}
        )
    audit_record(
        actor=viewer.user,
        verb="agreement.agreed",
        target=stored,
        subject=_subject_teacher(relationship),
        summary=f"version {stored.number}",
    )
    version.in_force_from = stored.in_force_from
    return stored
