"""Demo coaching models: a trust policy and three schools that chose differently.

The first school coaches weekly as the trust suggests; the second sees its teachers
fortnightly (early-career teachers still weekly); the third adapts the trust's framework,
hiding one step and renaming another. About one teacher in six is early-career and the
senior staff are in the leaders' group. Runs inside the demo trust's scope.
"""

from coachloop.frameworks.models import Framework, Step, StepAdaptation
from coachloop.people.models import Membership, Role, School, StaffGroup
from coachloop.policy.models import Cadence, FrameworkPolicy, Level, SchoolModel, TrustPolicy

EARLY_CAREER_SHARE = 6  # one teacher in six
RENAMED_TITLE = "Our calm, quick correction"


def demo_model(trust, today, rng):
    framework = Framework.objects.filter(trust=trust).order_by("pk").first()
    TrustPolicy.objects.create(
        trust=trust,
        framework=framework,
        cadence_level=Level.ALIGNED,
        group_coaching_level=Level.STANDARDISED,
        group_coaching=True,
        framework_level=Level.ALIGNED,
        meets_by_video=True,
    )
    schools = list(School.objects.filter(trust=trust).order_by("pk"))
    choices = [
        {"caseload_limit": 5},
        {
            "cadence_teachers": Cadence.FORTNIGHTLY,
            "cadence_leaders": Cadence.FORTNIGHTLY,
            "caseload_limit": 6,
            "meets_by_phone": True,
        },
        {"framework_policy": FrameworkPolicy.ADAPT, "caseload_limit": 4, "leaders_coach": False},
    ]
    for index, school in enumerate(schools):
        SchoolModel.objects.create(
            trust=trust, school=school, group_coaching=True, **choices[index % len(choices)]
        )
        if choices[index % len(choices)].get("framework_policy") == FrameworkPolicy.ADAPT:
            _adapt(trust, school, framework)
    _staff_groups(trust, rng)


def _adapt(trust, school, framework):
    if framework is None:
        return
    steps = list(
        Step.objects.filter(
            strand__version__framework=framework,
            strand__version__is_current=True,
            school__isnull=True,
        )
        .select_related("strand")
        .order_by("strand__position", "position")[:6]
    )
    if len(steps) < 6:
        return
    hidden, renamed = steps[5], steps[3]
    StepAdaptation.objects.bulk_create(
        [
            StepAdaptation(
                trust=trust,
                school=school,
                framework=framework,
                strand_code=hidden.strand.code,
                step_code=hidden.code,
                hidden=True,
            ),
            StepAdaptation(
                trust=trust,
                school=school,
                framework=framework,
                strand_code=renamed.strand.code,
                step_code=renamed.code,
                title=RENAMED_TITLE,
            ),
        ]
    )


def _staff_groups(trust, rng):
    teachers = list(
        Membership.objects.filter(trust=trust, role=Role.TEACHER)
        .order_by("pk")
        .values_list("pk", "user_id", "school_id")
    )
    leaders = set(
        Membership.objects.filter(
            trust=trust, role__in=[Role.HEADTEACHER, Role.COACHING_LEAD]
        ).values_list("user_id", "school_id")
    )
    early, leading = [], []
    for pk, user, school in teachers:
        if (user, school) in leaders:
            leading.append(pk)
        elif rng.randrange(EARLY_CAREER_SHARE) == 0:
            early.append(pk)
    Membership.objects.filter(pk__in=early).update(staff_group=StaffGroup.EARLY_CAREER)
    Membership.objects.filter(pk__in=leading).update(staff_group=StaffGroup.LEADER)
