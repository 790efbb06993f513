"""The admin site: the administrator role opens it, for the administrator's own trust only.

People are added with a first role and set their own password from an email; roles are
started and finished, never edited or deleted; every change is audited.
"""

import datetime as dt
import re

import pytest
from django.contrib import admin as django_admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people import services
from coachloop.people.models import Membership, Role, School, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def new_person_post(**overrides):
    data = {
        "email": "new.teacher@example.org",
        "full_name": "Nia Teacher",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "1",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-role": Role.TEACHER,
        "memberships-0-school": "",
        "memberships-0-started_on": TODAY.isoformat(),
    }
    data.update(overrides)
    return data


def rows(model, **filters):
    with scopes_disabled():
        return model.objects.filter(**filters).count()


def test_every_admin_list_and_add_page_opens_for_someone_with_the_administrator_role(
    admin_client, world
):
    administrator = world.people["administrator"]
    assert not administrator.is_superuser
    for model in django_admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, changelist


@pytest.mark.parametrize("persona", ["teacher", "coach", "coaching_lead", "headteacher"])
def test_people_without_the_administrator_role_are_refused(client, world, persona):
    client.force_login(world.people[persona])
    response = client.get(reverse("admin:people_school_changelist"), follow=True)
    assert response.status_code == 403


def test_a_superuser_with_no_role_in_a_trust_sees_no_trusts_rows_and_gets_no_error(client, world):
    with scopes_disabled():
        root = UserFactory(is_superuser=True)
    client.force_login(root)
    response = client.get(reverse("admin:people_school_changelist"), follow=True)
    assert response.status_code == 403
    assert b"School A1" not in response.content


def test_the_administrator_sees_only_their_own_trusts_people_and_schools(admin_client, world):
    people = admin_client.get(reverse("admin:people_user_changelist")).content.decode()
    schools = admin_client.get(reverse("admin:people_school_changelist")).content.decode()
    assert "Teacher a1" in people and "Teacher a2" in people
    assert "Teacher b1" not in people
    assert "School A1" in schools and "School B1" not in schools
    other = world.other_trust_records
    for url in (
        reverse("admin:people_user_change", args=[other.teacher.pk]),
        reverse("admin:people_school_change", args=[other.school.pk]),
    ):
        response = admin_client.get(url, follow=True)
        assert b"Teacher b1" not in response.content and b"School B1" not in response.content


