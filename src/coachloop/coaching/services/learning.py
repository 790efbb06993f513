"""Goals with their progress notes, and the reflection journal: every write, each one
transaction and one audit event.

A goal is the teacher's. The teacher sets it, alone or linked to one of their running coaching
relationships; the active coach of that relationship may set one for it too, and may add
progress and change it. Edits carry the version the editor started from, so two people saving
at once never overwrite each other silently. Reflections are the teacher's alone.
"""

import datetime as dt
import re

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.coaching.models import (
    ActionStep,
    EvidenceKind,
    Goal,
    GoalProgress,
    Reflection,
    Relationship,
)
from coachloop.coaching.rules.learning import window_for
from coachloop.coaching.services.errors import EditConflict, locked_for
from coachloop.coaching.services.sharing import shares_end_with
from coachloop.common.audit import audit_record
from coachloop.common.text import text_problem

UNCHANGED = object()  # a goal edit that leaves the linked relationship as it is

GOAL_FIELDS = ("title", "why", "pupils", "evidence_kinds", "evidence_plan", "review_on")
REOPEN = Goal.Status.OPEN
STATUS_VERBS = {
    Goal.Status.ACHIEVED: "goal.achieved",
    Goal.Status.SET_ASIDE: "goal.set_aside",
    Goal.Status.OPEN: "goal.reopened",
}

# Words that say a text names a class or a group, not one pupil.
_GROUP_WORDS = {
    "band",
    "boys",
    "children",
    "class",
    "classes",
    "cohort",
    "form",
    "girls",
    "group",
    "groups",
    "half",
    "house",
    "key",
    "learners",
    "nursery",
    "pupils",
    "reception",
    "set",
    "sets",
    "sixth",
    "stage",
    "students",
    "team",
    "tutor",
    "year",
    "years",
}
_NAME_WORD = re.compile(r"^[A-Z][a-z]*(?:[-'’][A-Z]?[a-z]+)*$")
_POSSESSIVE = re.compile(r"['’]s?$")


def looks_like_a_pupils_name(text):
    """True for text shaped like one person's name ("Jack Smith", "Amelia-Rose O'Neil"):
    two or three capitalised words, no digits, and no word that names a class or a group.

    A light check, not a guarantee: the form's hint says why pupils are never named."""
    words = text.split()
    if not 2 <= len(words) <= 3 or any(ch.isdigit() for ch in text):
        return False
    if any(_POSSESSIVE.sub("", word.lower()) in _GROUP_WORDS for word in words):
        return False
    return all(len(word) > 1 and _NAME_WORD.match(word) for word in words)


def tidy_text(errors, field, value, *, limit, missing=None):
    """``value`` stripped; why it cannot be kept (empty when ``missing`` is given, or over
    ``limit``), if so, goes in ``errors`` under ``field``."""
    value = (value or "").strip()
    too_long = _("Keep this to %(n)d characters or fewer.")
    if problem := text_problem(value, limit=limit, missing=missing, too_long=too_long):
        errors[field] = problem
    return value


def _goal_values(values, *, stored_review_on=None):
    """Checked and tidied goal fields; raises one ``ValidationError`` naming every problem."""
    errors = {}
    clean = {}
    if "title" in values:
        clean["title"] = tidy_text(
            errors, "title", values["title"], limit=200, missing=_("Say what the goal is.")
        )
    if "why" in values:
        clean["why"] = tidy_text(errors, "why", values["why"], limit=2000)
    if "pupils" in values:
        pupils = tidy_text(
            errors,
            "pupils",
            values["pupils"],
            limit=120,
            missing=_("Name the class or group of pupils the goal aims to help."),
        )
        if "pupils" not in errors and looks_like_a_pupils_name(pupils):
            errors["pupils"] = _(
                "“%(text)s” looks like a person’s name. Name a class or a group instead, for "
                "example “Year 9 set 2” or “the quieter pupils in 8C”: pupils are never named "
                "in Coachloop."
            ) % {"text": pupils}
        clean["pupils"] = pupils
    if "evidence_kinds" in values:
        kinds = list(dict.fromkeys(values["evidence_kinds"] or []))
        if not kinds:
            errors["evidence_kinds"] = _(
                "Choose at least one kind of evidence that will show change."
            )
        elif any(kind not in EvidenceKind.values for kind in kinds):
            errors["evidence_kinds"] = _("Choose from the kinds of evidence listed.")
        clean["evidence_kinds"] = [kind for kind in EvidenceKind.values if kind in kinds]
    if "evidence_plan" in values:
        clean["evidence_plan"] = tidy_text(
            errors, "evidence_plan", values["evidence_plan"], limit=2000
        )
    if "review_on" in values:
        review_on = values["review_on"]
        if not isinstance(review_on, dt.date):
            errors["review_on"] = _("Enter the date you will review the goal.")
        elif review_on < timezone.localdate() and review_on != stored_review_on:
            errors["review_on"] = _("The review date cannot be in the past.")
        clean["review_on"] = review_on
    if errors:
        raise ValidationError(errors)
    return clean


