"""Bringing a trust's schools in from the schools register: the plan, and applying it all at
once or not at all (``rosters.register_services``)."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, School
from coachloop.rosters.models import RosterImport
from coachloop.rosters.register import read_register
from coachloop.rosters.register_services import (
    RegisterRefused,
    register_plan,
    schools_import_apply,
)
from tests.factories import MembershipFactory, SchoolFactory, TrustFactory, UserFactory
from tests.rosters.register_files import (
    COMPANIES_HOUSE_NUMBER,
    GROUP_ID,
    GROUP_UID,
    establishment,
    establishments_file,
    links_file,
    weald_establishments,
)

pytestmark = pytest.mark.django_db

WEALD_URNS = ["140101", "140102", "140103", "140104", "140105", "140107"]


@pytest.fixture
def trust(unscoped):
    return TrustFactory(name="Weald and Downs Learning Trust", slug="weald")


def extract_of(establishments=None, links=None, *, with_links=True):
    upload = io.BytesIO(establishments_file(establishments))
    upload.name = "edubasealldata20250314.csv"
    linked = None
    if with_links:
        linked = io.BytesIO(links_file(links))
        linked.name = "alllinksdata20250314.csv"
    return read_register(upload, linked, group_uid=GROUP_UID)


def apply(trust, extract=None, actor=None):
    return schools_import_apply(actor=actor, trust=trust, extract=extract or extract_of())


def everything_written():
    with scopes_disabled():
        return (
            list(School.objects.values_list("pk", "name", "phase", "closed_on").order_by("pk")),
            AuditEvent.objects.count(),
            RosterImport.objects.count(),
        )


def schools_of(trust):
    with scopes_disabled():
        return {school.urn: school for school in School.objects.filter(trust=trust)}


def verbs():
    with scopes_disabled():
        return sorted(AuditEvent.objects.values_list("verb", flat=True))


def test_a_register_extract_creates_the_trusts_schools_by_urn_and_rerunning_it_is_a_no_op(
    trust,
):
    result = apply(trust)
    schools = schools_of(trust)
    assert sorted(schools) == WEALD_URNS
    bede = schools["140101"]
    assert (bede.name, bede.slug, bede.phase) == (
        "St Bede’s Catholic Primary Academy",
        "st-bedes-catholic-primary-academy",
        School.Phase.PRIMARY,
    )
    assert (bede.establishment_type, bede.local_authority, bede.closed_on) == (
        "Academy converter",
        "Kent",
        None,
    )
    assert schools["140103"].phase == School.Phase.SPECIAL
    assert schools["140107"].phase == School.Phase.SECONDARY
    assert result.counts == {
        "new": 6,
        "changed": 0,
        "closed": 0,
        "reopened": 0,
        "unchanged": 0,
        "trust_details": 1,
        "written": 7,
    }
    assert verbs() == ["school.added"] * 6 + ["schools.imported"]
    written = everything_written()

    again = apply(trust, extract_of())

    assert everything_written() == written
    assert not again.changed_anything and again.roster_import is None
    assert again.counts["unchanged"] == 6


def test_applying_records_the_import_in_the_trusts_history_and_its_register_details(trust):
    administrator = UserFactory()
    result = apply(trust, actor=administrator)
    with scopes_disabled():
        record = RosterImport.objects.get()
        event = AuditEvent.objects.get(verb="schools.imported")
    assert result.roster_import == record
    assert (record.trust, record.kind, record.status, record.source_format) == (
        trust,
        RosterImport.Kind.SCHOOLS,
        RosterImport.Status.APPLIED,
        "gias",
    )
    assert record.file_name == "edubasealldata20250314.csv, alllinksdata20250314.csv"
    assert record.exported_on == dt.date(2025, 3, 14)
    assert (record.uploaded_by, record.applied_by) == (administrator, administrator)
    assert record.counts["new"] == 6 and record.plan["counts"] == record.counts
    assert (event.actor, event.target_id, event.trust) == (administrator, str(trust.pk), trust)
    assert event.summary == (
        "From the schools register: 6 new, 0 changed, 0 closed, 0 reopened, 0 unchanged. "
        "The trust's register details were updated."
    )
    trust.refresh_from_db()
    assert (trust.register_group_uid, trust.register_group_id) == (GROUP_UID, GROUP_ID)
    assert trust.companies_house_number == COMPANIES_HOUSE_NUMBER


def test_the_plan_says_what_would_change_and_writes_nothing(trust):
    with scopes_disabled():
        SchoolFactory(trust=trust, urn="140102", name="Weald High School", slug="weald-high")
    plan = register_plan(trust=trust, extract=extract_of())
    assert [entry["urn"] for entry in plan["new"]] == [
        "140101",
        "140103",
        "140104",
        "140105",
        "140107",
    ]
    assert plan["changed"] == [
        {
            "urn": "140102",
            "name": "Weald High School",
            "slug": "weald-high",
            "before": {
                "name": "Weald High School",
                "establishment_type": "",
                "local_authority": "",
            },
            "after": {
                "name": "Weald Secondary Academy",
                "establishment_type": "Academy sponsor led",
                "local_authority": "Kent",
            },
        }
    ]
    assert plan["closed_not_added"] == [
        {"urn": "140106", "name": "Old Mill Primary Academy", "closed_on": "2023-08-31"}
    ]
    assert plan["trust"]["after"] == {
        "register_group_uid": GROUP_UID,
        "register_group_id": GROUP_ID,
        "companies_house_number": COMPANIES_HOUSE_NUMBER,
    }
    assert plan["problems"] == []
    json.dumps(plan)  # kept on the import as it is
    assert len(schools_of(trust)) == 1
    assert verbs() == []


def test_a_new_name_in_the_register_updates_the_school_and_keeps_its_short_name(trust):
    apply(trust)
    rows = weald_establishments()
    rows[1]["EstablishmentName"] = "Weald Academy"
    result = apply(trust, extract_of(rows))
    school = schools_of(trust)["140102"]
    assert (school.name, school.slug) == ("Weald Academy", "weald-secondary-academy")
    assert result.counts["changed"] == 1 and result.counts["unchanged"] == 5
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="school.changed")
    assert event.target_id == str(school.pk)
    assert event.summary == (
        "Changed from the schools register: name (was “Weald Secondary Academy”)."
    )


def test_a_closure_marks_the_school_closed_and_keeps_it_and_its_people(trust):
    with scopes_disabled():
        old_mill = SchoolFactory(
            trust=trust, urn="140106", name="Old Mill Primary Academy", slug="old-mill"
        )
        membership = MembershipFactory(school=old_mill, trust=trust)
    result = apply(trust)
    old_mill.refresh_from_db()
    assert old_mill.closed_on == dt.date(2023, 8, 31)
    assert result.counts["closed"] == 1
    assert result.plan["closing"][0]["after"] == {
        "phase": "primary",
        "establishment_type": "Academy converter",
        "local_authority": "Kent",
        "closed_on": "2023-08-31",
    }
    with scopes_disabled():
        assert Membership.objects.get(pk=membership.pk).school == old_mill
        event = AuditEvent.objects.get(verb="school.closed")
    assert event.summary == "Closed on 31 August 2023, as the schools register says."
    again = apply(trust)
    assert not again.changed_anything


def test_a_closed_school_with_no_close_date_closes_on_the_export_date_and_keeps_it(trust):
    with scopes_disabled():
        SchoolFactory(trust=trust, urn="140106", name="Old Mill Primary Academy", slug="old-mill")
    rows = weald_establishments()
    rows[5]["CloseDate"] = ""
    apply(trust, extract_of(rows))
    assert schools_of(trust)["140106"].closed_on == dt.date(2025, 3, 14)
    later = io.BytesIO(establishments_file(rows))
    later.name = "edubasealldata20250401.csv"
    result = apply(trust, read_register(later, group_uid=GROUP_UID))
    assert schools_of(trust)["140106"].closed_on == dt.date(2025, 3, 14)
    assert result.counts["closed"] == 0 and result.counts["changed"] == 0


def test_a_school_the_register_shows_open_again_is_reopened_and_listed(trust):
    apply(trust)
    with scopes_disabled():
        School.objects.filter(urn="140104").update(closed_on=dt.date(2024, 7, 31))
    result = apply(trust)
    assert schools_of(trust)["140104"].closed_on is None
    assert result.plan["reopened"] == [
        {
            "urn": "140104",
            "name": "Brontë Primary Academy",
            "slug": "bronte-primary-academy",
            "before": {"closed_on": "2024-07-31"},
            "after": {"closed_on": None},
        }
    ]
    assert result.counts["reopened"] == 1
    assert verbs().count("school.reopened") == 1


def test_a_broken_file_applies_nothing_and_lists_each_problem_with_row_and_column(trust):
    rows = weald_establishments()
    rows[0]["URN"] = "12345"
    rows[1]["URN"] = "1234567"
    rows[2]["URN"] = "ABC123"
    rows[3]["OpenDate"] = "32-01-2015"
    with pytest.raises(RegisterRefused) as refused:
        apply(trust, extract_of(rows))
    assert [(p.file, p.row, p.column) for p in refused.value.problems] == [
        ("edubasealldata20250314.csv", 2, "URN"),
        ("edubasealldata20250314.csv", 3, "URN"),
        ("edubasealldata20250314.csv", 4, "URN"),
        ("edubasealldata20250314.csv", 5, "OpenDate"),
    ]
    assert refused.value.messages[0] == (
        "edubasealldata20250314.csv, row 2, column “URN”: “12345” is not a URN: a URN is 6 "
        "digits, from 100000 to 999999."
    )
    assert everything_written() == ([], 0, 0)


def test_a_file_missing_a_column_applies_nothing(trust):
    upload = io.BytesIO(establishments_file(drop=("PhaseOfEducation (name)",)))
    upload.name = "edubasealldata20250314.csv"
    with pytest.raises(RegisterRefused) as refused:
        apply(trust, read_register(upload, group_uid=GROUP_UID))
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "PhaseOfEducation (name)")]
    assert everything_written() == ([], 0, 0)


def test_a_urn_held_by_another_trust_is_refused_without_naming_that_trust(trust):
    with scopes_disabled():
        other = TrustFactory(name="Harbour Schools Trust")
        SchoolFactory(trust=other, urn="140103", name="Downs View School", slug="downs-view")
    before = everything_written()
    with pytest.raises(RegisterRefused) as refused:
        apply(trust)
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (4, "URN")
    assert problem.message == (
        "URN 140103 (Downs View Academy) belongs to a school in another trust in Coachloop. "
        "If the school has joined your trust, ask Coachloop's operators to move it."
    )
    assert "Harbour" not in problem.message
    assert everything_written() == before


def test_a_school_entered_by_hand_under_the_same_name_is_a_problem_not_a_second_school(trust):
    with scopes_disabled():
        SchoolFactory(trust=trust, urn="", name="Weald Secondary Academy", slug="weald")
    with pytest.raises(RegisterRefused) as refused:
        apply(trust)
    assert [p.message for p in refused.value.problems] == [
        "Coachloop already has a school called “Weald Secondary Academy”, with no URN. Give it "
        "its URN, 140102, in the admin site, so that the import updates it instead of adding it "
        "again."
    ]


def test_short_names_are_made_unique_in_the_trust(trust):
    with scopes_disabled():
        SchoolFactory(trust=trust, urn="", name="Oakfield", slug="oakfield-academy")
        SchoolFactory(trust=trust, urn="", name="Oakfield 2", slug="oakfield-academy-2")
    apply(trust)
    assert schools_of(trust)["140105"].slug == "oakfield-academy-3"


def test_schools_the_register_no_longer_lists_for_the_trust_are_left_as_they_are(trust):
    with scopes_disabled():
        moved = SchoolFactory(trust=trust, urn="141999", name="Hilltop Academy", slug="hilltop")
        SchoolFactory(trust=trust, urn="", name="Trust Training Centre", slug="centre")
    result = apply(trust)
    assert result.plan["not_listed"] == [
        {"urn": "141999", "name": "Hilltop Academy", "slug": "hilltop"}
    ]
    moved.refresh_from_db()
    assert moved.closed_on is None and moved.name == "Hilltop Academy"


def test_a_trust_registered_under_another_group_uid_is_refused(trust):
    trust.register_group_uid = "4124"
    trust.save()
    with pytest.raises(RegisterRefused) as refused:
        apply(trust)
    assert [p.message for p in refused.value.problems] == [
        "This trust's group UID in the register is 4124, not 16724. Import the schools of "
        "group 4124."
    ]


def test_the_trusts_details_are_kept_when_the_links_file_is_not_given(trust):
    trust.companies_house_number = "01234567"
    trust.save()
    apply(trust, extract_of(with_links=False))
    trust.refresh_from_db()
    assert (trust.register_group_uid, trust.register_group_id) == (GROUP_UID, "")
    assert trust.companies_house_number == "01234567"
    assert "140107" not in schools_of(trust)


def test_an_import_made_at_upload_is_marked_applied_even_when_nothing_changes(trust):
    apply(trust)
    with scopes_disabled():
        waiting = RosterImport.objects.create(
            trust=trust,
            kind=RosterImport.Kind.SCHOOLS,
            status=RosterImport.Status.READY,
            source_format="gias",
            file_name="edubasealldata20250314.csv",
            exported_on=dt.date(2025, 3, 14),
        )
    events = verbs()
    result = schools_import_apply(
        actor=None, trust=trust, extract=extract_of(), roster_import=waiting
    )
    waiting.refresh_from_db()
    assert result.roster_import == waiting
    assert waiting.status == RosterImport.Status.APPLIED
    assert waiting.counts["unchanged"] == 6
    assert verbs() == events
    with pytest.raises(ValidationError, match="not a schools import waiting to be applied"):
        schools_import_apply(actor=None, trust=trust, extract=extract_of(), roster_import=waiting)


def test_only_the_trusts_own_schools_change(trust):
    with scopes_disabled():
        other = TrustFactory()
        theirs = SchoolFactory(trust=other, urn="150001", name="Harbour", slug="harbour")
    result = apply(trust)
    assert result.plan["not_listed"] == []
    theirs.refresh_from_db()
    assert theirs.name == "Harbour" and theirs.trust == other
    assert "150001" not in schools_of(trust)


def test_a_school_opened_later_in_the_year_is_added_as_open(trust):
    rows = [establishment("140150", "Riverbank Free School", status="Proposed to open")]
    apply(trust, extract_of(rows, links=[]))
    assert schools_of(trust)["140150"].closed_on is None


def test_a_second_click_on_apply_finds_the_import_applied_and_changes_nothing(trust):
    extract = extract_of()
    first = schools_import_apply(actor=None, trust=trust, extract=extract)
    stale = RosterImport.objects.get(pk=first.roster_import.pk)
    stale.status = RosterImport.Status.READY  # as a page loaded before the first click saw it

    with pytest.raises(ValidationError):
        schools_import_apply(actor=None, trust=trust, extract=extract, roster_import=stale)

    kept = RosterImport.objects.get(pk=first.roster_import.pk)
    assert kept.counts == first.counts
