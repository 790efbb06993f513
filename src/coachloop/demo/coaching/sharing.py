"""Demo rows for sharing: the demo teacher has shared a reflection and two drop-ins with
colleagues at their school: one share in force (which the colleague has read, so the reads
show on the teacher's "who has read my records"), one the teacher stopped, one that ran out.

The shares are dated from ``today`` (the demo may be built for another day than the real one,
where the services' checks against the real date would not fit), so they are written here
with the same audit events the services write. Everything follows from ``rng``.
"""

import datetime as dt

from django.utils import timezone

from coachloop.coaching.models import DropIn, Reflection, Relationship, ShareGrant
from coachloop.coaching.queries.sharing import audit_share_read
from coachloop.coaching.services.sharing import item_title, kind_of
from coachloop.common.audit import audit_record
from coachloop.demo.accounts import key_email
from coachloop.people.models import Membership, Role, User

REFLECTION_TITLE = "Why my lesson starts are calmer now"
REFLECTION_BODY = (
    "Three weeks ago the first five minutes of my lessons were the hardest part of the "
    "day. Since I started meeting the class at the door with the do-now already on the board, "
    "most pupils are writing before I have taken the register.\n\n"
    "What I did not expect: it is the same three or four pupils who still drift, and they are "
    "the ones who arrive last from PE. Next I want to try giving that group a shorter first "
    "task, so they can catch up without me stopping everyone."
)
ACTIVE_NOTE = "I'd value your view on this before our next staff meeting."
REVOKED_NOTE = "The drop-in I mentioned in the staff room."


def _at(day, hour=16):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _grant(*, owner, grantee, item, created_on, expires_on, note=""):
    grant = ShareGrant.objects.create(
        trust_id=item.trust_id,
        owner=owner,
        grantee=grantee,
        item_kind=kind_of(item),
        item_id=item.pk,
        item_title=item_title(item),
        note=note,
        created_at=_at(created_on),
        expires_on=expires_on,
    )
    audit_record(
        actor=owner,
        verb="share.granted",
        target=grant,
        subject=owner,
        summary=f"{grant.item_kind} {item.pk} shared with person {grantee.pk} "
        f"until {expires_on:%Y-%m-%d}",
    )
    return grant


def _colleagues(teacher, school, today, rng):
    """Two teachers at the teacher's school who do not coach them, chosen by ``rng``."""
    coaches = set(Relationship.objects.filter(teacher=teacher).values_list("coach_id", flat=True))
    ids = sorted(
        set(
            Membership.objects.current(today)
            .filter(school=school, role=Role.TEACHER)
            .exclude(user=teacher)
            .exclude(user_id__in=coaches)
            .values_list("user_id", flat=True)
        )
    )
    if len(ids) < 2:
        return []
    chosen = rng.sample(ids, 2)
    people = User.objects.in_bulk(chosen)
    return [people[pk] for pk in chosen]


def _reflection(teacher, trust, today):
    reflection = Reflection.objects.filter(teacher=teacher).order_by("-written_on", "-pk").first()
    if reflection is None:
        reflection = Reflection.objects.create(
            trust=trust,
            teacher=teacher,
            written_on=today - dt.timedelta(days=9),
            title=REFLECTION_TITLE,
            body=REFLECTION_BODY,
        )
    return reflection


def demo_sharing(trust, today, rng):
    """Add the demo teacher's shares: a reflection shared now (and read twice), a drop-in
    they stopped sharing, and an older drop-in whose share ran out. Runs inside the trust's
    scope."""
    teacher = User.objects.filter(email=key_email(trust.slug, "teacher")).first()
    if teacher is None:
        return
    relationship = (
        Relationship.objects.filter(teacher=teacher, school__isnull=False)
        .select_related("school")
        .order_by("-started_on", "pk")
        .first()
    )
    if relationship is None:
        return
    colleagues = _colleagues(teacher, relationship.school, today, rng)
    if not colleagues:
        return
    colleague, other = colleagues
    dropins = list(
        DropIn.objects.filter(relationship__teacher=teacher, is_draft=False).order_by(
            "-visited_on", "-pk"
        )[:10]
    )
    reflection = _reflection(teacher, trust, today)

    active = _grant(
        owner=teacher,
        grantee=colleague,
        item=reflection,
        created_on=min(today, max(reflection.written_on, today - dt.timedelta(days=5))),
        expires_on=today + dt.timedelta(days=25),
        note=ACTIVE_NOTE,
    )
    for _read in range(2):
        audit_share_read(reader=colleague, grant=active, item=reflection)

    # Each drop-in is shared after its visit: the stopped one at least twelve days ago, the
    # one that ran out a week before it ran out.
    shared_on = today - dt.timedelta(days=12)
    stopped_item = next((d for d in dropins if d.visited_on <= shared_on), None)
    if stopped_item is not None:
        stopped = _grant(
            owner=teacher,
            grantee=colleague,
            item=stopped_item,
            created_on=shared_on,
            expires_on=today + dt.timedelta(days=18),
            note=REVOKED_NOTE,
        )
        stopped.revoked_at = _at(today - dt.timedelta(days=8), hour=8)
        stopped.save(update_fields=["revoked_at"])
        audit_record(
            actor=teacher,
            verb="share.revoked",
            target=stopped,
            subject=teacher,
            summary=f"dropin {stopped_item.pk} no longer shared with person {colleague.pk}",
        )
    ran_out_on = today - dt.timedelta(days=rng.randint(3, 10))
    older = next(
        (
            d
            for d in dropins
            if d != stopped_item and d.visited_on <= ran_out_on - dt.timedelta(days=7)
        ),
        None,
    )
    if older is not None:
        _grant(
            owner=teacher,
            grantee=other,
            item=older,
            created_on=max(older.visited_on, ran_out_on - dt.timedelta(days=21)),
            expires_on=ran_out_on,
        )
