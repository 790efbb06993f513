"""The partner university of the demo, the University of Wessex, and its four staff (a programme
lead, two tutors and a moderator), who sign in with the demo password.
"""

from django.db.models import Min

from coachloop.demo.accounts import key_email
from coachloop.demo.programmes.rows import on_day_at
from coachloop.people.models import Membership, Role, User
from coachloop.programmes.models import ProgrammeStaff

PARTNER_NAME = "University of Wessex"
UNIVERSITY_DOMAIN = "wessex.example.ac.uk"

# (key, full name, programme role, label for the command and the README)
UNIVERSITY_STAFF = (
    ("programme-lead", "Dr Miriam Ashdown", ProgrammeStaff.Role.LEAD, "programme lead"),
    ("tutor", "Dr Julian Penrose", ProgrammeStaff.Role.TUTOR, "tutor (the demo teacher's)"),
    ("tutor2", "Dr Nkechi Obi", ProgrammeStaff.Role.TUTOR, "second tutor"),
    ("moderator", "Prof Alan Whitcombe", ProgrammeStaff.Role.MODERATOR, "moderator"),
)


def university_email(key):
    return f"{key}@{UNIVERSITY_DOMAIN}"


def university_logins(trust):
    """The university staff's demo accounts, as (role, email), after ``demo_logins``'s."""
    emails = [
        (f"{PARTNER_NAME}: {label}", university_email(key))
        for key, _name, _role, label in UNIVERSITY_STAFF
    ]
    present = set(
        User.objects.filter(
            email__in=[email for _label, email in emails],
            memberships__trust=trust,
            memberships__role=Role.PARTNER_STAFF,
        ).values_list("email", flat=True)
    )
    return [(label, email) for label, email in emails if email in present]


def add_university_staff(rows):
    """The university's staff, members of the demo trust since its first members joined."""
    template = User.objects.filter(email=key_email(rows.trust.slug, "teacher")).first()
    since = Membership.objects.aggregate(first=Min("started_on"))["first"] or rows.today
    users = [
        User(
            email=university_email(key),
            full_name=name,
            password=template.password if template else "!",
            is_active=True,
            is_superuser=False,
            date_joined=on_day_at(since, 8),
        )
        for key, name, _role, _label in UNIVERSITY_STAFF
    ]
    User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        Membership(
            trust=rows.trust,
            user=user,
            school=None,
            role=Role.PARTNER_STAFF,
            started_on=since,
            finished_on=None,
        )
        for user in users
    )
    rows.people = {key: user for (key, *_rest), user in zip(UNIVERSITY_STAFF, users, strict=True)}
