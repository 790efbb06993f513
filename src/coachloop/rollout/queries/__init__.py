"""Reads of a school's coaching model and the trust's policy.

Every page and reminder that needs a cadence or a framework choice comes here, so they all
follow the same model. Each function runs a fixed number of queries, whatever the number of
schools or teachers.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import Http404

from coachloop.coaching.models import Relationship
from coachloop.frameworks import queries as framework_queries
from coachloop.people.models import Membership, Role, School, StaffGroup
from coachloop.people.rules import check_runs_school
from coachloop.rollout.models import Level, SchoolModel, TrustPolicy
from coachloop.rollout.policy import SETTING_GROUPS, EffectiveModel, effective_model


def trust_policy(trust) -> TrustPolicy | None:
    return TrustPolicy.objects.filter(trust=trust).first()


def school_models(trust, school_ids) -> dict[int, EffectiveModel]:
    """The effective model of each school, by school id (two queries)."""
    school_ids = set(school_ids)
    policy = trust_policy(trust)
    saved = {m.school_id: m for m in SchoolModel.objects.filter(trust=trust, school__in=school_ids)}
    return {pk: effective_model(policy=policy, school_model=saved.get(pk)) for pk in school_ids}


def school_model(school) -> EffectiveModel:
    # By the trust's id: loading the trust itself would cost a query for nothing.
    return school_models(school.trust_id, [school.pk])[school.pk]


def staff_groups(trust, pairs, *, on=None) -> dict[tuple[int, int], str]:
    """Each (teacher id, school id)'s staff group, from their current teacher role (one query).
    Someone with no current teacher role there counts as a teacher."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = (
        Membership.objects.current(on)
        .filter(
            trust=trust,
            role=Role.TEACHER,
            user__in={user for user, _school in pairs},
            school__in={school for _user, school in pairs},
        )
        .values_list("user_id", "school_id", "staff_group")
    )
    found = {(user, school): group for user, school, group in rows}
    return {pair: found.get(pair, StaffGroup.TEACHER) for pair in pairs}


def _rhythm_row(relationship) -> Mapping:
    """The columns a cadence needs, as a ``.values()`` row: ``pk``, ``school_id``,
    ``teacher_id`` and, where the relationship carries it, ``cadence_days``. A Relationship
    built by hand, or read without that column, does not carry it (reading it there would
    cost a query per row)."""
    if isinstance(relationship, Mapping):
        return relationship
    row = {
        "pk": relationship.pk,
        "school_id": relationship.school_id,
        "teacher_id": relationship.teacher_id,
    }
    if not relationship._state.adding and "cadence_days" not in relationship.get_deferred_fields():
        row["cadence_days"] = relationship.cadence_days
    return row


def cadences(trust, relationships, *, on=None) -> dict[int, int]:
    """Days between drop-ins for each relationship: its own rhythm where it has one (a
    mentoring relationship's), otherwise its school's model for the teacher's staff group.

    ``relationships`` are Relationships, or ``.values()`` rows with ``pk``, ``school_id``,
    ``teacher_id`` and ``cadence_days``. Three queries, and one more when some of them do not
    carry ``cadence_days`` (see ``_rhythm_row``).
    """
    rows = [_rhythm_row(r) for r in relationships]
    if not rows:
        return {}
    models = school_models(trust, {r["school_id"] for r in rows})
    groups = staff_groups(trust, {(r["teacher_id"], r["school_id"]) for r in rows}, on=on)
    own = {r["pk"]: r.get("cadence_days") for r in rows}
    not_carried = {r["pk"] for r in rows if "cadence_days" not in r}
    if not_carried:
        found = Relationship.objects.filter(
            trust=trust,
            school__in={r["school_id"] for r in rows},
            cadence_days__isnull=False,
        ).values_list("pk", "cadence_days")
        own.update((pk, days) for pk, days in found if pk in not_carried)
    return {
        r["pk"]: own[r["pk"]]
        or models[r["school_id"]].cadence_days(groups[(r["teacher_id"], r["school_id"])])
        for r in rows
    }


def steps_for_school(viewer, *, school) -> list:
    """The steps a school's coaches choose from, under its framework policy: the trust's
    framework as it is, the school's adaptation of it, or the school's own framework."""
    model = school_model(school)
    steps = framework_queries.school_steps(
        viewer, school=school, framework_id=model.framework_id, adapted=model.adapts_framework
    )
    return [step for step in steps if not step.hidden]


@dataclass
class ModelPage:
    row: SchoolModel  # unsaved, with the trust's choices, until the school first saves
    policy: TrustPolicy | None
    effective: EffectiveModel
    locked: list  # setting groups the trust has standardised


def model_for_editing(viewer, *, school) -> ModelPage:
    """A school's coaching model for its coaching lead to edit (three queries)."""
    check_runs_school(viewer, school, hide=True)
    policy = trust_policy(viewer.trust)
    row = SchoolModel.objects.filter(trust=viewer.trust, school=school).first()
    if row is None:
        inherited = (
            {n: getattr(policy, n) for g in SETTING_GROUPS for n in g.fields} if policy else {}
        )
        row = SchoolModel(trust=viewer.trust, school=school, **inherited)
    effective = effective_model(policy=policy, school_model=row)
    locked = [g for g in SETTING_GROUPS if effective.is_standardised(g.key)]
    return ModelPage(row=row, policy=policy, effective=effective, locked=locked)


def policy_for_editing(viewer) -> TrustPolicy:
    if not viewer.is_trust_lead:
        raise Http404
    return trust_policy(viewer.trust) or TrustPolicy(trust=viewer.trust)


def current_target(targets, *, today):
    """Of a school's coverage targets, the one progress is measured against: the next one
    due (today or later), or, when all have passed, the last one due."""
    ordered = sorted(targets, key=lambda t: (t.due_by, t.pk))
    upcoming = [t for t in ordered if t.due_by >= today]
    return upcoming[0] if upcoming else (ordered[-1] if ordered else None)


@dataclass
class Difference:
    school: object
    settings: list  # labels of the aligned setting groups where the school chose otherwise


def differences_from_policy(viewer) -> list[Difference]:
    """For the trust lead: each school whose choices differ from the trust's on a setting the
    trust has aligned (three queries)."""
    if not viewer.is_trust_lead:
        raise Http404
    schools = list(School.objects.filter(trust=viewer.trust).order_by("name"))
    models = school_models(viewer.trust, [school.pk for school in schools])
    result = []
    for school in schools:
        model = models[school.pk]
        differing = [
            group.label
            for group in SETTING_GROUPS
            if model.levels[group.key] == Level.ALIGNED and model.differs_from_trust(group)
        ]
        if differing:
            result.append(Difference(school=school, settings=differing))
    return result
