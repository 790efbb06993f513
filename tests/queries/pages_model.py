from django.urls import reverse

from coachloop.people.models import User


def pages():
    lead = User.objects.get(email="lead@riverside.example.org")
    trust_lead = User.objects.get(email="trustlead@riverside.example.org")
    school = lead.memberships.filter(role="coaching_lead").first().school
    return [
        (lead, reverse("rollout:model_edit", args=[school.slug])),
        (lead, reverse("rollout:adaptation_edit", args=[school.slug])),
        (lead, reverse("rollout:school_step_new", args=[school.slug])),
        (trust_lead, reverse("rollout:policy_edit")),
    ]
