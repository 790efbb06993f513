"""A staff roster brought in: checked against the trust, shown, then applied at once.

These tests build what a reader returns by hand (``staff_bundles``), so that they are about
matching, planning and applying, whatever the file format (``test_roster_readers`` is about
the files)."""

import datetime as dt

import pytest
from allauth.usersessions.models import UserSession
from django.core import mail
from django.core.exceptions import ValidationError

from coachloop.coaching.models import DropIn, Relationship
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.models import ExternalId, Membership, Role, StaffGroup, User
from coachloop.rosters import services
from coachloop.rosters.models import OrgMapping, RosterImport
from coachloop.rosters.records import Org
from tests.factories import (
    DropInFactory,
    MembershipFactory,
    RelationshipFactory,
    SchoolFactory,
    UserFactory,
)
from tests.people.sessions_helpers import opens_home, signed_in_client
from tests.rosters.staff_bundles import bundle, teacher
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db
EXPORTED = dt.date(2026, 9, 1)


def checked(trust, admin, staff_bundle, name="export.zip"):
    roster_import = services.staff_import_start(
        actor=admin, trust=trust, bundle=staff_bundle, file_name=name
    )
    return services.staff_import_check(roster_import=roster_import)


def applied(trust, admin, staff_bundle, **options):
    roster_import = checked(trust, admin, staff_bundle)
    assert roster_import.problems == [], roster_import.problems
    services.staff_import_mark_applying(roster_import=roster_import)
    return services.staff_import_apply(actor=admin, roster_import=roster_import, **options)


def snapshot(trust):
    with scopes_disabled():
        return {
            "people": User.objects.count(),
            "roles": list(
                Membership.objects.filter(trust=trust)
                .order_by("pk")
                .values_list("user_id", "role", "school_id", "started_on", "finished_on")
            ),
            "ids": list(ExternalId.objects.order_by("pk").values_list("kind", "value")),
            "relationships": list(
                Relationship.objects.order_by("pk").values_list("pk", "finished_on")
            ),
        }


def test_an_import_adds_its_teachers_with_their_roles_and_sourced_ids(trust, admin):
    done = applied(trust, admin, bundle([teacher(1), teacher(2, org="org-1", role="headteacher")]))

    assert done.status == RosterImport.Status.APPLIED
    with scopes_disabled():
        ada = User.objects.get(email="teacher1@riverside.example.org")
        role = Membership.objects.get(user=ada)
        assert (role.role, role.school.urn, role.started_on) == (Role.TEACHER, "900001", EXPORTED)
        assert ExternalId.objects.get(person=ada).value == "u1"
        head = Membership.objects.get(user__email="teacher2@riverside.example.org")
        assert head.role == Role.HEADTEACHER
    assert not ada.has_usable_password()
    assert done.counts["added"] == 2


def test_applying_the_same_file_again_changes_nothing(trust, admin):
    staff = bundle([teacher(1), teacher(2), teacher(3, group=StaffGroup.EARLY_CAREER)])
    applied(trust, admin, staff)
    before = snapshot(trust)
    with scopes_disabled():
        events_before = AuditEvent.objects.exclude(verb__startswith="roster.").count()

    again = checked(trust, admin, staff)

    assert again.counts["new"] == again.counts["changed"] == again.counts["leaving"] == 0
    assert again.counts["unchanged"] == 3
    services.staff_import_mark_applying(roster_import=again)
    services.staff_import_apply(actor=admin, roster_import=again)
    assert snapshot(trust) == before
    with scopes_disabled():
        assert AuditEvent.objects.exclude(verb__startswith="roster.").count() == events_before


def test_checking_writes_nothing_but_the_import_itself(trust, admin):
    before = snapshot(trust)

    roster_import = checked(trust, admin, bundle([teacher(1), teacher(2)]))

    assert roster_import.status == RosterImport.Status.READY
    assert roster_import.counts["new"] == 2
    assert [p["name"] for p in roster_import.plan["new"]] == [
        "Teacher Number 1",
        "Teacher Number 2",
    ]
    assert snapshot(trust) == before


