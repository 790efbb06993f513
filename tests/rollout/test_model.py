"""A school's coaching model within the trust's policy, and what follows from it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.policy.models import Level, SchoolModel, TrustPolicy
from tests.factories import DropInFactory

pytestmark = pytest.mark.django_db

GRID = {
    "cadence_early_career": "7",
    "cadence_teachers": "7",
    "cadence_leaders": "14",
    "leaders_coach": "yes",
    "leaders_are_coached": "yes",
    "meeting_modes": ["meets_in_person"],
    "group_coaching": "no",
    "framework_policy": "trust",
    "caseload_limit": "6",
    "read_after_end_days": "30",
}


def _model_url(world):
    return reverse("rollout:model_edit", args=[world.own.school.slug])


def _last_seen(world, days_ago):
    """The world's own teacher was last seen ``days_ago`` days ago, and not since."""
    with scopes_disabled():
        world.own.relationship.dropins.all().delete()
        DropInFactory(
            relationship=world.own.relationship,
            visited_on=timezone.localdate() - dt.timedelta(days=days_ago),
        )


def _rhythm_on_coach_home(client, world):
    client.force_login(world.people["coach"])
    return client.get(reverse("coaching:coach_home")).content.decode()


def _save(client, world, **changes):
    client.force_login(world.people["coaching_lead"])
    return client.post(_model_url(world), {**GRID, **changes})


def test_a_fortnightly_school_shows_no_overdue_teacher_at_eight_days_and_does_at_fifteen(
    client, world
):
    _save(client, world, cadence_teachers="14")
    _last_seen(world, 8)
    assert "Drop-in overdue" not in _rhythm_on_coach_home(client, world)
    _last_seen(world, 15)
    assert "Drop-in overdue" in _rhythm_on_coach_home(client, world)


def test_a_weekly_school_shows_the_same_teacher_overdue_at_eight_days(client, world):
    _save(client, world, cadence_teachers="7")
    _last_seen(world, 8)
    assert "Drop-in overdue" in _rhythm_on_coach_home(client, world)


def test_an_early_career_teacher_follows_the_early_career_rhythm(client, world):
    _save(client, world, cadence_teachers="7", cadence_early_career="14")
    with scopes_disabled():
        world.own.teacher.memberships.filter(role="teacher").update(staff_group="early_career")
    _last_seen(world, 8)
    assert "Drop-in overdue" not in _rhythm_on_coach_home(client, world)


def test_the_lead_saves_the_model_and_it_is_audited(client, world):
    response = _save(client, world, caseload_limit="4", meeting_modes=["meets_by_video"])
    assert response.status_code == 302
    with scopes_disabled():
        row = SchoolModel.objects.get(school=world.own.school)
        assert row.caseload_limit == 4
        assert (row.meets_in_person, row.meets_by_video) == (False, True)
        assert AuditEvent.objects.filter(verb="rollout.school_model_updated").exists()


def test_a_setting_the_trust_has_standardised_cannot_be_changed_and_the_form_says_why(
    client, world
):
    with scopes_disabled():
        TrustPolicy.objects.create(
            trust=world.trust, cadence_level=Level.STANDARDISED, cadence_teachers=7
        )
    client.force_login(world.people["coaching_lead"])
    page = client.get(_model_url(world)).content.decode()
    assert "The trust has standardised these settings" in page
    assert 'name="cadence_teachers"' not in page
    _save(client, world, cadence_teachers="14")
    with scopes_disabled():
        assert SchoolModel.objects.get(school=world.own.school).cadence_teachers == 7
    _last_seen(world, 8)
    assert "Drop-in overdue" in _rhythm_on_coach_home(client, world)


def test_the_service_refuses_a_change_to_a_standardised_setting(world):
    from django.core.exceptions import ValidationError

    from coachloop.policy.services import school_model_update

    with trust_scope(world.trust):
        TrustPolicy.objects.create(trust=world.trust, cadence_level=Level.STANDARDISED)
        with pytest.raises(ValidationError, match="standardised"):
            school_model_update(
                school=world.own.school,
                actor=world.people["coaching_lead"],
                values={"cadence_teachers": 14},
            )
        assert not SchoolModel.objects.filter(school=world.own.school, cadence_teachers=14).exists()


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_a_caseload_limit_below_one_or_not_a_number_is_refused_and_nothing_saved(
    client, world, limit
):
    response = _save(client, world, caseload_limit=limit)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    with scopes_disabled():
        assert not SchoolModel.objects.filter(school=world.own.school).exists()


def test_no_way_of_meeting_is_refused(client, world):
    response = _save(client, world, meeting_modes=[])
    assert "Choose at least one way coaching meets." in response.content.decode()


def test_the_schools_own_framework_must_be_chosen_for_that_policy(client, world):
    response = _save(client, world, framework_policy="own")
    assert "Choose the school" in response.content.decode()
    with scopes_disabled():
        assert not SchoolModel.objects.filter(school=world.own.school).exists()


def test_an_edit_made_from_a_stale_page_is_refused(client, world):
    _save(client, world, caseload_limit="5")
    _save(client, world, caseload_limit="7", version="1")
    response = _save(client, world, caseload_limit="3", version="1")
    assert "Someone else changed these settings" in response.content.decode()
    with scopes_disabled():
        assert SchoolModel.objects.get(school=world.own.school).caseload_limit == 7


def test_the_trust_lead_standardises_a_setting(client, world):
    client.force_login(world.people["trust_lead"])
    response = client.post(
        reverse("rollout:policy_edit"),
        {
            **GRID,
            "framework": "",
            "cadence_level": "standardised",
            "leadership_level": "aligned",
            "meeting_modes_level": "autonomous",
            "group_coaching_level": "autonomous",
            "framework_level": "aligned",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert TrustPolicy.objects.get(trust=world.trust).cadence_level == Level.STANDARDISED


def test_the_trust_lead_sees_which_schools_differ_on_an_aligned_setting(client, world):
    with scopes_disabled():
        TrustPolicy.objects.create(trust=world.trust, cadence_level=Level.ALIGNED)
        SchoolModel.objects.create(trust=world.trust, school=world.own.school, cadence_teachers=14)
        SchoolModel.objects.create(trust=world.trust, school=world.other_school.school)
    client.force_login(world.people["trust_lead"])
    page = client.get(reverse("rollout:policy_edit")).content.decode()
    section = page[page.index("Where schools differ") : page.index("How far each setting")]
    assert world.own.school.name in section
    assert "Coaching rhythm" in section
    assert world.other_school.school.name not in section