def test_adding_a_person_gives_them_a_role_and_emails_them_a_link_to_choose_a_password(
    admin_client, world, client, mailoutbox, django_capture_on_commit_callbacks
):
    post = new_person_post(**{"memberships-0-school": world.own.school.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:people_user_add"), post)
    assert response.status_code == 302
    with scopes_disabled():
        person = User.objects.get(email="new.teacher@example.org")
        membership = Membership.objects.get(user=person)
        verbs = set(AuditEvent.objects.filter(subject=person).values_list("verb", flat=True))
    assert (membership.role, membership.school, membership.trust) == (
        Role.TEACHER,
        world.own.school,
        world.trust,
    )
    assert verbs == {"person.added", "membership.started"}
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new.teacher@example.org"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    page = client.get(link.split("testserver", 1)[1], follow=True)
    assert "Choose your password" in page.content.decode()


def test_a_person_cannot_be_added_without_a_role_and_nothing_is_saved(admin_client, mailoutbox):
    before = rows(User)
    response = admin_client.post(
        reverse("admin:people_user_add"), new_person_post(**{"memberships-0-role": ""})
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert rows(User) == before
    assert mailoutbox == []


def test_an_address_someone_in_this_trust_has_in_any_case_is_refused_naming_them(
    admin_client, world
):
    before = rows(User), rows(Membership)
    post = new_person_post(
        email=world.own.teacher.email.upper(), **{"memberships-0-school": world.own.school.pk}
    )
    response = admin_client.post(reverse("admin:people_user_add"), post)
    assert response.status_code == 200
    assert (
        "Teacher a1 already has this email address. Find them under People to give them "
        "another role." in response.content.decode()
    )
    assert (rows(User), rows(Membership)) == before


NEUTRAL_REFUSAL = (
    "This email address cannot be used here. Check it with the person; if it is right, "
    "Coachloop&#x27;s operators can help."
)


def test_an_address_used_in_another_trust_is_refused_without_saying_who_or_where(
    admin_client, world, mailoutbox
):
    elsewhere = world.other_trust_records.teacher
    with scopes_disabled():
        nowhere = UserFactory(full_name="Former Teacher", email="former@example.org")
    before = rows(User), rows(Membership)
    answers = []
    for holder in (elsewhere, nowhere):
        post = new_person_post(email=holder.email, **{"memberships-0-school": world.own.school.pk})
        page = admin_client.post(reverse("admin:people_user_add"), post).content.decode()
        assert NEUTRAL_REFUSAL in page
        for hint in (holder.full_name, "already uses", "another trust", "Trust B", "School B1"):
            assert hint not in page, hint
        answers.append(re.findall(r'<ul class="errorlist[^"]*"[^>]*>.*?</ul>', page, re.S))
    # Someone working in another trust and someone working nowhere get the same answer.
    assert answers[0] and answers[0] == answers[1]
    assert (rows(User), rows(Membership)) == before
    assert mailoutbox == []


def test_changing_an_address_to_one_used_in_another_trust_is_refused_without_saying_who(
    admin_client, world
):
    person = world.own.coach
    url = reverse("admin:people_user_change", args=[person.pk])
    taken = world.other_trust_records.teacher
    post = {"email": taken.email, "full_name": person.full_name, "is_active": "on"}
    page = admin_client.post(url, {**post, **inline_management()}).content.decode()
    assert NEUTRAL_REFUSAL in page
    assert taken.full_name not in page and "already uses" not in page
    person.refresh_from_db()
    assert person.email == "coach-a1@example.org"


def test_a_person_keeps_their_own_address_when_their_page_is_saved(admin_client, world):
    person = world.own.coach
    url = reverse("admin:people_user_change", args=[person.pk])
    post = {"email": person.email.upper(), "full_name": "Coach A. One", "is_active": "on"}
    assert admin_client.post(url, {**post, **inline_management()}).status_code == 302
    person.refresh_from_db()
    assert (person.email, person.full_name) == ("coach-a1@example.org", "Coach A. One")


def test_the_service_refuses_an_address_in_use_without_saying_where(world):
    with trust_scope(world.trust), pytest.raises(ValidationError) as refused:
        services.person_add(
            actor=world.people["administrator"],
            trust=world.trust,
            email=world.other_trust_records.coach.email,
            full_name="Probe",
        )
    assert refused.value.message_dict["email"] == [NEUTRAL_REFUSAL.replace("&#x27;", "'")]


def test_a_school_role_without_a_school_is_refused(admin_client):
    before = rows(User)
    response = admin_client.post(reverse("admin:people_user_add"), new_person_post())
    assert response.status_code == 200
    assert "This role needs a school." in response.content.decode()
    assert rows(User) == before


def test_the_administrator_cannot_make_anyone_a_superuser_or_set_their_password(
    admin_client, world
):
    url = reverse("admin:people_user_change", args=[world.own.teacher.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="password"' not in page
    password_url = reverse("admin:people_user_change", args=[world.own.teacher.pk]) + "password/"
    assert admin_client.get(password_url).status_code in (302, 404)


def test_a_role_is_finished_once_and_then_stays_finished(admin_client, world):
    with scopes_disabled():
        membership = Membership.objects.get(user=world.own.teacher, role=Role.TEACHER)
    url = reverse("admin:people_membership_change", args=[membership.pk])
    finish = (TODAY + dt.timedelta(days=30)).isoformat()
    assert admin_client.post(url, {"finished_on": finish}).status_code == 302
    membership.refresh_from_db()
    assert membership.finished_on.isoformat() == finish
    assert rows(AuditEvent, verb="membership.finished", target_id=str(membership.pk)) == 1

    response = admin_client.post(url, {"finished_on": ""})
    assert "This role has already finished" in response.content.decode()
    membership.refresh_from_db()
    assert membership.finished_on.isoformat() == finish


def test_a_role_cannot_finish_before_it_started(admin_client, world):
    with scopes_disabled():
        membership = Membership.objects.get(user=world.own.teacher, role=Role.TEACHER)
    url = reverse("admin:people_membership_change", args=[membership.pk])
    before_start = (membership.started_on - dt.timedelta(days=1)).isoformat()
    response = admin_client.post(url, {"finished_on": before_start})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.finished_on is None


def test_the_same_role_twice_at_the_same_time_is_refused(admin_client, world):
    before = rows(Membership)
    response = admin_client.post(
        reverse("admin:people_membership_add"),
        {
            "user": world.own.teacher.pk,
            "role": Role.TEACHER,
            "school": world.own.school.pk,
            "started_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "already holds this role here" in response.content.decode()
    assert rows(Membership) == before


def test_a_second_role_is_started_through_the_admin_and_audited(admin_client, world):
    response = admin_client.post(
        reverse("admin:people_membership_add"),
        {
            "user": world.own.teacher.pk,
            "role": Role.COACH,
            "school": world.own.school.pk,
            "started_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert rows(Membership, user=world.own.teacher, role=Role.COACH) == 1
    assert rows(AuditEvent, verb="membership.started", subject=world.own.teacher) == 1


def test_another_trusts_school_is_not_a_choice_for_a_role(admin_client, world):
    before = rows(Membership)
    response = admin_client.post(
        reverse("admin:people_membership_add"),
        {
            "user": world.own.teacher.pk,
            "role": Role.COACH,
            "school": world.other_trust_records.school.pk,
            "started_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert rows(Membership) == before


def test_a_school_short_name_used_twice_in_a_trust_is_a_form_error_not_a_crash(admin_client, world):
    post = {"name": "Another A1", "slug": "a1", "urn": "", "phase": School.Phase.PRIMARY}
    response = admin_client.post(reverse("admin:people_school_add"), post)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert rows(School, slug="a1") == 1
    post["slug"] = "b1"  # used by the other trust, which is no clash
    assert admin_client.post(reverse("admin:people_school_add"), post).status_code == 302
    with scopes_disabled():
        added = School.objects.get(name="Another A1")
    assert added.trust == world.trust
    assert rows(AuditEvent, verb="school.added", target_id=str(added.pk)) == 1


def test_nothing_can_be_deleted_in_the_admin(admin_client, world):
    url = reverse("admin:people_school_delete", args=[world.own.school.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert rows(School, pk=world.own.school.pk) == 1


def test_someone_from_another_trust_cannot_be_given_a_role_here(admin_client, world):
    outsider = world.other_trust_records.teacher
    before = rows(Membership)
    response = admin_client.post(
        reverse("admin:people_membership_add"),
        {
            "user": outsider.pk,
            "role": Role.TEACHER,
            "school": world.own.school.pk,
            "started_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert rows(Membership) == before


def test_the_service_refuses_a_role_for_someone_who_belongs_only_to_another_trust(world):
    with trust_scope(world.trust), pytest.raises(ValidationError, match="another trust"):
        services.membership_start(
            actor=world.people["administrator"],
            trust=world.trust,
            user=world.other_trust_records.teacher,
            role=Role.TEACHER,
            school=world.own.school,
        )


def test_how_someone_who_also_works_in_another_trust_signs_in_is_not_changed_here(
    admin_client, world
):
    shared = world.own.teacher
    with scopes_disabled():
        Membership.objects.create(
            trust=world.other_trust,
            user=shared,
            school=world.other_trust_records.school,
            role=Role.TEACHER,
        )
    url = reverse("admin:people_user_change", args=[shared.pk])
    post = {"email": "someone.else@example.org", "full_name": shared.full_name, "is_active": "on"}
    response = admin_client.post(url, {**post, **inline_management()})
    assert "also works in another trust" in response.content.decode()
    shared.refresh_from_db()
    assert shared.email == "teacher-a1@example.org"
    renamed = {**post, "email": shared.email, "full_name": "Teacher A. One"}
    assert (
        "also works in another trust"
        in admin_client.post(url, {**renamed, **inline_management()}).content.decode()
    )
    shared.refresh_from_db()
    assert shared.full_name == "Teacher a1"


def test_someone_who_works_only_here_can_be_renamed(admin_client, world):
    person = world.own.coach
    url = reverse("admin:people_user_change", args=[person.pk])
    post = {"email": person.email, "full_name": "Coach A. One", "is_active": "on"}
    assert admin_client.post(url, {**post, **inline_management()}).status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Coach A. One"
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="person.changed", subject=person).count() == 1


def test_a_role_due_to_start_in_another_trust_counts_as_working_there(admin_client, world):
    person = world.own.teacher
    with scopes_disabled():
        Membership.objects.create(
            trust=world.other_trust,
            user=person,
            school=world.other_trust_records.school,
            role=Role.TEACHER,
            started_on=TODAY + dt.timedelta(days=60),
        )
    url = reverse("admin:people_user_change", args=[person.pk])
    post = {"email": "taken.over@example.org", "full_name": person.full_name, "is_active": "on"}
    response = admin_client.post(url, {**post, **inline_management()})
    assert "also works in another trust" in response.content.decode()
    person.refresh_from_db()
    assert person.email == "teacher-a1@example.org"


def test_finishing_a_role_on_a_persons_page_is_not_recorded_as_changing_the_person(
    admin_client, world
):
    person = world.own.teacher
    with scopes_disabled():
        membership = Membership.objects.get(user=person, role=Role.TEACHER)
    url = reverse("admin:people_user_change", args=[person.pk])
    post = finishing_a_role(person, membership)
    assert admin_client.post(url, post).status_code == 302
    with scopes_disabled():
        verbs = set(AuditEvent.objects.filter(subject=person).values_list("verb", flat=True))
    assert verbs == {"membership.finished"}


def test_a_role_id_that_is_not_this_persons_is_refused_not_an_error(admin_client, world):
    person = world.own.teacher
    with scopes_disabled():
        someone_elses = Membership.objects.get(user=world.other_trust_records.teacher)
    url = reverse("admin:people_user_change", args=[person.pk])
    post = finishing_a_role(person, someone_elses)
    response = admin_client.post(url, post)
    assert response.status_code == 200
    someone_elses.refresh_from_db()
    assert someone_elses.finished_on is None


def test_the_same_new_role_twice_in_one_save_is_refused_not_an_error(admin_client, world):
    post = new_person_post(
        **{
            "memberships-TOTAL_FORMS": "2",
            "memberships-0-school": world.own.school.pk,
            "memberships-1-role": Role.TEACHER,
            "memberships-1-school": world.own.school.pk,
            "memberships-1-started_on": TODAY.isoformat(),
        }
    )
    before = rows(User)
    response = admin_client.post(reverse("admin:people_user_add"), post)
    assert response.status_code == 200
    assert "The same role in the same school is given twice." in response.content.decode()
    assert rows(User) == before


def test_a_urn_another_trusts_school_has_is_refused_not_an_error(admin_client, world):
    taken = world.other_trust_records.school.urn
    post = {"name": "Copy School", "slug": "copy", "urn": taken, "phase": School.Phase.PRIMARY}
    response = admin_client.post(reverse("admin:people_school_add"), post)
    assert response.status_code == 200
    assert "Another school already has this URN." in response.content.decode()


def finishing_a_role(person, membership):
    """The person's page posted with one role row finished today, and nothing else changed."""
    return {
        "email": person.email,
        "full_name": person.full_name,
        "is_active": "on",
        **inline_management(),
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-user": person.pk,
        "memberships-0-finished_on": TODAY.isoformat(),
    }


def inline_management():
    """The two role formsets on a person's page, with nothing changed in them."""
    data = {}
    for prefix in ("memberships", "memberships-2"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def test_people_can_be_filtered_by_a_role_they_hold_in_this_trust_only(admin_client, world):
    shared = world.other_school.teacher  # a teacher in trust A, made a coach in trust B too
    with scopes_disabled():
        Membership.objects.create(
            trust=world.other_trust,
            user=shared,
            school=world.other_trust_records.school,
            role=Role.COACH,
        )
    url = reverse("admin:people_user_changelist") + "?role=coach"
    page = admin_client.get(url).content.decode()
    assert world.own.coach.full_name in page
    assert shared.full_name not in page
    assert world.own.teacher.full_name not in page


def test_adding_a_person_says_they_were_emailed(admin_client, world):
    post = new_person_post(**{"memberships-0-school": world.own.school.pk})
    response = admin_client.post(reverse("admin:people_user_add"), post, follow=True)
    assert "Nia Teacher was emailed a link to choose a password." in response.content.decode()


def test_a_rows_history_shows_this_trusts_audit_trail_and_nobody_elses(admin_client, world):
    person = world.own.teacher
    with scopes_disabled():
        AuditEvent.objects.create(
            trust=world.other_trust,
            actor=world.other_trust_records.coach,
            verb="person.changed",
            target_type="people.user",
            target_id=str(person.pk),
            summary="done in trust B",
        )
        AuditEvent.objects.create(
            trust=world.trust,
            actor=world.people["administrator"],
            verb="person.changed",
            target_type="people.user",
            target_id=str(person.pk),
            summary="done in trust A",
        )
    page = admin_client.get(reverse("admin:people_user_history", args=[person.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "done in trust A" in html and "done in trust B" not in html


def test_an_autocomplete_search_with_a_nul_character_is_refused_not_an_error(admin_client):
    url = reverse("admin:autocomplete")
    response = admin_client.get(
        url,
        {"app_label": "people", "model_name": "membership", "field_name": "user", "term": "\x00"},
    )
    assert response.status_code == 400