def test_a_teacher_missing_from_a_later_full_export_leaves_with_their_coaching_ended(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2)]))
    with scopes_disabled():
        leaver = User.objects.get(email="teacher2@riverside.example.org")
        school = Membership.objects.get(user=leaver).school
        coach = UserFactory()
        MembershipFactory(user=coach, school=school, role=Role.COACH)
        relationship = RelationshipFactory(
            school=school, coach=coach, teacher=leaver, started_on=dt.date(2026, 6, 1)
        )
        DropInFactory(relationship=relationship, visited_on=dt.date(2026, 7, 1))

    later = bundle([teacher(1)], on=dt.date(2026, 10, 1))
    roster_import = checked(trust, admin, later)
    assert roster_import.counts["leaving"] == 1
    assert roster_import.counts["coaching_ending"] == 1
    assert roster_import.plan["leaving"][0]["name"] == leaver.full_name
    services.staff_import_mark_applying(roster_import=roster_import)
    services.staff_import_apply(actor=admin, roster_import=roster_import)

    with scopes_disabled():
        role = Membership.objects.get(user=leaver, role=Role.TEACHER)
        assert role.finished_on == dt.date(2026, 10, 1)
        relationship.refresh_from_db()
        assert relationship.finished_on == dt.date(2026, 10, 1)
        assert DropIn.objects.filter(relationship=relationship).count() == 1
        assert User.objects.filter(pk=leaver.pk).exists()
        assert Membership.objects.get(user=coach).finished_on is None
        verbs = set(AuditEvent.objects.filter(subject=leaver).values_list("verb", flat=True))
    assert {"membership.finished", "relationship.ended"} <= verbs


def test_a_coach_who_is_not_in_the_roster_keeps_their_coaching_role(trust, admin):
    with scopes_disabled():
        school = SchoolFactory._meta.model.objects.get(urn="900001")
        visiting = MembershipFactory(school=school, role=Role.COACH)

    applied(trust, admin, bundle([teacher(1)]))

    with scopes_disabled():
        visiting.refresh_from_db()
    assert visiting.finished_on is None


def test_someone_marked_to_be_deleted_has_their_roles_ended(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2)]))

    applied(trust, admin, bundle([teacher(1), teacher(2, to_be_deleted=True)], full=False))

    with scopes_disabled():
        role = Membership.objects.get(user__email="teacher2@riverside.example.org")
    assert role.finished_on == EXPORTED


def test_a_changes_only_export_ends_nobody_who_is_missing_from_it(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2)]))

    later = checked(trust, admin, bundle([teacher(1)], full=False))

    assert later.counts["leaving"] == 0


def test_people_are_found_by_sourced_id_when_their_email_address_changes(trust, admin):
    applied(trust, admin, bundle([teacher(1)]))

    renamed = teacher(1, email="t.one@riverside.example.org", name="Teacher Number-One")
    done = applied(trust, admin, bundle([renamed]))

    assert done.counts["changed"] == 1
    with scopes_disabled():
        person = ExternalId.objects.get(value="u1").person
    assert (person.email, person.full_name) == (
        "t.one@riverside.example.org",
        "Teacher Number-One",
    )


def test_someone_already_in_the_trust_is_found_by_email_and_linked_to_the_roster(trust, admin):
    with scopes_disabled():
        school = SchoolFactory._meta.model.objects.get(urn="900001")
        known = MembershipFactory(school=school, user__email="teacher1@riverside.example.org").user

    done = applied(trust, admin, bundle([teacher(1)]))

    assert done.counts["added"] == 0
    with scopes_disabled():
        assert ExternalId.objects.get(person=known).value == "u1"
        assert Membership.objects.filter(user=known).count() == 1


def test_someone_who_works_only_in_another_trust_is_a_problem_not_a_match(trust, admin):
    with scopes_disabled():
        elsewhere = MembershipFactory(user__email="teacher1@riverside.example.org").user
    before = snapshot(trust)

    roster_import = checked(trust, admin, bundle([teacher(1)]))

    assert roster_import.status == RosterImport.Status.PROBLEMS
    assert roster_import.problems[0]["row"] == 2
    assert roster_import.problems[0]["column"] == "email"
    assert "Glebe" not in str(roster_import.problems)
    assert snapshot(trust) == before
    with scopes_disabled():
        assert not Membership.objects.filter(user=elsewhere, trust=trust).exists()


def test_an_organisation_with_an_unknown_urn_is_a_problem_until_the_administrator_says_which_school_it_is(  # noqa: E501
    trust, admin
):
    orgs = {"org-9": Org(key="org-9", name="Riverside Sixth Form", urn="")}
    roster_import = checked(trust, admin, bundle([teacher(1, org="org-9")], orgs=orgs))
    assert roster_import.status == RosterImport.Status.PROBLEMS
    assert roster_import.plan["unmatched_orgs"][0]["key"] == "org-9"

    with scopes_disabled():
        school = SchoolFactory._meta.model.objects.get(urn="900002")
    services.org_mapping_confirm(
        actor=admin,
        trust=trust,
        source_id="org-9",
        source_name="Riverside Sixth Form",
        school=school,
    )
    services.staff_import_recheck(roster_import=roster_import)
    roster_import = services.staff_import_check(roster_import=roster_import)

    assert roster_import.status == RosterImport.Status.READY
    with scopes_disabled():
        assert OrgMapping.objects.get(source_id="org-9").school == school
        assert AuditEvent.objects.filter(verb="roster.organisation_confirmed").count() == 1


