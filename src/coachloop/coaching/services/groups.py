"""Group coaching: a dyad or an action learning set.

The school's coaching lead sets a group up, changes who is in it and ends it. Its current
members record its sessions: who brought a problem, the questions that helped, the action the
presenter will take, and at a later session what happened. Each write is one transaction with
its audit event; bad input is a ``ValidationError`` (keyed by form field) and changes nothing.
"""

import datetime as dt

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coachloop.coaching.models import CoachingGroup, GroupMember, GroupSession
from coachloop.coaching.rules.groups import STAFF_ROLES, member_since
from coachloop.coaching.services.errors import EditConflict
from coachloop.common.audit import audit_record
from coachloop.common.text import text_problem
from coachloop.people.models import Membership
from coachloop.people.rules import check_runs_school

READ = "coaching.read_group"
WRITE = "coaching.write_group"
RUN = "coaching.run_group"

NAME_LIMIT = CoachingGroup._meta.get_field("name").max_length
FOCUS_LIMIT = CoachingGroup._meta.get_field("focus").max_length
SESSION_TEXTS = ("problem", "questions", "action", "notes")
CADENCE_LIMIT = 365
YEARS_BACK = 5
TOO_LONG = _lazy("Keep this to %(n)d characters or fewer.")


# -- checks ------------------------------------------------------------------------------------


def locked_group(rule, viewer, group):
    """Hold the group's row for the rest of the transaction (one writer at a time), then check
    ``rule`` against it as it stands now: a group ended a moment ago is ended."""
    locked = (
        # Only this row: the school's row stays free for everyone else's writes.
        CoachingGroup.objects.select_for_update(of=("self",))
        .select_related("school")
        .get(pk=group.pk)
    )
    if not rules.test_rule(rule, viewer, locked):
        raise PermissionDenied
    return locked


def _staff_ids(school, people, *, on=None):
    """Which of ``people`` teach or coach at ``school`` now."""
    return set(
        Membership.objects.current(on)
        .filter(
            trust_id=school.trust_id,
            school=school,
            role__in=STAFF_ROLES,
            user__in=[p.pk for p in people],
        )
        .values_list("user_id", flat=True)
    )


def _not_staff_message(person, school):
    return _("%(person)s does not teach or coach at %(school)s.") % {
        "person": person,
        "school": school,
    }


def _size_problem(kind, count):
    """Why ``count`` members is the wrong size for a group of ``kind``, or ``None``."""
    low, high = CoachingGroup.SIZES[kind]
    if low <= count <= high:
        return None
    if kind == CoachingGroup.Kind.DYAD:
        return _("A dyad is two colleagues: choose exactly 2 members (you chose %(count)d).") % {
            "count": count
        }
    return _("An action learning set has %(low)d to %(high)d members: you chose %(count)d.") % {
        "low": low,
        "high": high,
        "count": count,
    }


def _check_still_running(group):
    if group.finished_on is not None:
        raise ValidationError(
            _("This group ended on %(date)s, so it can no longer be changed.")
            % {"date": date_format(group.finished_on, "j F Y")}
        )


