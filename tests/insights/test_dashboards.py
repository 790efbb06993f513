import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.insights.rollups import rollups_update
from coachloop.people.models import Role
from coachloop.rollout.models import CoverageTarget
from tests.factories import MembershipFactory, RelationshipFactory, UserFactory
from tests.insights.downloaded import csv_cells
from tests.insights.helpers import coached_school
from tests.world import SECRET_NOTE

pytestmark = pytest.mark.django_db


def _csv_rows(response):
    return csv_cells(response)


def _school_page(client, world, persona="headteacher"):
    client.force_login(world.people[persona])
    return client.get(reverse("insights:school", args=[world.own.school.slug]))


def test_a_head_sees_their_schools_figures_but_no_names_or_notes(client, world):
    today = timezone.localdate()
    coached_school(world.own.school, today=today, framework_step=world.own.framework_step)
    rollups_update(trust=world.trust, today=today)
    response = _school_page(client, world)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Teachers with a coach, week by week" in page
    assert SECRET_NOTE not in page
    assert world.own.teacher.full_name not in page
    assert world.own.coach.full_name not in page


def test_coverage_is_a_fact_about_the_school_so_the_head_sees_it_exactly(client, world):
    today = timezone.localdate()
    # 8 + 1 coached teachers and 3 without a coach
    coached_school(
        world.own.school,
        today=today,
        coached=8,
        uncoached=3,
        framework_step=world.own.framework_step,
    )
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["headteacher"])
    response = client.get(reverse("insights:school_csv", args=[world.own.school.slug, "coverage"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = _csv_rows(response)
    latest = dict(zip(header, rows[-1], strict=True))
    assert latest["Teachers"] == "12"
    assert latest["With a coach"] == "9"
    assert latest["Share with a coach"] == "75"  # a number a spreadsheet can sum, not "75%"
    assert latest["Trained coaches"] == "0"


def _uncoached_relationships(school, *, count, today):
    """``count`` teachers coached for ten weeks and never seen: due a drop-in, never kept."""
    with scopes_disabled():
        coach = MembershipFactory(school=school, role=Role.COACH, user=UserFactory()).user
        for _ in range(count):
            teacher = MembershipFactory(school=school, role=Role.TEACHER, user=UserFactory()).user
            RelationshipFactory(
                school=school,
                coach=coach,
                teacher=teacher,
                started_on=today - dt.timedelta(days=70),
            )


def test_teachers_seen_within_their_rhythm_are_counted_exactly(client, world):
    today = timezone.localdate()
    coached_school(
        world.own.school,
        today=today,
        coached=8,
        uncoached=0,
        framework_step=world.own.framework_step,
    )
    # Two more coached teachers, never seen: 2 missed however small that is.
    _uncoached_relationships(world.own.school, count=2, today=today)
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["headteacher"])
    url = reverse("insights:school_csv", args=[world.own.school.slug, "rhythm"])
    header, *rows = _csv_rows(client.get(url))
    latest = dict(zip(header, rows[-1], strict=True))
    due, seen = int(latest["Coaching pairs due a drop-in"]), int(latest["Seen on rhythm"])
    assert due - seen == 2  # the world's own pair is due and seen too
    assert latest["Share seen on rhythm"] == f"{100 * seen / due:.0f}"  # a number, not "82%"


def test_what_happens_in_coaching_is_hidden_when_it_is_about_fewer_than_five_teachers(
    client, world
):
    """Six steps embedded, all by one teacher: the count is five or more, but it describes one
    person, so it is hidden, like the median it comes with."""
    from coachloop.coaching.models import ActionStep
    from tests.factories import ActionStepFactory

    today = timezone.localdate()
    with scopes_disabled():
        for days in range(6):
            ActionStepFactory(
                relationship=world.own.relationship,
                framework_step=world.own.framework_step,
                set_on=today - dt.timedelta(days=30 + days),
                closed_on=today - dt.timedelta(days=3),
                status=ActionStep.Status.EMBEDDED,
                outcome=ActionStep.Outcome.EMBEDDED,
            )
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["headteacher"])
    page = _school_page(client, world).content.decode()
    assert "Steps embedded this school year: hidden." in page
    header, *rows = _csv_rows(
        client.get(reverse("insights:school_csv", args=[world.own.school.slug, "steps"]))
    )
    assert rows and all(row[2] == row[3] == "hidden" for row in rows)
    client.force_login(world.people["trust_lead"])
    header, *rows = _csv_rows(client.get(reverse("insights:trust_csv", args=["schools"])))
    own = dict(zip(header, next(r for r in rows if r[0] == world.own.school.name), strict=True))
    assert own["Steps embedded this year"] == "hidden"


def test_the_steps_csv_hides_steps_set_fewer_than_five_times(client, world):
    today = timezone.localdate()
    coached_school(
        world.own.school, today=today, coached=1, framework_step=world.own.framework_step
    )
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["trust_lead"])
    response = client.get(reverse("insights:school_csv", args=[world.own.school.slug, "steps"]))
    header, *rows = _csv_rows(response)
    assert header == ["Strand", "Step", "Times set", "Times embedded"]
    assert rows, "the step set in the school is listed"
    assert all(row[2] == "hidden" for row in rows)