def test_an_organisation_cannot_be_said_to_be_another_trusts_school(trust, admin):
    with scopes_disabled():
        foreign = SchoolFactory()
    with pytest.raises(ValidationError):
        services.org_mapping_confirm(
            actor=admin, trust=trust, source_id="org-9", source_name="", school=foreign
        )


def test_the_same_email_address_twice_in_a_file_is_a_problem(trust, admin):
    twice = [teacher(1), teacher(2, email="teacher1@riverside.example.org")]

    roster_import = checked(trust, admin, bundle(twice))

    assert [(p["row"], p["column"]) for p in roster_import.problems] == [(3, "email")]


def a_coached_teacher_leaves_and_one_joins(trust, admin):
    """The trust as it is, and a checked import in which a teacher who is coached has left
    and someone new has joined."""
    applied(trust, admin, bundle([teacher(1), teacher(2)]))
    with scopes_disabled():
        leaver = User.objects.get(email="teacher2@riverside.example.org")
        school = Membership.objects.get(user=leaver).school
        RelationshipFactory(school=school, teacher=leaver, started_on=dt.date(2026, 6, 1))
    before = snapshot(trust)
    later = bundle([teacher(1), teacher(3)], on=dt.date(2026, 10, 1))
    return before, checked(trust, admin, later)


def test_applying_is_all_or_nothing(trust, admin, monkeypatch):
    before, roster_import = a_coached_teacher_leaves_and_one_joins(trust, admin)

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    # The new person and the ended role come before the coaching is ended; none survives.
    monkeypatch.setattr("coachloop.rosters.applying.relationship_end", fail)
    services.staff_import_mark_applying(roster_import=roster_import)
    with pytest.raises(RuntimeError):
        services.staff_import_apply(actor=admin, roster_import=roster_import)

    assert snapshot(trust) == before


def test_an_import_is_checked_again_if_the_trust_changed_since_it_was_checked(trust, admin):
    roster_import = checked(trust, admin, bundle([teacher(1)]))
    with scopes_disabled():
        school = SchoolFactory._meta.model.objects.get(urn="900001")
        MembershipFactory(school=school, user__email="teacher1@riverside.example.org")
    before = snapshot(trust)

    services.staff_import_mark_applying(roster_import=roster_import)
    with pytest.raises(services.PlanChanged):
        services.staff_import_apply(actor=admin, roster_import=roster_import)

    assert snapshot(trust) == before
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.READY
    assert roster_import.counts["new"] == 0
    assert roster_import.counts["changed"] == 1


def test_an_early_career_teacher_who_finishes_induction_starts_a_new_period(trust, admin):
    applied(trust, admin, bundle([teacher(1, group=StaffGroup.EARLY_CAREER)]))

    applied(trust, admin, bundle([teacher(1)], on=dt.date(2026, 10, 1)))

    with scopes_disabled():
        periods = list(
            Membership.objects.filter(user__email="teacher1@riverside.example.org")
            .order_by("started_on")
            .values_list("staff_group", "started_on", "finished_on")
        )
    assert periods == [
        (StaffGroup.EARLY_CAREER, EXPORTED, dt.date(2026, 9, 30)),
        (StaffGroup.TEACHER, dt.date(2026, 10, 1), None),
    ]


def test_a_teacher_who_moves_school_ends_one_role_and_starts_another(trust, admin):
    orgs = {
        "org-1": Org(key="org-1", name="Meadow Lane School", urn="900001"),
        "org-2": Org(key="org-2", name="Hill Top Primary", urn="900002"),
    }
    applied(trust, admin, bundle([teacher(1), teacher(2)], orgs=orgs))

    later = bundle([teacher(1, org="org-2"), teacher(2)], orgs=orgs, on=dt.date(2026, 10, 1))
    done = applied(trust, admin, later)

    assert done.counts["changed"] == 1
    with scopes_disabled():
        roles = list(
            Membership.objects.filter(user__email="teacher1@riverside.example.org")
            .order_by("started_on")
            .values_list("school__urn", "finished_on")
        )
    assert roles == [("900001", dt.date(2026, 10, 1)), ("900002", None)]


