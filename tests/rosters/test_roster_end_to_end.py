"""A trust brings its staff in from real files, through the page and through the command
a scheduled sync runs: OneRoster exports with students in them, broken exports, staff lists,
and a later export in which a teacher has gone."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from coachloop.coaching.models import DropIn, Relationship
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import ExternalId, Membership, Role, School, User
from coachloop.rosters.models import RosterImport
from coachloop.rosters.readers import read_bundle
from tests.factories import DropInFactory, MembershipFactory, RelationshipFactory, SchoolFactory
from tests.rosters.roster_files import (
    STUDENT_DOMAIN,
    STUDENT_MARK,
    oneroster_bundle,
    oneroster_files,
    person,
    staff_csv_bytes,
    staff_row,
    staff_xlsx_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(world):
    with scopes_disabled():
        return [
            SchoolFactory(trust=world.trust, urn="137042", name="Riverside Primary", slug="rp"),
            SchoolFactory(trust=world.trust, urn="141234", name="Castle Hill Academy", slug="ch"),
        ]


def upload(client, name, content, **data):
    file = SimpleUploadedFile(name, content)
    data = {"leaders": "on", **data}
    response = client.post(reverse("rosters:staff_upload"), {"roster": file, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        return RosterImport.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def apply(client, roster_import):
    client.post(reverse("rosters:import_apply", args=[roster_import.pk]))
    with scopes_disabled():
        roster_import.refresh_from_db()
    return roster_import


def everything_stored():
    """Every row the import could have written, as text, to look for any trace of a pupil."""
    with scopes_disabled():
        rows = [
            list(User.objects.values_list("email", "full_name")),
            list(RosterImport.objects.values_list("records", "plan", "problems", "counts")),
            list(AuditEvent.objects.values_list("summary", flat=True)),
            list(ExternalId.objects.values_list("value", flat=True)),
        ]
    return json.dumps(rows, default=str)


TEACHERS = [
    "Ann Baker",
    "Raj Patel",
    person("Siân Evans", email="sian.evans@staff.example.org", orgs=("org-castle",)),
]


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_a_oneroster_export_brings_in_its_staff_and_never_its_students(
    admin_client, schools, version
):
    files = oneroster_files(version=version, teachers=TEACHERS, admins=["Jo Head"], students=40)
    roster_import = upload(admin_client, "export.zip", zip_bytes(files))

    page = admin_client.get(reverse("rosters:import", args=[roster_import.pk])).content.decode()
    assert "40 students and 0 others (never stored)" in page
    assert (
        "skipped without being read"
        in admin_client.get(reverse("rosters:staff_upload")).content.decode()
    )
    applied = apply(admin_client, roster_import)

    assert applied.status == RosterImport.Status.APPLIED
    with scopes_disabled():
        roles = dict(
            Membership.objects.filter(user__email__endswith="@staff.example.org").values_list(
                "user__full_name", "role"
            )
        )
        sian = Membership.objects.get(user__full_name="Siân Evans")
    assert roles == {
        "Ann Baker": Role.TEACHER,
        "Raj Patel": Role.TEACHER,
        "Siân Evans": Role.TEACHER,
        "Jo Head": Role.HEADTEACHER,
    }
    assert sian.school.urn == "141234"
    stored = everything_stored()
    assert STUDENT_MARK not in stored and STUDENT_DOMAIN not in stored


def test_a_second_import_of_the_same_export_changes_nothing(admin_client, schools):
    content = zip_bytes(oneroster_files(teachers=TEACHERS, admins=["Jo Head"], students=10))
    apply(admin_client, upload(admin_client, "export.zip", content))
    with scopes_disabled():
        before = (
            list(User.objects.order_by("pk").values()),
            list(Membership.objects.order_by("pk").values()),
            list(ExternalId.objects.order_by("pk").values()),
            AuditEvent.objects.exclude(verb__startswith="roster.").count(),
        )

    again = apply(admin_client, upload(admin_client, "export.zip", content))

    assert again.counts["unchanged"] == 4
    assert again.counts["added"] == again.counts["changed"] == again.counts["left"] == 0
    with scopes_disabled():
        after = (
            list(User.objects.order_by("pk").values()),
            list(Membership.objects.order_by("pk").values()),
            list(ExternalId.objects.order_by("pk").values()),
            AuditEvent.objects.exclude(verb__startswith="roster.").count(),
        )
    assert after == before


BROKEN = {
    "missing column": ({"drop_columns": {"users.csv": ["email"]}}, ("users.csv", None, "email")),
    "unknown org": (
        {"teachers": [person("Ann Baker", orgs=("org-nowhere",))]},
        ("users.csv", 2, "orgSourcedIds"),
    ),
    "duplicate sourcedId": (
        {"teachers": [person("Ann Baker", id="u1"), person("Raj Patel", id="u1")]},
        ("users.csv", 3, "sourcedId"),
    ),
    "bad email": (
        {"teachers": [person("Ann Baker", email="ann.baker-at-staff.example.org")]},
        ("users.csv", 2, "email"),
    ),
    "bad date": (
        {"teachers": [person("Ann Baker", begin="31/02/2026")], "enrollments": True},
        ("enrollments.csv", 2, "beginDate"),
    ),
    "wrong encoding": (
        {
            "append": {
                "users.csv": "u9,,,,org-riverside,teacher,,,Zoë,Lamb,,,zl@x.org,,,,,\n".encode(
                    "cp1252"
                )
            }
        },
        ("users.csv", 8, "givenName"),
    ),
}


@pytest.mark.parametrize("fault", list(BROKEN))
def test_a_broken_export_applies_nothing_and_says_where_each_problem_is(
    admin_client, schools, fault
):
    options, (file, row, column) = BROKEN[fault]
    options = {"teachers": ["Ann Baker"], "students": 5, **options}
    roster_import = upload(admin_client, "export.zip", zip_bytes(oneroster_files(**options)))

    page = admin_client.get(reverse("rosters:import", args=[roster_import.pk])).content.decode()
    apply(admin_client, roster_import)

    assert roster_import.status == RosterImport.Status.PROBLEMS
    where = [(p["file"], p["row"], p["column"]) for p in roster_import.problems]
    assert (file, row, column) in where, where
    assert "Apply the import" not in page
    with scopes_disabled():
        assert not User.objects.filter(email__endswith="@staff.example.org").exists()


def test_every_problem_of_a_broken_export_is_listed_at_once(admin_client, schools):
    options = {
        "teachers": [
            person("Ann Baker", id="u1", email="ann-at-example"),
            person("Raj Patel", id="u1", orgs=("org-nowhere",)),
            person("Jo Lamb", begin="2026-02-30"),
        ],
        "enrollments": True,
        "append": {
            "users.csv": "u9,,,,org-riverside,teacher,,,Zoë,L,,,z@x.org,,,,,\n".encode("cp1252")
        },
    }
    roster_import = upload(admin_client, "export.zip", zip_bytes(oneroster_files(**options)))

    where = {(p["file"], p["row"], p["column"]) for p in roster_import.problems}
    assert {
        ("users.csv", 2, "email"),
        ("users.csv", 3, "sourcedId"),
        ("users.csv", 3, "orgSourcedIds"),
        ("users.csv", 5, "givenName"),
    } <= where, where
    assert any(p["column"] == "beginDate" for p in roster_import.problems), where


def test_a_staff_list_in_excel_brings_in_coaches_and_leads_too(admin_client, schools):
    rows = [
        staff_row("Ann Baker", role="Coach"),
        staff_row("Ann Baker", role="Teacher", group="Early-career teachers"),
        staff_row("Raj Patel", role="Coaching lead", urn="141234", start="2026-09-01"),
    ]
    roster_import = upload(admin_client, "staff.xlsx", staff_xlsx_bytes(rows))
    applied = apply(admin_client, roster_import)

    assert applied.status == RosterImport.Status.APPLIED
    with scopes_disabled():
        ann = list(
            Membership.objects.filter(user__full_name="Ann Baker")
            .order_by("role")
            .values_list("role", "staff_group")
        )
        raj = Membership.objects.get(user__full_name="Raj Patel")
    assert ann == [("coach", "teacher"), ("teacher", "early_career")]
    assert (raj.role, raj.started_on, raj.school.urn) == (
        Role.COACHING_LEAD,
        dt.date(2026, 9, 1),
        "141234",
    )


def test_the_staff_list_template_downloads_and_reads_back_without_a_problem(admin_client):
    for route in ("rosters:template_csv", "rosters:template_xlsx"):
        response = admin_client.get(reverse(route))
        assert response.status_code == 200
        name = response["Content-Disposition"].split('"')[1]
        bundle = read_bundle(io.BytesIO(response.content), file_name=name)
        assert bundle.problems == []
        assert len(bundle.staff) == 1


def test_a_staff_csv_with_a_bad_row_says_which_row_and_column(admin_client, schools):
    rows = [staff_row("Ann Baker"), staff_row("Raj Patel", urn="12345")]
    roster_import = upload(admin_client, "staff.csv", staff_csv_bytes(rows))

    where = [(p["row"], p["column"]) for p in roster_import.problems]
    assert (3, "School URN") in where


def test_an_upload_that_is_not_a_roster_is_refused_with_a_clear_message(admin_client):
    file = SimpleUploadedFile("notes.txt", b"hello")
    response = admin_client.post(reverse("rosters:staff_upload"), {"roster": file})

    assert response.status_code == 200
    assert "Choose a .zip, .csv or .xlsx file." in response.content.decode()
    assert not RosterImport.objects.exists()


# -- the command, for scheduled syncs ------------------------------------------------------


def folder(tmp_path, name):
    path = tmp_path / name
    path.mkdir()
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_later_export_without_a_teacher_ends_their_roles_and_coaching_keeping_history(
    tmp_path, world, schools
):
    first = oneroster_bundle(folder(tmp_path, "1"), zip=False, teachers=TEACHERS, students=5)
    run(str(first), "--trust", world.trust.slug, "--exported-on", "2026-01-01")
    with scopes_disabled():
        raj = User.objects.get(full_name="Raj Patel")
        school = School.objects.get(urn="137042")
        coach = MembershipFactory(school=school, role=Role.COACH).user
        relationship = RelationshipFactory(
            school=school, coach=coach, teacher=raj, started_on=dt.date(2026, 1, 5)
        )
        DropInFactory(relationship=relationship, visited_on=dt.date(2026, 2, 2))

    later = oneroster_bundle(
        folder(tmp_path, "2"), zip=False, teachers=["Ann Baker", TEACHERS[2]], students=5
    )
    out, _ = run(
        str(later),
        "--trust",
        world.trust.slug,
        "--exported-on",
        "2026-03-01",
        "--most-leaving",
        "50",
    )

    assert "leaving 1" in out and "1 coaching ended" in out
    with scopes_disabled():
        role = Membership.objects.get(user=raj)
        relationship.refresh_from_db()
        assert role.finished_on == dt.date(2026, 3, 1)
        assert relationship.finished_on == dt.date(2026, 3, 1)
        assert DropIn.objects.filter(relationship=relationship).exists()
        assert Relationship.objects.filter(teacher=raj).count() == 1


def test_the_command_refuses_a_sync_in_which_too_many_would_leave(tmp_path, world, schools):
    run(
        str(oneroster_bundle(folder(tmp_path, "1"), teachers=TEACHERS)), "--trust", world.trust.slug
    )

    with pytest.raises(CommandError, match="more than 10%"):
        run(
            str(oneroster_bundle(folder(tmp_path, "2"), teachers=["Ann Baker"])),
            "--trust",
            world.trust.slug,
        )

    with scopes_disabled():
        assert (
            Membership.objects.filter(
                user__email__endswith="@staff.example.org", finished_on__isnull=True
            ).count()
            == 3
        )


def test_the_command_lists_every_problem_and_changes_nothing(tmp_path, world, schools):
    broken = oneroster_bundle(tmp_path, teachers=[person("Ann Baker", email="nope")])

    with pytest.raises(CommandError, match="Nothing was changed: the file has 1 problems"):
        _, err = run(str(broken), "--trust", world.trust.slug)

    with scopes_disabled():
        assert not User.objects.filter(full_name="Ann Baker").exists()


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(tmp_path, world, schools):
    out, _ = run(
        str(oneroster_bundle(tmp_path, teachers=TEACHERS)), "--trust", world.trust.slug, "--dry-run"
    )

    assert "New 3, changed 0, leaving 0" in out and "Dry run: nothing was changed." in out
    with scopes_disabled():
        assert not User.objects.filter(email__endswith="@staff.example.org").exists()


def test_the_command_takes_the_pages_two_choices(tmp_path, world, schools):
    listed = staff_csv_bytes([staff_row("Ann Baker"), staff_row("Raj Patel")])
    (tmp_path / "staff.csv").write_bytes(listed)
    run(str(tmp_path / "staff.csv"), "--trust", world.trust.slug)
    (tmp_path / "later.csv").write_bytes(staff_csv_bytes([staff_row("Ann Baker")]))

    out, _ = run(str(tmp_path / "later.csv"), "--trust", world.trust.slug, "--dry-run")
    assert "leaving 0" in out
    out, _ = run(
        str(tmp_path / "later.csv"), "--trust", world.trust.slug, "--dry-run", "--full-list"
    )
    assert "leaving 1" in out

    export = oneroster_bundle(folder(tmp_path, "or"), teachers=["Jo Lamb"], admins=["Jo Head"])
    out, _ = run(str(export), "--trust", world.trust.slug, "--dry-run", "--no-leaders")
    assert "New 1," in out and "1 others skipped unread" in out