def test_an_unknown_table_is_not_found(client, world):
    client.force_login(world.people["headteacher"])
    url = reverse("insights:school_csv", args=[world.own.school.slug, "everything"])
    assert client.get(url).status_code == 404


def test_a_csv_of_a_school_you_do_not_lead_is_not_found(client, world):
    client.force_login(world.people["headteacher"])
    for school in (world.other_school.school, world.other_trust_records.school):
        url = reverse("insights:school_csv", args=[school.slug, "coverage"])
        assert client.get(url).status_code == 404


def test_the_trust_page_puts_schools_side_by_side_and_flags_coverage_behind_target(client, world):
    today = timezone.localdate()
    coached_school(world.own.school, today=today, framework_step=world.own.framework_step)
    coached_school(
        world.other_school.school,
        today=today,
        coached=5,
        uncoached=20,
        framework_step=world.own.framework_step,
    )
    with scopes_disabled():
        target = CoverageTarget.objects.create(
            trust=world.trust,
            school=world.other_school.school,
            trained_coaches=4,
            coached_percent=90,
            due_by=today + dt.timedelta(days=7),
            set_by=world.people["trust_lead"],
        )
        CoverageTarget.objects.filter(pk=target.pk).update(
            created_at=timezone.now() - dt.timedelta(days=300)
        )
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["trust_lead"])
    response = client.get(reverse("insights:trust"))
    assert response.status_code == 200
    support = _csv_rows(client.get(reverse("insights:trust_csv", args=["support"])))
    assert [row[0] for row in support[1:]] == [world.other_school.school.name]
    assert "Coverage behind" in support[1][1]
    schools = _csv_rows(client.get(reverse("insights:trust_csv", args=["schools"])))
    assert {row[0] for row in schools[1:]} == {
        world.own.school.name,
        world.other_school.school.name,
    }
    assert SECRET_NOTE not in response.content.decode()


def test_the_trust_page_shows_nothing_of_another_trust(client, world):
    today = timezone.localdate()
    coached_school(
        world.other_trust_records.school,
        today=today,
        framework_step=world.other_trust_records.framework_step,
    )
    rollups_update(trust=world.other_trust, today=today)
    client.force_login(world.people["trust_lead"])
    rows = _csv_rows(client.get(reverse("insights:trust_csv", args=["schools"])))
    assert world.other_trust_records.school.name not in {row[0] for row in rows}


def test_a_school_with_three_teachers_due_shows_its_rhythm_but_no_median_on_the_trust_page(
    client, world
):
    today = timezone.localdate()
    coached_school(
        world.other_school.school,
        today=today,
        coached=3,
        uncoached=0,
        framework_step=world.own.framework_step,
    )
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["trust_lead"])
    header, *rows = _csv_rows(client.get(reverse("insights:trust_csv", args=["schools"])))
    row = dict(
        zip(header, next(r for r in rows if r[0] == world.other_school.school.name), strict=True)
    )
    assert row["Seen on rhythm, last 4 weeks"].isdigit()
    assert row["Median days to embed"] in {"hidden", ""}


def test_a_median_time_to_embed_from_one_teachers_steps_is_hidden(client, world):
    from coachloop.coaching.models import ActionStep
    from tests.factories import ActionStepFactory

    today = timezone.localdate()
    with scopes_disabled():
        for days in range(6):
            ActionStepFactory(
                relationship=world.own.relationship,
                framework_step=world.own.framework_step,
                set_on=today - dt.timedelta(days=30 + days),
                closed_on=today - dt.timedelta(days=3),
                status=ActionStep.Status.EMBEDDED,
                outcome=ActionStep.Outcome.EMBEDDED,
            )
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["headteacher"])
    page = client.get(reverse("insights:school", args=[world.own.school.slug])).content.decode()
    assert "Median time to embed a step, in days: hidden." in page


def test_someone_coached_without_a_teacher_role_here_is_not_counted_as_a_coached_teacher(world):
    from coachloop.insights.models import SchoolWeek
    from coachloop.insights.rollups import week_of
    from tests.factories import RelationshipFactory, UserFactory

    today = timezone.localdate()
    with scopes_disabled():
        RelationshipFactory(school=world.own.school, coach=world.own.coach, teacher=UserFactory())
    rollups_update(trust=world.trust, today=today)
    with scopes_disabled():
        row = SchoolWeek.objects.get(school=world.own.school, week=week_of(today))
    assert row.coached_teachers <= row.teachers


def test_names_in_a_dashboard_table_are_escaped(client, world):
    today = timezone.localdate()
    coached_school(world.own.school, today=today, framework_step=world.own.framework_step)
    with scopes_disabled():
        world.own.school.name = "<b>Bold</b> Academy"
        world.own.school.save()
    rollups_update(trust=world.trust, today=today)
    client.force_login(world.people["trust_lead"])
    page = client.get(reverse("insights:trust")).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; Academy" in page
    assert "<b>Bold</b>" not in page