def _running_relationship_of(viewer, relationship):
    """The teacher's own running coaching, locked, to link a goal to; or a form error."""
    locked = (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("teacher", "coach")
        .filter(pk=relationship.pk)
        .first()
    )
    if (
        locked is None
        or locked.teacher_id != viewer.pk
        or locked.finished_on is not None
        or locked.coach_id is None
    ):
        raise ValidationError(
            {
                "relationship": _(
                    "Choose coaching you are part of now, or keep the goal to yourself."
                )
            }
        )
    return locked


@transaction.atomic
def goal_create(
    *,
    viewer,
    title,
    pupils,
    evidence_kinds,
    review_on,
    why="",
    evidence_plan="",
    relationship=None,
):
    """Set a goal.

    A teacher sets their own, kept to themselves or linked to one of their running coaching
    relationships (``relationship``), whose coach then reads it. A coach sets one for a
    teacher they coach by passing that coaching as ``relationship``; it is linked to it.
    """
    if relationship is None:
        linked, teacher = None, viewer.user
    elif relationship.teacher_id == viewer.pk:
        linked = _running_relationship_of(viewer, relationship)
        teacher = viewer.user
    else:
        linked = locked_for("coaching.write_content", viewer, relationship)
        teacher = linked.teacher
    values = _goal_values(
        {
            "title": title,
            "why": why,
            "pupils": pupils,
            "evidence_kinds": evidence_kinds,
            "evidence_plan": evidence_plan,
            "review_on": review_on,
        }
    )
    goal = Goal.objects.create(
        trust_id=linked.trust_id if linked else viewer.trust.pk,
        teacher=teacher,
        relationship=linked,
        created_by=viewer.user,
        created_at=timezone.now(),
        **values,
    )
    audit_record(actor=viewer.user, verb="goal.set", target=goal, subject=teacher)
    return goal


def locked_goal(viewer, goal, rule="coaching.change_goal"):
    """The goal as it stands now, held for the rest of the transaction, if ``rule`` allows."""
    locked = (
        Goal.objects.select_for_update(of=("self",))
        .select_related("teacher", "relationship")
        .filter(pk=goal.pk)
        .first()
    )
    if locked is None or not rules.test_rule(rule, viewer, locked):
        raise PermissionDenied
    return locked


