from django.urls import reverse

from coachloop.insights.rollups import rollups_update
from coachloop.people.models import Trust, User


def pages():
    trust = Trust.objects.get(slug="riverside")
    rollups_update(trust=trust)
    head = User.objects.get(email="head@riverside.example.org")
    trust_lead = User.objects.get(email="trustlead@riverside.example.org")
    school = head.memberships.filter(role="headteacher").first().school
    return [
        (head, reverse("insights:school", args=[school.slug])),
        (head, reverse("insights:school_csv", args=[school.slug, "steps"])),
        (trust_lead, reverse("insights:trust")),
        (trust_lead, reverse("insights:trust_csv", args=["schools"])),
        (head, reverse("insights:school_xlsx", args=[school.slug, "steps"])),
        (trust_lead, reverse("insights:trust_xlsx", args=["schools"])),
    ]
