"""The edges of a staff roster import, each a way a real export once went wrong: what the file
does not say is left as it is, nobody outside the trust is adopted, and nothing half-done is
ever left behind."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coachloop.coaching.models import Relationship
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import ExternalId, Membership, Role, School, StaffGroup, User
from coachloop.rosters import services, tasks
from coachloop.rosters.models import RosterImport
from coachloop.rosters.records import Org, RoleAt
from tests.factories import (
    DropInFactory,
    MembershipFactory,
    RelationshipFactory,
    UserFactory,
)
from tests.rosters.staff_bundles import bundle, teacher
from tests.rosters.test_staff_roster_import import applied, checked, snapshot

pytestmark = pytest.mark.django_db
EXPORTED = dt.date(2026, 9, 1)
TWO_SCHOOLS = {
    "org-1": Org(key="org-1", name="Meadow Lane School", urn="900001"),
    "org-2": Org(key="org-2", name="Hill Top Primary", urn="900002"),
}


def school(urn):
    with scopes_disabled():
        return School.objects.get(urn=urn)


def roles_of(email):
    with scopes_disabled():
        return list(
            Membership.objects.filter(user__email=email)
            .order_by("started_on", "pk")
            .values_list("school__urn", "role", "staff_group", "started_on", "finished_on")
        )


def test_a_oneroster_sync_leaves_the_staff_group_chosen_in_coachloop_as_it_is(trust, admin):
    applied(trust, admin, bundle([teacher(1)]))
    with scopes_disabled():
        Membership.objects.filter(user__email="teacher1@riverside.example.org").update(
            staff_group=StaffGroup.EARLY_CAREER
        )

    again = checked(trust, admin, bundle([teacher(1, group="")], on=dt.date(2026, 10, 1)))

    assert again.counts["unchanged"] == 1 and again.counts["changed"] == 0


def test_a_changes_only_export_ends_no_role_it_does_not_mention(trust, admin):
    both = teacher(1)
    both = both.__class__(
        **{
            **both.__dict__,
            "roles": (RoleAt(org="org-1", role="teacher"), RoleAt(org="org-2", role="teacher")),
        }
    )
    applied(trust, admin, bundle([both, teacher(2, org="org-2")], orgs=TWO_SCHOOLS))

    delta = bundle([teacher(1), teacher(2, org="org-2")], orgs=TWO_SCHOOLS, full=False)
    done = checked(trust, admin, delta)

    assert done.counts["changed"] == 0 and done.counts["leaving"] == 0


def test_someone_deleted_with_no_school_named_leaves_every_school_of_the_trust(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2, org="org-2")], orgs=TWO_SCHOOLS))
    gone = teacher(2, to_be_deleted=True)
    gone = gone.__class__(**{**gone.__dict__, "roles": ()})

    done = applied(trust, admin, bundle([gone], orgs=TWO_SCHOOLS, full=False))

    assert done.counts["left"] == 1
    assert roles_of("teacher2@riverside.example.org")[0][-1] == EXPORTED


def test_a_role_already_due_to_finish_is_left_to_finish_then(trust, admin):
    applied(trust, admin, bundle([teacher(1)], orgs=TWO_SCHOOLS))
    with scopes_disabled():
        Membership.objects.filter(user__email="teacher1@riverside.example.org").update(
            finished_on=dt.date(2026, 12, 31)
        )

    moved = applied(
        trust, admin, bundle([teacher(1, org="org-2")], orgs=TWO_SCHOOLS, on=dt.date(2026, 10, 1))
    )

    assert moved.status == RosterImport.Status.APPLIED
    assert roles_of("teacher1@riverside.example.org") == [
        ("900001", "teacher", "teacher", EXPORTED, dt.date(2026, 12, 31)),
        ("900002", "teacher", "teacher", dt.date(2026, 10, 1), None),
    ]


def test_someone_joining_after_the_exports_date_is_not_taken_to_have_left(trust, admin):
    applied(trust, admin, bundle([teacher(1)]))
    with scopes_disabled():
        joiner = MembershipFactory(
            school=school("900001"), role=Role.TEACHER, started_on=dt.date(2027, 1, 4)
        )

    done = checked(trust, admin, bundle([teacher(1)]))

    assert done.counts["leaving"] == 0
    with scopes_disabled():
        joiner.refresh_from_db()
    assert joiner.finished_on is None


def test_co_coaching_ends_as_a_pair_after_the_last_drop_in_of_either(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2)]))
    with scopes_disabled():
        one = User.objects.get(email="teacher1@riverside.example.org")
        two = User.objects.get(email="teacher2@riverside.example.org")
        start = dt.date(2026, 9, 2)
        first = RelationshipFactory(
            school=school("900001"), coach=two, teacher=one, kind="co_coaching", started_on=start
        )
        second = RelationshipFactory(
            school=school("900001"),
            coach=one,
            teacher=two,
            kind="co_coaching",
            started_on=start,
            peer=first,
        )
        first.peer = second
        first.save()
        DropInFactory(relationship=second, visited_on=dt.date(2026, 10, 20))

    done = applied(trust, admin, bundle([teacher(2)], on=dt.date(2026, 10, 1)))

    assert done.counts["coaching_ended"] == done.counts["coaching_ending"] == 2
    with scopes_disabled():
        ends = set(Relationship.objects.values_list("finished_on", flat=True))
    assert ends == {dt.date(2026, 10, 20)}


def test_an_account_that_is_no_trusts_is_not_taken_over_by_a_roster(trust, admin):
    with scopes_disabled():
        operator = UserFactory(email="teacher1@riverside.example.org", full_name="An Operator")

    roster_import = checked(trust, admin, bundle([teacher(1)]))

    assert roster_import.status == RosterImport.Status.PROBLEMS
    assert "An Operator" not in str(roster_import.plan) + str(roster_import.problems)
    operator.refresh_from_db()
    assert operator.full_name == "An Operator"


def test_two_people_given_the_same_trn_is_a_problem_not_a_failure(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2)]))

    clash = checked(trust, admin, bundle([teacher(1, trn="1234567"), teacher(2, trn="1234567")]))
    new_and_old = checked(
        trust, admin, bundle([teacher(1, trn="7654321"), teacher(3, trn="7654321"), teacher(2)])
    )

    assert [(p["row"], p["column"]) for p in clash.problems] == [(3, "TRN")]
    assert [(p["row"], p["column"]) for p in new_and_old.problems] == [(4, "TRN")]


def test_a_name_longer_than_coachloop_keeps_is_a_problem(trust, admin):
    roster_import = checked(trust, admin, bundle([teacher(1, name="N" * 151)]))

    assert [(p["row"], p["column"]) for p in roster_import.problems] == [(2, "name")]


def test_a_school_in_the_file_with_no_staff_rows_keeps_its_staff(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2, org="org-2")], orgs=TWO_SCHOOLS))

    done = checked(trust, admin, bundle([teacher(1)], orgs=TWO_SCHOOLS))

    assert done.counts["leaving"] == 0


def test_an_error_while_applying_leaves_the_import_not_applied_rather_than_stuck(
    trust, admin, monkeypatch
):
    roster_import = checked(trust, admin, bundle([teacher(1)]))
    before = snapshot(trust)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("coachloop.rosters.services.apply_plan", broken)
    services.staff_import_mark_applying(roster_import=roster_import)
    with pytest.raises(RuntimeError):
        services.staff_import_apply(actor=admin, roster_import=roster_import)

    with scopes_disabled():
        roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert roster_import.failure.startswith("Nothing was changed")
    assert snapshot(trust) == before


def test_the_worker_checks_and_applies_a_long_import_in_its_trusts_scope(trust, admin):
    roster_import = services.staff_import_start(
        actor=admin, trust=trust, bundle=bundle([teacher(1), teacher(2)]), file_name="x.zip"
    )

    tasks.staff_import_check_task.call(roster_import.pk)
    with scopes_disabled():
        roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.READY
    services.staff_import_mark_applying(roster_import=roster_import)
    tasks.staff_import_apply_task.call(roster_import.pk, admin.pk, False, "")

    with scopes_disabled():
        roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.APPLIED
    assert roster_import.records == {}
    assert len(roles_of("teacher1@riverside.example.org")) == 1


def test_a_failing_mail_server_does_not_undo_an_applied_import(
    trust, admin, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.rosters.test_staff_roster_edges.BrokenMail"
    with django_capture_on_commit_callbacks(execute=True):
        done = applied(
            trust, admin, bundle([teacher(1)]), invite_new_people=True, base_url="https://x"
        )

    assert done.status == RosterImport.Status.APPLIED
    assert mail.outbox == []


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_changes_to_identifiers_and_staff_groups_are_audited(trust, admin):
    applied(trust, admin, bundle([teacher(1)]))

    applied(
        trust,
        admin,
        bundle([teacher(1, trn="1234567", group=StaffGroup.EARLY_CAREER)], on=dt.date(2026, 10, 1)),
    )

    with scopes_disabled():
        verbs = list(
            AuditEvent.objects.filter(subject__email="teacher1@riverside.example.org")
            .order_by("pk")
            .values_list("verb", flat=True)
        )
        assert ExternalId.objects.get(kind="trn").value == "1234567"
    assert verbs[-3:] == ["identifier.set", "membership.finished", "membership.started"] or (
        "identifier.set" in verbs and verbs.count("membership.started") == 2
    )


def test_an_administrator_may_leave_oneroster_administrators_out(trust, admin):
    roster_import = services.staff_import_start(
        actor=admin,
        trust=trust,
        bundle=bundle([teacher(1), teacher(2, role="headteacher")]),
        file_name="x.zip",
        leaders=False,
    )
    services.staff_import_check(roster_import=roster_import)

    assert roster_import.counts["new"] == 1
    assert roster_import.counts["others_skipped"] == 1


def test_a_staff_spreadsheet_adds_and_changes_only_unless_it_says_it_lists_everyone(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2)]))
    one_row = bundle([teacher(1)])
    one_row.source_format = "staff-csv"

    adds_only = services.staff_import_start(
        actor=admin, trust=trust, bundle=one_row, file_name="staff.csv", full_list=False
    )
    everyone = services.staff_import_start(
        actor=admin, trust=trust, bundle=bundle([teacher(1)]), file_name="staff.csv"
    )

    assert services.staff_import_check(roster_import=adds_only).counts["leaving"] == 0
    assert services.staff_import_check(roster_import=everyone).counts["leaving"] == 1


def test_an_import_cannot_be_marked_for_applying_twice(trust, admin):
    roster_import = checked(trust, admin, bundle([teacher(1)]))
    stale_copy = RosterImport.objects.model(pk=roster_import.pk, status=roster_import.status)
    stale_copy.trust = trust
    services.staff_import_mark_applying(roster_import=roster_import)

    with pytest.raises(ValidationError):
        services.staff_import_mark_applying(roster_import=stale_copy)


def test_a_deleted_row_for_someone_who_is_not_the_trusts_is_no_problem(trust, admin):
    with scopes_disabled():
        UserFactory(email="teacher9@riverside.example.org")

    done = checked(trust, admin, bundle([teacher(1), teacher(9, to_be_deleted=True)], full=False))

    assert done.status == RosterImport.Status.READY
    assert done.counts["leaving"] == 0


def test_a_step_after_the_commit_that_fails_leaves_the_import_applied(
    trust, admin, monkeypatch, django_capture_on_commit_callbacks
):
    applied(trust, admin, bundle([teacher(1), teacher(2)]))

    def broken(person):
        raise RuntimeError("the session store went away")

    monkeypatch.setattr("coachloop.rosters.applying.end_sessions_if_no_role_left", broken)
    with django_capture_on_commit_callbacks(execute=True):
        done = applied(trust, admin, bundle([teacher(1)], on=dt.date(2026, 10, 1)))

    with scopes_disabled():
        done.refresh_from_db()
    assert done.status == RosterImport.Status.APPLIED
    assert roles_of("teacher2@riverside.example.org")[0][-1] == dt.date(2026, 10, 1)


def test_leaving_administrators_out_never_ends_a_deleted_administrators_other_roles(trust, admin):
    applied(trust, admin, bundle([teacher(1, org="org-2"), teacher(2)], orgs=TWO_SCHOOLS))
    head_elsewhere = teacher(1, role="headteacher", to_be_deleted=True)

    roster_import = services.staff_import_start(
        actor=admin,
        trust=trust,
        bundle=bundle([head_elsewhere], orgs=TWO_SCHOOLS, full=False),
        file_name="delta.zip",
        leaders=False,
    )
    done = services.staff_import_check(roster_import=roster_import)

    assert done.counts["leaving"] == 0


def test_a_changes_only_export_is_never_held_back_for_how_many_leave(trust, admin):
    applied(trust, admin, bundle([teacher(1), teacher(2), teacher(3)]))

    delta = checked(trust, admin, bundle([teacher(1), teacher(2, to_be_deleted=True)], full=False))

    assert delta.counts["leaving"] == 1
    assert services.many_leaving(delta) == 0


def test_a_school_whose_export_lists_no_administrators_keeps_its_headteacher(trust, admin):
    with scopes_disabled():
        head_two = MembershipFactory(school=school("900002"), role=Role.HEADTEACHER)
    export = [teacher(1), teacher(2, role="headteacher"), teacher(3, org="org-2")]

    done = checked(trust, admin, bundle(export, orgs=TWO_SCHOOLS))

    assert done.counts["leaving"] == 0
    with scopes_disabled():
        head_two.refresh_from_db()
    assert head_two.finished_on is None


def test_a_check_that_fails_leaves_the_import_not_applied_and_forgets_its_rows(
    trust, admin, monkeypatch
):
    roster_import = services.staff_import_start(
        actor=admin, trust=trust, bundle=bundle([teacher(1)]), file_name="x.zip"
    )

    def broken(**kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr("coachloop.rosters.services.staff_plan", broken)
    with pytest.raises(RuntimeError):
        services.staff_import_check(roster_import=roster_import)

    with scopes_disabled():
        roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert roster_import.records == {}
