"""Reads of a school's coaching model and the trust's policy.

Every page and reminder that needs a cadence or a framework choice comes here, so they all
follow the same model. Each function runs a fixed number of queries, whatever the number of
schools or teachers.
"""

from dataclasses import dataclass

from django.http import Http404

from coachloop.frameworks import queries as framework_queries
from coachloop.people.models import Membership, Role, School, StaffGroup
from coachloop.people.rules import check_runs_school
from coachloop.policy.grid import SETTING_GROUPS, EffectiveModel, effective_model
from coachloop.policy.models import Level, SchoolModel, TrustPolicy


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


def steps_for_school(viewer, *, school) -> list:
    """The steps a school's coaches choose from, under its framework policy: the trust's
    framework as it is, the school's adaptation of it, or the school's own framework."""
    model = school_model(school)
    steps = framework_queries.school_steps(
        viewer, school=school, framework_id=model.framework_id, adapted=model.adapts_framework
    )
    return [step for step in steps if not step.hidden]


READ_AFTER_END_DEFAULT = SchoolModel._meta.get_field("read_after_end_days").default


def read_after_end_days(school):
    """How many days a former coach may still read a record at this school, after coaching
    ends or passes to a new coach: its coaching model's choice, or the model's default when
    the school has not saved one (one query)."""
    days = (
        SchoolModel.objects.filter(school=school)
        .values_list("read_after_end_days", flat=True)
        .first()
    )
    return READ_AFTER_END_DEFAULT if days is None else days


# -- editing the model and the policy ----------------------------------------------------------


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
