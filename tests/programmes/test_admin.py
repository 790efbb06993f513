"""The admin site for programmes: administrators set up their own trust's programmes, see who is
enrolled, and never see another trust's programmes or what the partners write."""

from types import SimpleNamespace

import pytest
from django.contrib import admin as django_admin
from django.urls import reverse
from django.utils import timezone

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.programmes import models as programmes
from coachloop.programmes.models import (
    CoachQualification,
    PartnerInstitution,
    Programme,
)
from tests.factories import MembershipFactory, UserFactory
from tests.programmes.fixtures import build_programme

pytestmark = pytest.mark.django_db
OTHER = "Elsewhere"

REGISTERED = [
    programmes.PartnerInstitution,
    programmes.Programme,
    programmes.Module,
    programmes.Assignment,
    programmes.Cohort,
    programmes.Enrolment,
    programmes.CoachQualification,
]
PRIVATE = [
    programmes.Submission,
    programmes.SubmissionVersion,
    programmes.SubmissionFile,
    programmes.Extension,
    programmes.Feedback,
    programmes.Mark,
    programmes.Meeting,
    programmes.MeetingAction,
    programmes.GoalAgreement,
    programmes.DiscussionPrompt,
    programmes.PortfolioItem,
]


def changelist(model):
    return reverse(f"admin:programmes_{model._meta.model_name}_changelist")


@pytest.fixture
def both(world):
    """Trust A's programme (the world's teacher a1 enrolled) and trust B's, named apart."""
    own = build_programme(world)
    other = build_programme(SimpleNamespace(trust=world.other_trust, own=world.other_trust_records))
    with scopes_disabled():
        PartnerInstitution.objects.filter(pk=other.programme.partner_id).update(
            name=f"{OTHER} University"
        )
        Programme.objects.filter(pk=other.programme.pk).update(title=f"{OTHER} MA")
        programmes.Module.objects.filter(programme=other.programme).update(title=f"{OTHER} module")
        other.assignment.title = f"{OTHER} assignment"
        other.assignment.save(update_fields=["title"])
        programmes.Cohort.objects.filter(programme=other.programme).update(name=f"{OTHER} cohort")
        CoachQualification.objects.create(
            trust=world.other_trust,
            coach=world.other_trust_records.coach,
            level=CoachQualification.Level.MASTERS,
            subject=f"{OTHER} subject",
            recorded_on=timezone.localdate(),
            recorded_by=other.lead,
        )
    return SimpleNamespace(own=own, other=other)


def test_the_programme_set_up_is_in_the_admin_site_and_what_partners_write_is_not():
    registry = django_admin.site._registry
    assert all(model in registry for model in REGISTERED)
    assert not any(model in registry for model in PRIVATE)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.model_name)
def test_every_programmes_list_shows_the_administrators_trust_and_not_another(
    admin_client, both, model
):
    response = admin_client.get(changelist(model))
    page = response.content.decode()
    assert response.status_code == 200
    assert OTHER not in page
    assert "Teacher b1" not in page and "Coach b1" not in page


def test_the_administrator_sees_their_own_programme_and_who_is_enrolled(admin_client, both):
    programmes_page = admin_client.get(changelist(Programme)).content.decode()
    enrolments_page = admin_client.get(changelist(programmes.Enrolment)).content.decode()
    assert both.own.programme.title in programmes_page
    assert "Teacher a1" in enrolments_page and "Coach a1" in enrolments_page


@pytest.mark.parametrize(
    "target",
    ["programme", "partner", "module", "assignment", "cohort", "enrolment"],
)
def test_another_trusts_programme_cannot_be_opened(admin_client, both, target):
    other = both.other
    obj = {
        "programme": other.programme,
        "partner": other.programme.partner,
        "module": other.assignment.module,
        "assignment": other.assignment,
        "cohort": other.enrolments[0].cohort,
        "enrolment": other.enrolments[0],
    }[target]
    url = reverse(f"admin:programmes_{obj._meta.model_name}_change", args=[obj.pk])
    response = admin_client.get(url, follow=True)
    page = response.content.decode()
    assert OTHER not in page and "Teacher b1" not in page
    assert response.redirect_chain or response.status_code == 404


def test_a_programmes_staff_are_chosen_from_the_trusts_university_staff_only(
    admin_client, world, both
):
    with scopes_disabled():
        outsider = UserFactory(full_name="Outsider Tutor")
        MembershipFactory(
            user=outsider, school=None, trust=world.other_trust, role=Role.PARTNER_STAFF
        )
    url = reverse("admin:programmes_programme_change", args=[both.own.programme.pk])
    response = admin_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{world.people["tutor"].pk}"' in page  # trust A's university staff
    assert both.own.tutor.full_name in page  # on the programme's staff already
    assert "Outsider Tutor" not in page
    assert "Teacher a1" not in page


def test_adding_a_partner_university_puts_it_in_the_administrators_trust_and_audits_it(
    admin_client, world
):
    response = admin_client.post(
        reverse("admin:programmes_partnerinstitution_add"), {"name": "University of Mercia"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        partner = PartnerInstitution.objects.get(name="University of Mercia")
        audited = AuditEvent.objects.filter(
            verb="partnerinstitution.added", target_id=str(partner.pk)
        ).exists()
    assert partner.trust == world.trust
    assert audited


def test_a_coach_qualification_is_recorded_by_the_administrator_for_a_coach_of_the_trust(
    admin_client, world
):
    url = reverse("admin:programmes_coachqualification_add")
    data = {
        "coach": world.own.coach.pk,
        "level": CoachQualification.Level.PGCERT,
        "subject": "Coaching and mentoring",
        "recorded_on": timezone.localdate().isoformat(),
    }
    assert admin_client.post(url, data).status_code == 302
    refused = admin_client.post(url, {**data, "coach": world.other_trust_records.coach.pk})
    assert refused.status_code == 200  # the form again, with the choice refused
    with scopes_disabled():
        rows = list(CoachQualification.objects.all())
    assert [(q.coach, q.recorded_by, q.trust) for q in rows] == [
        (world.own.coach, world.people["administrator"], world.trust)
    ]


def test_enrolments_are_listed_but_not_added_or_changed_here(admin_client, both):
    enrolment = both.own.enrolments[0]
    assert admin_client.get(reverse("admin:programmes_enrolment_add")).status_code == 403
    change = reverse("admin:programmes_enrolment_change", args=[enrolment.pk])
    response = admin_client.post(change, {"finished_on": timezone.localdate().isoformat()})
    assert response.status_code == 403
    with scopes_disabled():
        enrolment.refresh_from_db()
    assert enrolment.finished_on is None


def test_nothing_about_a_programme_is_deleted_in_the_admin_site(admin_client, both):
    url = reverse("admin:programmes_programme_delete", args=[both.own.programme.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    with scopes_disabled():
        assert Programme.objects.filter(pk=both.own.programme.pk).exists()


@pytest.mark.parametrize("persona", ["programme_lead", "tutor", "moderator", "coach"])
def test_university_staff_and_coaches_cannot_open_the_programmes_admin(client, world, persona):
    client.force_login(world.people[persona])
    response = client.get(changelist(Programme), follow=True)
    assert response.status_code == 403
