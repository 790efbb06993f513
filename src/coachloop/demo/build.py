"""The demo trust: invented schools, people and a term of coaching history.

``build_demo`` builds "Riverside Learning Trust" deterministically from a seed, so the same
seed (and the same ``today``) always gives the same people, visits and steps. Everything is
invented: staff names are random pairings from small pools, and the drop-in notes are composed
from sentences written for the demo. No pupil is ever named; drop-ins name a class or a group.

Each part of the demo has its module: the calendar (``calendar``), the schools and people
(``trust``), the coaching loop's history (``coaching.loop``), then the rows of each app in
turn (``coaching``, ``rollout``, ``programmes``), all drawing from the one ``rng``, in the
order below. ``manage.py load_demo`` is the command-line front end.
"""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from coachloop.common.tenancy import trust_scope
from coachloop.demo.accounts import DEFAULT_PASSWORD, DEMO_TRUST_NAME, DEMO_TRUST_SLUG
from coachloop.demo.calendar import add_school_years, history_window
from coachloop.demo.coaching.agreements import demo_agreements
from coachloop.demo.coaching.groups import demo_groups
from coachloop.demo.coaching.learning import demo_learning
from coachloop.demo.coaching.loop import CoachingHistory
from coachloop.demo.coaching.progression import demo_progression
from coachloop.demo.coaching.relationships import demo_relationships
from coachloop.demo.coaching.reviews import demo_reviews
from coachloop.demo.coaching.sharing import demo_sharing
from coachloop.demo.errors import DemoError, DemoExists
from coachloop.demo.policy.model import demo_model
from coachloop.demo.programmes.build import demo_programmes
from coachloop.demo.rollout.emails import demo_emails
from coachloop.demo.rollout.team import demo_team
from coachloop.demo.rollout.time import demo_time
from coachloop.demo.rosters import demo_rosters
from coachloop.demo.trust import Staffing
from coachloop.demo.two_step import demo_two_step
from coachloop.frameworks import loader, services
from coachloop.frameworks.models import Step
from coachloop.people.models import Trust

DEFAULT_SEED = 2026
MIN_STAFF_PER_SCHOOL = 6

# The rows each app adds once the people and the coaching history exist, in this order: each
# is called as ``part(trust, today, rng)``.
PARTS = (
    # Coaching models, coverage, time and email settings.
    demo_model,
    demo_team,
    demo_time,
    demo_emails,
    # Other kinds of coaching, groups, agreements, goals, stages, reviews and shares: the
    # agreements cover the groups, and the shares pick from the reflections.
    demo_relationships,
    demo_groups,
    demo_agreements,
    demo_learning,
    demo_progression,
    demo_reviews,
    demo_sharing,
    # A partner university's programme with some of the teachers enrolled (it enrols
    # coached teachers and brings their goals and evidence).
    demo_programmes,
    # Two-step sign-in waived for the demo's accounts but one head's (draws nothing at random).
    demo_two_step,
    # The teachers' roster brought in once, linking each to their sourcedId (nothing random).
    demo_rosters,
)


def build_demo(
    *,
    seed: int = DEFAULT_SEED,
    schools: int = 3,
    teachers_per_school: int | None = None,
    today: dt.date | None = None,
    password: str = DEFAULT_PASSWORD,
) -> Trust:
    """Build the demo trust in one transaction and return it. Refuses if it already exists."""
    if schools < 1:
        raise DemoError("The demo needs at least one school.")
    if teachers_per_school is not None and teachers_per_school < MIN_STAFF_PER_SCHOOL:
        raise DemoError(f"Each school needs at least {MIN_STAFF_PER_SCHOOL} staff.")
    today = today or timezone.localdate()
    with transaction.atomic():
        if Trust.objects.filter(slug=DEMO_TRUST_SLUG).exists():
            raise DemoExists(f"The demo trust “{DEMO_TRUST_SLUG}” already exists.")
        trust = Trust.objects.create(name=DEMO_TRUST_NAME, slug=DEMO_TRUST_SLUG)
        with trust_scope(trust):
            _build(
                trust=trust,
                rng=random.Random(seed),
                today=today,
                school_count=schools,
                staff_per_school=teachers_per_school,
                password_hash=make_password(password),
            )
    return trust


def _build(*, trust, rng, today, school_count, staff_per_school, password_hash):
    window = history_window(today)
    add_school_years(trust, window[0], today)
    staffing = Staffing(
        trust=trust,
        rng=rng,
        window=window,
        school_count=school_count,
        staff_per_school=staff_per_school,
        password_hash=password_hash,
    )
    schools = staffing.build()
    steps = _framework_steps(trust)
    CoachingHistory(trust=trust, rng=rng, today=today, window=window, plans=staffing.plans).build(
        steps, schools
    )
    for part in PARTS:
        part(trust, today, rng)


def _framework_steps(trust):
    """Load the starter framework (mapped to England's ECF when its data is at hand) and return
    its steps, in the framework's order."""
    data = loader.starter_framework_data()
    ecf = settings.COACHLOOP_ECF_FILE
    if ecf.exists():
        services.reference_framework_import_ecf(path=ecf)
    else:
        for strand in data.get("strands", []):
            for step in strand.get("steps", []):
                step.pop("maps_to", None)
    services.framework_load(trust=trust, data=data, actor=None)
    steps = list(
        Step.objects.filter(strand__version__is_current=True)
        .select_related("strand")
        .order_by("strand__version__framework__slug", "strand__position", "position", "code")
    )
    if not steps:
        raise DemoError("The starter framework has no steps to set.")
    return steps
