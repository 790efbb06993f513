"""The API's coaching and programmes lists, with tokens of the demo's people (made again after
each rebuild of the demo): a school's activity and visits for its lead, a coach's teachers and
one drop-in, the programme lead's programmes and an assignment's released marks."""

from django.urls import reverse

from coachloop.coaching.models import DropIn
from coachloop.demo.accounts import DEMO_TRUST_SLUG
from coachloop.people.models import Role, Trust, User
from coachloop.programmes.models import Assignment, Submission
from tests.api.tokens import token_in_use


def pages():
    trust = Trust.objects.get(slug=DEMO_TRUST_SLUG)
    lead = User.objects.get(email="lead@riverside.example.org")
    coach = User.objects.get(email="coach@riverside.example.org")
    programme_lead = User.objects.get(email="programme-lead@wessex.example.ac.uk")
    school = lead.memberships.filter(role=Role.COACHING_LEAD).first().school
    dropin = DropIn.objects.filter(relationship__coach=coach, is_draft=False).first()
    assignment = (
        Assignment.objects.filter(submissions__status=Submission.Status.RELEASED).distinct().first()
    )
    as_lead, as_coach = token_in_use(lead, trust), token_in_use(coach, trust)
    as_programme_lead = token_in_use(programme_lead, trust)
    return [
        (lead, reverse("api:v1:school_activity", args=[school.slug]), as_lead),
        (lead, reverse("api:v1:school_visits", args=[school.slug]), as_lead),
        (coach, reverse("api:v1:coaching"), as_coach),
        (coach, reverse("api:v1:dropin", args=[dropin.pk]), as_coach),
        (programme_lead, reverse("api:v1:programmes"), as_programme_lead),
        (
            programme_lead,
            reverse("api:v1:released_marks", args=[assignment.pk]),
            as_programme_lead,
        ),
    ]
