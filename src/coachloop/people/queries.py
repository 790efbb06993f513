"""Reads about people and organisations, always for someone who is asking."""

import datetime as dt

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role, School, SignIn, Trust, User
from coachloop.people.viewer import Viewer


def current_memberships(user_id, *, with_user=False):
    """The person's current roles in every trust, each with its school and trust (and the
    person, ``with_user``), in the order the viewer lists them. One query, across trusts:
    only ever the person's own roles."""
    related = ("user", "school", "trust") if with_user else ("school", "trust")
    with scopes_disabled():
        return list(
            Membership.objects.current(timezone.localdate())
            .filter(user_id=user_id)
            .select_related(*related)
            .order_by("trust_id", "school_id", "role")
        )


def viewer_for(user, *, trust_id=None, only_trust_id=None, memberships=None):
    """The person's current roles in one trust (the chosen one, or their first), with every
    trust where they have a current role.

    ``only_trust_id`` (a session signed in through that trust's own provider) is the one
    trust the person may work in: the others are not theirs in this session, and without a
    current role there the person has none.

    ``memberships``: the person's current roles when already read on this request (with the
    person, ``backends.AuthenticationBackend``); read here otherwise.

    With ``trusts_of``, the read that runs before a trust scope exists: it finds the scope.
    Returns ``None`` for someone with no current role anywhere.
    """
    if memberships is None:
        memberships = current_memberships(user.pk)
    if only_trust_id is not None:
        memberships = [m for m in memberships if m.trust_id == only_trust_id]
    if not memberships:
        return None
    trusts = {m.trust_id: m.trust for m in memberships}
    chosen = trust_id if trust_id in trusts else next(iter(trusts))
    mine = tuple(m for m in memberships if m.trust_id == chosen)
    return Viewer(
        user=user,
        trust=trusts[chosen],
        memberships=mine,
        trusts=tuple(sorted(trusts.values(), key=lambda trust: (trust.name, trust.pk))),
    )


def viewer_held_since(user, *, trust_id, since):
    """The person's current roles in one trust, provided they have held a role there on every
    day since ``since``; ``None`` otherwise. What a personal API token made on ``since`` acts
    as: once its person has had no role in the trust, it never works again, even if they
    come back. One query."""
    today = timezone.localdate()
    with scopes_disabled():
        memberships = list(
            Membership.objects.filter(user=user, trust_id=trust_id, started_on__lte=today)
            .exclude(finished_on__lt=since)
            .select_related("school", "trust")
            .order_by("started_on", "school_id", "role")
        )
    day = since  # the first day not yet known to be covered by a role
    for membership in memberships:
        if membership.started_on > day:
            return None  # a day with no role
        last = membership.finished_on or today
        if last >= day:
            day = last + dt.timedelta(days=1)
    if day <= today:
        return None
    current = tuple(m for m in memberships if m.finished_on is None or m.finished_on >= today)
    trust = current[0].trust
    return Viewer(user=user, trust=trust, memberships=current, trusts=(trust,))


def trusts_of(user):
    """The trusts where the person has a current role, by name: the ones they may work in.

    Like ``viewer_for`` this reads across trusts, and only the person's own roles.
    """
    with scopes_disabled():
        trust_ids = set(
            Membership.objects.current().filter(user=user).values_list("trust_id", flat=True)
        )
    return Trust.objects.filter(pk__in=trust_ids).order_by("name", "pk")


SIGN_INS_SHOWN = 20


def sign_ins_of(viewer):
    """The viewer's own latest sign-ins, newest first: nobody else's are ever shown."""
    return list(SignIn.objects.filter(person_id=viewer.pk)[:SIGN_INS_SHOWN])


def school_for(viewer, *, slug, role):
    """A school where the viewer holds ``role``, or 404."""
    for school in viewer.schools_with(role):
        if school.slug == slug:
            return school
    raise Http404


def staff_of(viewer, *, school):
    """People with a current role in the viewer's school (for choosing a teacher)."""
    if school.pk not in {m.school_id for m in viewer.memberships}:
        return User.objects.none()
    return (
        User.objects.filter(
            memberships__school=school,
            memberships__trust=viewer.trust,
            memberships__role=Role.TEACHER,
        )
        .distinct()
        .order_by("full_name")
    )


def schools_of(viewer):
    return School.objects.filter(pk__in={m.school_id for m in viewer.memberships if m.school_id})


def people_of(trust, *, role=None):
    """People with a current role in the trust (of ``role``, if given), for choosing from."""
    memberships = Membership.objects.current().filter(trust=trust)
    if role:
        memberships = memberships.filter(role=role)
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name")


def role_holders(school, role, *, on=None):
    """The ids of the people holding ``role`` in ``school`` on a day (today), as a subquery."""
    return Membership.objects.current(on).filter(school=school, role=role).values("user_id")


def holds_role(user, *, school, role, on=None) -> bool:
    """Whether ``user`` holds ``role`` in ``school`` on a day (today): a service's own check
    on who is acting or who is chosen, so a write never relies on the view alone."""
    return (
        Membership.objects.current(on)
        .filter(trust_id=school.trust_id, school=school, user=user, role=role)
        .exists()
    )


# An administrator's reads of the trust's people and roles (the API's people resources).
# ``User`` is not a tenant model: every read here filters on the viewer's trust itself.


def _check_manages_roles(viewer):
    if not rules.test_rule("people.manage_roles", viewer):
        raise PermissionDenied


def _roles_here(viewer):
    return Membership.objects.filter(trust=viewer.trust).select_related("school")


def people_for_admin(viewer):
    """Everyone who holds or held a role in the viewer's trust, by name, each with their
    roles here (two queries a page, however many people or roles)."""
    _check_manages_roles(viewer)
    return (
        User.objects.filter(pk__in=Membership.objects.filter(trust=viewer.trust).values("user_id"))
        .order_by("full_name", "pk")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=_roles_here(viewer).order_by("started_on", "pk"),
                to_attr="roles_here",
            )
        )
    )


def person_for_admin(viewer, pk):
    """One person with a role (now or before) in the viewer's trust, with those roles; anyone
    else, whatever their other trusts, is a 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    person = people_for_admin(viewer).filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def roles_for_admin(viewer, *, school=None, current=None):
    """The trust's roles, by person and role: in one school (a ``School`` of the trust) if
    given; only the current ones (``True``) or only the finished or not yet started ones
    (``False``) if asked."""
    _check_manages_roles(viewer)
    roles = Membership.objects.filter(trust=viewer.trust).select_related("user", "school")
    if school is not None:
        roles = roles.filter(school=school)
    if current is not None:
        now = Membership.objects.current().filter(trust=viewer.trust).values("pk")
        roles = roles.filter(pk__in=now) if current else roles.exclude(pk__in=now)
    return roles.order_by("user__full_name", "user_id", "role", "started_on", "pk")


def role_for_admin(viewer, pk):
    """One of the trust's roles, or 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    role = roles_for_admin(viewer).filter(pk=pk).first()
    if role is None:
        raise Http404
    return role


def school_of_trust(viewer, slug):
    """The viewer's trust's school with this short name, or ``None``."""
    return School.objects.filter(trust=viewer.trust, slug=slug).first()