def current_member_ids(group):
    """Who is in the group now (a group's agreement needs each of them)."""
    return set(
        GroupMember.objects.filter(group=group, left_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )


# -- the coaching lead: setting a group up, who is in it, ending it ----------------------------


@transaction.atomic
def coaching_group_create(
    *,
    viewer,
    school,
    kind,
    name,
    members,
    focus="",
    facilitator=None,
    cadence_days=None,
    started_on=None,
):
    """Start a group at ``school`` with its first members (the viewer leads coaching there)."""
    check_runs_school(viewer, school)
    today = timezone.localdate()
    started_on = started_on or today
    name = (name or "").strip()
    focus = (focus or "").strip()
    members = list({person.pk: person for person in members}.values())
    problems = {}
    if kind not in CoachingGroup.SIZES:
        problems["kind"] = _("Choose a dyad or an action learning set.")
    if problem := text_problem(
        name, limit=NAME_LIMIT, missing=_("Enter a name for the group."), too_long=TOO_LONG
    ):
        problems["name"] = problem
    if problem := text_problem(focus, limit=FOCUS_LIMIT, missing=None, too_long=TOO_LONG):
        problems["focus"] = problem
    staff = _staff_ids(school, members)
    outsiders = [person for person in members if person.pk not in staff]
    if outsiders:
        problems["members"] = _not_staff_message(outsiders[0], school)
    elif kind in CoachingGroup.SIZES and (problem := _size_problem(kind, len(members))):
        problems["members"] = problem
    if facilitator is not None and facilitator.pk not in {person.pk for person in members}:
        problems["facilitator"] = _("The facilitator must be one of the members.")
    if cadence_days is not None and not 1 <= cadence_days <= CADENCE_LIMIT:
        problems["cadence_days"] = _("Enter a number of days from 1 to %(limit)d.") % {
            "limit": CADENCE_LIMIT
        }
    if started_on > today or started_on < today - dt.timedelta(days=365 * YEARS_BACK):
        problems["started_on"] = _("Enter a start date in the last %(years)d years.") % {
            "years": YEARS_BACK
        }
    if problems:
        raise ValidationError(problems)
    group = CoachingGroup.objects.create(
        trust_id=school.trust_id,
        school=school,
        kind=kind,
        name=name,
        focus=focus,
        facilitator=facilitator,
        cadence_days=cadence_days,
        started_on=started_on,
        created_by=viewer.user,
    )
    GroupMember.objects.bulk_create(
        GroupMember(trust_id=school.trust_id, group=group, person=person, joined_on=started_on)
        for person in members
    )
    audit_record(
        actor=viewer.user,
        verb="coaching_group.created",
        target=group,
        summary=f"{kind}, {len(members)} members",
    )
    return group


@transaction.atomic
def group_member_add(*, viewer, group, person):
    """Someone joins the group from today."""
    group = locked_group(RUN, viewer, group)
    _check_still_running(group)
    current = current_member_ids(group)
    if person.pk in current:
        raise ValidationError(
            {"person": _("%(person)s is already in this group.") % {"person": person}}
        )
    if not _staff_ids(group.school, [person]):
        raise ValidationError({"person": _not_staff_message(person, group.school)})
    if group.kind == CoachingGroup.Kind.DYAD:
        raise ValidationError(
            {
                "person": _(
                    "A dyad has exactly 2 members, so nobody can join it. To work with "
                    "someone else, end this dyad and start a new group."
                )
            }
        )
    _low, high = CoachingGroup.SIZES[group.kind]
    if len(current) >= high:
        raise ValidationError(
            {
                "person": _(
                    "This action learning set already has %(high)d members, the most it can "
                    "have. Someone must leave before anyone else joins."
                )
                % {"high": high}
            }
        )
    member = GroupMember.objects.create(
        trust_id=group.trust_id, group=group, person=person, joined_on=timezone.localdate()
    )
    audit_record(actor=viewer.user, verb="group_member.added", target=member, subject=person)
    return member


@transaction.atomic
def group_member_remove(*, viewer, member):
    """A member leaves the group today. From then on they no longer read its sessions."""
    group = locked_group(RUN, viewer, member.group)
    _check_still_running(group)
    member = GroupMember.objects.select_related("person").get(pk=member.pk, group=group)
    if member.left_on is not None:
        raise ValidationError(
            _("%(person)s already left this group on %(date)s.")
            % {"person": member.person, "date": date_format(member.left_on, "j F Y")}
        )
    if group.kind == CoachingGroup.Kind.DYAD:
        raise ValidationError(
            _(
                "A dyad has exactly 2 members, so neither can leave it on their own. End the "
                "dyad instead."
            )
        )
    low, _high = CoachingGroup.SIZES[group.kind]
    if len(current_member_ids(group)) <= low:
        raise ValidationError(
            _(
                "An action learning set needs at least %(low)d members, so nobody can leave "
                "until someone joins. Add a member first, or end the group."
            )
            % {"low": low}
        )
    member.left_on = max(timezone.localdate(), member.joined_on)
    member.save(update_fields=["left_on"])
    if group.facilitator_id == member.person_id:
        group.facilitator = None
        group.save(update_fields=["facilitator"])
    audit_record(
        actor=viewer.user, verb="group_member.removed", target=member, subject=member.person
    )
    return member


@transaction.atomic
def coaching_group_end(*, viewer, group):
    """The group stops meeting. Its members can still read its sessions; nobody can change
    them any more."""
    group = locked_group(RUN, viewer, group)
    _check_still_running(group)
    group.finished_on = max(timezone.localdate(), group.started_on)
    group.save(update_fields=["finished_on"])
    audit_record(actor=viewer.user, verb="coaching_group.ended", target=group)
    return group


# -- members: sessions -------------------------------------------------------------------------


def _session_problems(group, *, met_on, presenter, texts, allowed_presenters, joined_on):
    problems = {}
    if met_on is not None:
        if met_on > timezone.localdate():
            problems["met_on"] = _("The date the group met cannot be in the future.")
        elif met_on < group.started_on:
            problems["met_on"] = _("The group started on %(date)s: enter that date or later.") % {
                "date": date_format(group.started_on, "j F Y")
            }
        elif met_on < joined_on:
            # Sessions before they joined are not theirs to read, nor to write.
            problems["met_on"] = _(
                "You joined the group on %(date)s: enter that date or later."
            ) % {"date": date_format(joined_on, "j F Y")}
    if presenter is not None and presenter.pk not in allowed_presenters:
        problems["presenter"] = _("Choose someone who is in the group.")
    for field in SESSION_TEXTS:
        limit = GroupSession._meta.get_field(field).max_length
        if field in texts and (
            problem := text_problem(texts[field], limit=limit, missing=None, too_long=TOO_LONG)
        ):
            problems[field] = problem
    if texts.get("action") and presenter is None and "presenter" not in problems:
        problems["presenter"] = _("Say who brought the problem: the action is theirs to take.")
    if not any(texts.get(field) for field in SESSION_TEXTS):
        problems["problem"] = _("Write something about the session: the problem brought, or notes.")
    return problems


def _cleaned_texts(fields):
    return {field: (fields.get(field) or "").strip() for field in SESSION_TEXTS}


@transaction.atomic
def group_session_record(
    *, viewer, group, met_on, presenter=None, problem="", questions="", action="", notes=""
):
    """A member records one meeting of the group."""
    group = locked_group(WRITE, viewer, group)
    texts = _cleaned_texts(
        {"problem": problem, "questions": questions, "action": action, "notes": notes}
    )
    problems = _session_problems(
        group,
        met_on=met_on,
        presenter=presenter,
        texts=texts,
        allowed_presenters=current_member_ids(group),
        joined_on=member_since(viewer, group),
    )
    if problems:
        raise ValidationError(problems)
    session = GroupSession.objects.create(
        trust_id=group.trust_id,
        group=group,
        met_on=met_on,
        presenter=presenter,
        recorded_by=viewer.user,
        **texts,
    )
    audit_record(
        actor=viewer.user,
        verb="group_session.recorded",
        target=session,
        summary=f"{met_on:%Y-%m-%d}",
    )
    return session


def _report_problems(*, met_on, action_report, reported_on):
    problems = {}
    limit = GroupSession._meta.get_field("action_report").max_length
    if problem := text_problem(
        action_report,
        limit=limit,
        missing=_("Write what happened when the action was tried."),
        too_long=TOO_LONG,
    ):
        problems["action_report"] = problem
    if reported_on is None:
        problems["reported_on"] = _("Enter the date the group heard what happened.")
    elif reported_on > timezone.localdate():
        problems["reported_on"] = _("The date cannot be in the future.")
    elif reported_on < met_on:
        problems["reported_on"] = _("The action was set on %(date)s: enter that date or later.") % {
            "date": date_format(met_on, "j F Y")
        }
    return problems


def _session_they_were_at(viewer, group, session):
    """The session as stored, of the (locked) group, if it met while the viewer was in it."""
    stored = GroupSession.objects.get(pk=session.pk, group=group)
    if stored.met_on < member_since(viewer, group):
        raise PermissionDenied
    return stored


def _save_version(session, expected_version, values):
    """Write ``values`` unless someone saved the session since ``expected_version``."""
    changed = GroupSession.objects.filter(pk=session.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if not changed:
        raise EditConflict(
            GroupSession.objects.select_related("presenter", "recorded_by").get(pk=session.pk)
        )
    session.refresh_from_db()
    return session


@transaction.atomic
def group_session_update(*, viewer, session, expected_version, **fields):
    """Change a recorded session, unless someone saved it since ``expected_version``.

    ``fields`` may hold ``met_on``, ``presenter``, the texts, and (for a session already
    reported on) ``action_report`` and ``reported_on``.
    """
    group = locked_group(WRITE, viewer, session.group)
    stored = _session_they_were_at(viewer, group, session)
    met_on = fields.get("met_on", stored.met_on)
    presenter = fields.get("presenter", stored.presenter)
    texts = {field: getattr(stored, field) for field in SESSION_TEXTS}
    texts.update({k: v for k, v in _cleaned_texts(fields).items() if k in fields})
    # Whoever brought the problem may have left since: the record still names them.
    allowed = current_member_ids(group) | {stored.presenter_id}
    problems = _session_problems(
        group,
        met_on=met_on,
        presenter=presenter,
        texts=texts,
        allowed_presenters=allowed,
        joined_on=member_since(viewer, group),
    )
    values = {"met_on": met_on, "presenter": presenter, **texts}
    if stored.reported_on is not None and ("action_report" in fields or "reported_on" in fields):
        report = (fields.get("action_report", stored.action_report) or "").strip()
        reported_on = fields.get("reported_on", stored.reported_on)
        if not texts["action"]:
            problems["action"] = _(
                "The group has heard what happened with this action, so it cannot be removed."
            )
        problems.update(
            _report_problems(met_on=met_on, action_report=report, reported_on=reported_on)
        )
        values.update(action_report=report, reported_on=reported_on)
    if problems:
        raise ValidationError(problems)
    session = _save_version(stored, expected_version, values)
    audit_record(
        actor=viewer.user,
        verb="group_session.edited",
        target=session,
        summary=f"{session.met_on:%Y-%m-%d}",
    )
    return session


@transaction.atomic
def group_action_report(*, viewer, session, expected_version, action_report, reported_on):
    """Record what happened when the presenter took their action (heard at a later session)."""
    group = locked_group(WRITE, viewer, session.group)
    stored = _session_they_were_at(viewer, group, session)
    action_report = (action_report or "").strip()
    if not stored.action:
        raise ValidationError(
            _("No action was set at this session, so there is nothing to report on.")
        )
    problems = _report_problems(
        met_on=stored.met_on, action_report=action_report, reported_on=reported_on
    )
    if problems:
        raise ValidationError(problems)
    session = _save_version(
        stored, expected_version, {"action_report": action_report, "reported_on": reported_on}
    )
    audit_record(
        actor=viewer.user,
        verb="group_session.action_reported",
        target=session,
        summary=f"{session.met_on:%Y-%m-%d}",
    )
    return session