def test_new_people_are_emailed_a_link_only_when_the_administrator_asks(
    trust, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        applied(trust, admin, bundle([teacher(1)]))
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        applied(
            trust,
            admin,
            bundle([teacher(1), teacher(2)]),
            invite_new_people=True,
            base_url="https://coachloop.example.org",
        )

    assert [message.to for message in mail.outbox] == [["teacher2@riverside.example.org"]]
    assert "https://coachloop.example.org/accounts/reset/" in mail.outbox[0].body


def test_the_import_is_audited_with_who_and_the_counts(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2)], students=40))

    with scopes_disabled():
        uploaded = AuditEvent.objects.get(verb="roster.uploaded")
        done = AuditEvent.objects.get(verb="roster.applied")
    assert uploaded.actor == admin and "40 student rows skipped unread" in uploaded.summary
    assert done.actor == admin and "added 2" in done.summary


def test_an_import_cannot_be_applied_twice(trust, admin):
    done = applied(trust, admin, bundle([teacher(1)]))

    with pytest.raises(ValidationError):
        services.staff_import_mark_applying(roster_import=done)


def test_a_person_brought_in_can_ask_for_a_password_link(trust, admin, client):
    applied(trust, admin, bundle([teacher(1)]))

    client.post("/accounts/password-reset/", {"email": "teacher1@riverside.example.org"})

    assert [message.to for message in mail.outbox] == [["teacher1@riverside.example.org"]]


def test_it_runs_in_the_trusts_scope(trust, admin):
    with trust_scope(trust):
        done = applied(trust, admin, bundle([teacher(1)]))
    assert done.status == RosterImport.Status.APPLIED


def test_an_export_dated_before_its_roles_began_starts_and_ends_none_of_them(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2)], on=dt.date(2026, 10, 1)))
    before = snapshot(trust)

    done = applied(trust, admin, bundle([teacher(1)], on=dt.date(2026, 9, 1)))

    assert (done.counts["unchanged"], done.counts["left"]) == (1, 0)
    assert snapshot(trust) == before


def test_an_import_that_cannot_be_applied_says_why_and_changes_nothing(trust, admin, monkeypatch):
    before, roster_import = a_coached_teacher_leaves_and_one_joins(trust, admin)

    def refuse(**kwargs):
        raise ValidationError("There is a drop-in on 2 October 2026.")

    monkeypatch.setattr("coachloop.rosters.applying.relationship_end", refuse)
    services.staff_import_mark_applying(roster_import=roster_import)
    with pytest.raises(ValidationError):
        services.staff_import_apply(actor=admin, roster_import=roster_import)

    assert snapshot(trust) == before
    with scopes_disabled():
        roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert roster_import.failure == "Nothing was changed: There is a drop-in on 2 October 2026."


def test_an_export_that_lists_no_school_leaders_ends_no_headteachers_role(trust, admin):
    with scopes_disabled():
        school = SchoolFactory._meta.model.objects.get(urn="900001")
        head = MembershipFactory(school=school, role=Role.HEADTEACHER)

    done = applied(trust, admin, bundle([teacher(1)]))

    assert done.counts["left"] == 0
    with scopes_disabled():
        head.refresh_from_db()
    assert head.finished_on is None


def test_an_export_that_lists_school_leaders_ends_the_role_of_one_who_has_gone(trust, admin):
    with scopes_disabled():
        school = SchoolFactory._meta.model.objects.get(urn="900001")
        head = MembershipFactory(school=school, role=Role.HEADTEACHER)

    done = applied(trust, admin, bundle([teacher(1), teacher(2, role="headteacher")]))

    assert done.counts["left"] == 1
    with scopes_disabled():
        head.refresh_from_db()
    assert head.finished_on == EXPORTED


def test_someone_who_has_left_is_signed_out_once_the_import_is_applied(
    trust, admin, django_capture_on_commit_callbacks
):
    applied(trust, admin, bundle([teacher(1), teacher(2)], on=dt.date(2026, 9, 1)))
    with scopes_disabled():
        leaver = User.objects.get(email="teacher2@riverside.example.org")
        leaver.set_password(PASSWORD)
        leaver.save()
    phone = signed_in_client(leaver)
    assert UserSession.objects.filter(user=leaver).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        applied(trust, admin, bundle([teacher(1)], on=dt.date(2026, 10, 1)))

    # Signed out at once, not only when the phone next asks for a page.
    assert UserSession.objects.filter(user=leaver).count() == 0
    assert not opens_home(phone)
