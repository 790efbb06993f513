"""Who coaches whom, in the admin site: started and ended through the services, never
rewritten, with no coaching content on show."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching import services
from coachloop.coaching.models import Relationship
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def new_teacher(world):
    with scopes_disabled():
        teacher = UserFactory(full_name="Nadia New")
        MembershipFactory(user=teacher, school=world.own.school, role=Role.TEACHER)
    return teacher


def start_post(world, teacher, **overrides):
    data = {
        "school": world.own.school.pk,
        "coach": world.own.coach.pk,
        "teacher": teacher.pk,
        "kind": Relationship.Kind.INSTRUCTIONAL,
        "started_on": TODAY.isoformat(),
    }
    data.update(overrides)
    return data


def relationships(**filters):
    with scopes_disabled():
        return Relationship.objects.filter(**filters).count()


def test_an_administrator_starts_a_coaching_relationship_and_it_is_audited(
    admin_client, world, new_teacher
):
    response = admin_client.post(
        reverse("admin:coaching_relationship_add"), start_post(world, new_teacher)
    )
    assert response.status_code == 302
    with scopes_disabled():
        relationship = Relationship.objects.get(teacher=new_teacher)
        assert relationship.trust == world.trust
        assert AuditEvent.objects.filter(
            verb="relationship.started", target_id=str(relationship.pk)
        ).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("coach_is_teacher", "A coach cannot coach themselves."),
        ("coach_not_a_coach", "is not a coach at School A1"),
        ("teacher_elsewhere", "is not a teacher at School A1"),
        ("already_coached", "This coach already coaches this teacher."),
    ],
)
def test_a_relationship_that_does_not_fit_the_schools_roles_is_refused_with_a_reason(
    admin_client, world, new_teacher, change, message
):
    if change == "coach_is_teacher":  # coaches teach too, but never coach themselves
        with scopes_disabled():
            MembershipFactory(user=new_teacher, school=world.own.school, role=Role.COACH)
    post = {
        "coach_is_teacher": start_post(world, new_teacher, coach=new_teacher.pk),
        "coach_not_a_coach": start_post(world, new_teacher, coach=world.other_school.coach.pk),
        "teacher_elsewhere": start_post(world, world.other_school.teacher),
        "already_coached": start_post(world, world.own.teacher),
    }[change]
    before = relationships()
    response = admin_client.post(reverse("admin:coaching_relationship_add"), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert relationships() == before


def test_coaching_started_with_no_school_is_refused_with_a_reason_not_a_server_error(
    admin_client, world, new_teacher
):
    response = admin_client.post(
        reverse("admin:coaching_relationship_add"), start_post(world, new_teacher, school="")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["school"] == ["This field is required."]
    assert relationships(teacher=new_teacher) == 0


def test_the_relationship_check_itself_asks_for_a_school(world, new_teacher):
    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        services.relationship_check(
            school=None,
            coach=world.own.coach,
            teacher=new_teacher,
            kind=Relationship.Kind.INSTRUCTIONAL,
            started_on=TODAY,
        )
    assert refused.value.message_dict == {
        "school": ["Choose the school where the coaching happens."]
    }


def test_ending_a_relationship_closes_the_period_once(admin_client, world):
    relationship = world.own.relationship
    url = reverse("admin:coaching_relationship_change", args=[relationship.pk])
    assert admin_client.post(url, {"finished_on": TODAY.isoformat()}).status_code == 302
    relationship.refresh_from_db()
    assert relationship.finished_on == TODAY

    later = (TODAY + dt.timedelta(days=3)).isoformat()
    response = admin_client.post(url, {"finished_on": later})
    assert "This coaching has already ended" in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.finished_on == TODAY


def test_a_relationship_cannot_end_before_it_started(admin_client, world):
    relationship = world.own.relationship
    url = reverse("admin:coaching_relationship_change", args=[relationship.pk])
    too_early = (relationship.started_on - dt.timedelta(days=1)).isoformat()
    response = admin_client.post(url, {"finished_on": too_early})
    assert response.status_code == 200
    assert "Coaching cannot end before it started." in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.finished_on is None


def test_a_relationship_cannot_be_ended_on_a_date_still_to_come(admin_client, world):
    relationship = world.own.relationship
    url = reverse("admin:coaching_relationship_change", args=[relationship.pk])
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    response = admin_client.post(url, {"finished_on": tomorrow})
    assert "Give today's date or a past one." in html.unescape(response.content.decode())
    relationship.refresh_from_db()
    assert relationship.finished_on is None


def test_only_the_trusts_current_coaches_and_teachers_are_offered(admin_client, world):
    page = admin_client.get(reverse("admin:coaching_relationship_add")).content.decode()
    coach_choices = page.split('name="coach"')[1].split("</select>")[0]
    assert world.own.coach.full_name in coach_choices
    assert world.own.teacher.full_name not in coach_choices
    assert world.other_trust_records.coach.full_name not in coach_choices


def test_the_admin_shows_who_coaches_whom_but_no_coaching_notes(admin_client, world):
    relationship = world.own.relationship
    for url in (
        reverse("admin:coaching_relationship_changelist"),
        reverse("admin:coaching_relationship_change", args=[relationship.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert SECRET_NOTE.encode() not in response.content


def test_running_and_ended_coaching_can_be_listed_apart(admin_client, world):
    with trust_scope(world.trust):
        services.relationship_end(
            actor=world.people["administrator"], relationship=world.other_school.relationship
        )
    url = reverse("admin:coaching_relationship_changelist")
    running = admin_client.get(url + "?running=yes").content.decode()
    ended = admin_client.get(url + "?running=no").content.decode()
    assert "Teacher a1" in running and "Teacher a2" not in running
    assert "Teacher a2" in ended and "Teacher a1" not in ended


def test_coaching_cannot_be_ended_before_its_last_drop_in(admin_client, world):
    relationship = world.own.relationship
    url = reverse("admin:coaching_relationship_change", args=[relationship.pk])
    before_visit = (world.own.dropin.visited_on - dt.timedelta(days=1)).isoformat()
    response = admin_client.post(url, {"finished_on": before_visit})
    assert "end the coaching on that day or later" in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.finished_on is None


def test_an_administrator_starts_mentoring_with_its_induction_period_and_rhythm(
    admin_client, world, new_teacher
):
    post = start_post(
        world,
        new_teacher,
        kind=Relationship.Kind.MENTORING,
        induction_starts_on=TODAY.isoformat(),
        induction_ends_on=(TODAY + dt.timedelta(days=600)).isoformat(),
        cadence_days="7",
    )
    response = admin_client.post(reverse("admin:coaching_relationship_add"), post)
    assert response.status_code == 302
    with scopes_disabled():
        mentoring = Relationship.objects.get(teacher=new_teacher)
    assert mentoring.kind == Relationship.Kind.MENTORING
    assert mentoring.cadence_days == 7
    assert mentoring.induction_ends_on == TODAY + dt.timedelta(days=600)


def test_mentoring_without_its_rhythm_is_refused_in_the_admin_with_a_message_not_an_error(
    admin_client, world, new_teacher
):
    post = start_post(world, new_teacher, kind=Relationship.Kind.MENTORING)
    response = admin_client.post(reverse("admin:coaching_relationship_add"), post)
    assert response.status_code == 200
    assert "Enter how many days there should be between meetings." in html.unescape(
        response.content.decode()
    )
    assert relationships(teacher=new_teacher) == 0


def test_the_admin_does_not_offer_co_coaching_which_starts_as_a_pair_on_the_leads_page(
    admin_client,
):
    response = admin_client.get(reverse("admin:coaching_relationship_add"))
    assert 'value="co_coaching"' not in response.content.decode()
    assert 'value="mentoring"' in response.content.decode()