@transaction.atomic
def goal_update(*, viewer, goal, expected_version, relationship=UNCHANGED, **fields):
    """Change a goal, unless someone saved it since ``expected_version`` (``EditConflict``).

    Only the teacher moves a goal to other coaching or keeps it to themselves
    (``relationship``): the coach's access follows the link.
    """
    stored = locked_goal(viewer, goal)
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"Goals have no fields {sorted(unknown)}")
    values = _goal_values(fields, stored_review_on=stored.review_on)
    if relationship is not UNCHANGED:
        if stored.teacher_id != viewer.pk:
            raise PermissionDenied
        if relationship is None:
            values["relationship"] = None
        elif relationship.pk != stored.relationship_id:
            values["relationship"] = _running_relationship_of(viewer, relationship)
    changed = Goal.objects.filter(pk=stored.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if not changed:
        raise EditConflict(Goal.objects.select_related("relationship__coach").get(pk=stored.pk))
    goal.refresh_from_db()
    audit_record(actor=viewer.user, verb="goal.edited", target=goal, subject=stored.teacher)
    return goal


@transaction.atomic
def goal_status_set(*, viewer, goal, status):
    """Mark a goal achieved or set aside, or reopen it."""
    stored = locked_goal(viewer, goal)
    if status not in STATUS_VERBS:
        raise ValidationError({"status": _("Choose achieved, set aside or reopen.")})
    if status == stored.status:
        messages = {
            Goal.Status.ACHIEVED: _("This goal is already marked as achieved."),
            Goal.Status.SET_ASIDE: _("This goal is already set aside."),
            Goal.Status.OPEN: _("This goal is already open."),
        }
        raise ValidationError({"status": messages[status]})
    # Not a new version: the status is not part of what an edit changes.
    Goal.objects.filter(pk=stored.pk).update(status=status)
    goal.refresh_from_db()
    audit_record(
        actor=viewer.user,
        verb=STATUS_VERBS[status],
        target=goal,
        subject=stored.teacher,
        summary=status,
    )
    return goal


@transaction.atomic
def goal_progress_add(*, viewer, goal, written_on, note):
    """Add a dated progress note to a goal: the teacher, or the coach it is linked to."""
    stored = locked_goal(viewer, goal)
    errors = {}
    note = tidy_text(errors, "note", note, limit=4000, missing=_("Write what has changed."))
    if not isinstance(written_on, dt.date):
        errors["written_on"] = _("Enter the date of this progress.")
    elif written_on > timezone.localdate():
        errors["written_on"] = _("Progress cannot be dated in the future.")
    elif written_on < timezone.localtime(stored.created_at).date():
        errors["written_on"] = _("That date is before the goal was set (%(date)s).") % {
            "date": date_format(timezone.localtime(stored.created_at).date(), "j F Y")
        }
    elif (since := window_for(viewer, stored).since) is not None and written_on < since:
        # A coach would not see it: they read notes from when their coaching began.
        errors["written_on"] = _(
            "Give a date from %(date)s, when your coaching began, or later."
        ) % {"date": date_format(since, "j F Y")}
    if errors:
        raise ValidationError(errors)
    progress = GoalProgress.objects.create(
        trust_id=stored.trust_id,
        goal=stored,
        written_on=written_on,
        note=note,
        written_by=viewer.user,
    )
    audit_record(
        actor=viewer.user, verb="goal.progress_added", target=progress, subject=stored.teacher
    )
    return progress


# -- reflections ---------------------------------------------------------------------------


def _reflection_values(viewer, *, written_on, title, body, goal, action_step):
    errors = {}
    values = {
        "title": tidy_text(errors, "title", title, limit=200, missing=_("Give the entry a title.")),
        "body": tidy_text(errors, "body", body, limit=10000, missing=_("Write your reflection.")),
        "written_on": written_on,
        "goal": goal,
        "action_step": action_step,
    }
    if not isinstance(written_on, dt.date):
        errors["written_on"] = _("Enter the date of the entry.")
    elif written_on > timezone.localdate():
        errors["written_on"] = _("An entry cannot be dated in the future.")
    if goal is not None and action_step is not None:
        errors["about"] = _("Tie the entry to a goal or a step, not both.")
    elif goal is not None and not Goal.objects.filter(pk=goal.pk, teacher=viewer.user).exists():
        errors["about"] = _("Choose one of your own goals.")
    elif (
        action_step is not None
        and not ActionStep.objects.filter(
            pk=action_step.pk, relationship__teacher=viewer.user
        ).exists()
    ):
        errors["about"] = _("Choose one of your own steps.")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def reflection_write(*, viewer, written_on, title, body, goal=None, action_step=None):
    """Add an entry to the teacher's own journal, optionally about a goal or a step."""
    values = _reflection_values(
        viewer, written_on=written_on, title=title, body=body, goal=goal, action_step=action_step
    )
    reflection = Reflection.objects.create(trust_id=viewer.trust.pk, teacher=viewer.user, **values)
    audit_record(
        actor=viewer.user, verb="reflection.written", target=reflection, subject=viewer.user
    )
    return reflection


def _locked_reflection(viewer, reflection):
    locked = Reflection.objects.select_for_update().filter(pk=reflection.pk).first()
    if locked is None or not rules.test_rule("coaching.change_reflection", viewer, locked):
        raise PermissionDenied
    return locked


@transaction.atomic
def reflection_update(*, viewer, reflection, written_on, title, body, goal=None, action_step=None):
    """Change one of the teacher's own entries (only they write their journal)."""
    locked = _locked_reflection(viewer, reflection)
    values = _reflection_values(
        viewer, written_on=written_on, title=title, body=body, goal=goal, action_step=action_step
    )
    for key, value in values.items():
        setattr(locked, key, value)
    locked.save(update_fields=list(values))
    audit_record(actor=viewer.user, verb="reflection.edited", target=locked, subject=viewer.user)
    return locked


@transaction.atomic
def reflection_delete(*, viewer, reflection):
    """Delete one of the teacher's own entries for good. The audit trail keeps that it was
    deleted, and when, but none of its words."""
    locked = _locked_reflection(viewer, reflection)
    audit_record(actor=viewer.user, verb="reflection.deleted", target=locked, subject=viewer.user)
    shares_end_with(locked)
    locked.delete()
