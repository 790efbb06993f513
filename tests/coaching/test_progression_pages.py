"""Progression pages: the teacher's own, their coach's view (audited), placing on a stage,
and proposing, withdrawing and answering a step, through the browser's requests."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import ActionStep, Stage, StageAssessment, StepProposal
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.frameworks.models import FrameworkVersion, Strand
from coachloop.people.models import AcademicYear, Term
from tests.factories import ActionStepFactory

pytestmark = pytest.mark.django_db


def _stage(world, stage, days_ago, *, by=None, code="BR", title="Behaviour and routines"):
    with scopes_disabled():
        return StageAssessment.objects.create(
            trust=world.trust,
            teacher=world.own.teacher,
            strand=world.own.framework_step.strand if code == "BR" else None,
            strand_code=code,
            strand_title=title,
            stage=stage,
            assessed_on=timezone.localdate() - dt.timedelta(days=days_ago),
            assessed_by=by or world.own.teacher,
        )


def _proposal(world, **fields):
    with scopes_disabled():
        return StepProposal.objects.create(
            trust=world.trust,
            relationship=world.own.relationship,
            title=fields.get("title", "Cold-call after think-pair-share"),
            success_looks_like="Every pair has an answer ready.",
            why="The same hands go up every lesson.",
            proposed_by=world.own.teacher,
            proposed_on=timezone.localdate(),
        )


def _reads(world):
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(subject=world.own.teacher, verb="read").values_list(
                "actor_id", "summary"
            )
        )


def test_the_teacher_sees_each_strands_path_as_a_chart_and_a_table(client, world):
    _stage(world, Stage.COMPETENT, 40)
    _stage(world, Stage.ADVANCED_BEGINNER, 20)
    _stage(world, Stage.PROFICIENT, 2, by=world.own.coach)
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:progression_mine")).content.decode()
    assert 'data-chart="stage-path"' in page
    assert page.count("data-point") == 3
    assert 'data-direction="down"' in page and 'data-direction="up"' in page
    # The world's step (in this strand) is marked on the chart and listed in the table.
    assert 'data-mark="step"' in page
    assert "Give one clear signal for attention" in page
    assert "Behaviour and routines: stages and steps, by date" in page
    assert f"placed by {world.own.coach.full_name}" in page
    assert _reads(world) == []  # the teacher reading their own record is not an event


def test_a_path_on_a_strand_from_an_older_framework_version_keeps_its_title(client, world):
    _stage(world, Stage.NOVICE, 100, code="OLD", title="Classroom climate (2024)")
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:progression_mine")).content.decode()
    assert "Classroom climate (2024)" in page
    place = reverse("coaching:stage_place_mine")
    assert f"{place}?strand=OLD" not in page  # only strands of the current framework


def test_a_new_framework_version_carries_the_path_on_by_strand_code(client, world):
    _stage(world, Stage.NOVICE, 30)
    with scopes_disabled():
        old = world.own.framework_step.strand.version
        FrameworkVersion.objects.filter(pk=old.pk).update(is_current=False)
        version = FrameworkVersion.objects.create(
            trust=world.trust, framework=old.framework, number=2
        )
        Strand.objects.create(
            trust=world.trust, version=version, code="BR", title="Behaviour and routines, v2"
        )
    client.force_login(world.own.teacher)
    client.post(
        reverse("coaching:stage_place_mine"),
        {"strand": "BR", "stage": "3", "assessed_on": timezone.localdate().isoformat()},
    )
    page = client.get(reverse("coaching:progression_mine")).content.decode()
    assert page.count("data-point") == 2  # both on one path
    assert "Behaviour and routines, v2" in page


def test_the_teacher_records_a_stage_and_lands_on_its_strand(client, world):
    client.force_login(world.own.teacher)
    url = reverse("coaching:stage_place_mine")
    form = client.get(url + "?strand=BR").content.decode()
    assert "You follow the rules and routines you have been taught" in form
    response = client.post(
        url,
        {
            "strand": "BR",
            "stage": "2",
            "assessed_on": timezone.localdate().isoformat(),
            "note": "A new Year 9 group.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/me/progression/#strand-BR")
    with scopes_disabled():
        row = StageAssessment.objects.get()
    assert (row.stage, row.note, row.assessed_by) == (2, "A new Year 9 group.", world.own.teacher)


def test_bad_stage_input_reshows_the_form_and_stores_nothing(client, world):
    client.force_login(world.own.teacher)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("coaching:stage_place_mine"),
        {"strand": "NOPE", "stage": "9", "assessed_on": tomorrow},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose a stage from novice to expert." in page
    assert "The date cannot be in the future." in page
    with scopes_disabled():
        assert not StageAssessment.objects.exists()


def test_the_coach_reads_the_path_and_the_teacher_can_see_they_did(client, world):
    _stage(world, Stage.COMPETENT, 10)
    client.force_login(world.own.coach)
    url = reverse("coaching:progression_coachee", args=[world.own.relationship.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-chart="stage-path"' in response.content.decode()
    assert (world.own.coach.pk, "stages on the framework's strands") in _reads(world)


def test_the_coach_places_the_teacher_and_it_shows_as_placed_by_the_coach(client, world):
    client.force_login(world.own.coach)
    rel = world.own.relationship
    response = client.post(
        reverse("coaching:stage_place_coachee", args=[rel.pk]),
        {"strand": "BR", "stage": "4", "assessed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:progression_mine")).content.decode()
    assert f"placed by {world.own.coach.full_name}" in page


def test_a_new_coach_sees_only_stages_from_their_own_start_until_the_teacher_agrees(client, world):
    _stage(world, Stage.NOVICE, 200)
    _stage(world, Stage.COMPETENT, 5)
    with scopes_disabled():
        rel = world.own.relationship
        rel.handed_over_from = world.other_school.relationship  # any earlier coaching will do
        rel.started_on = timezone.localdate() - dt.timedelta(days=30)
        rel.save(update_fields=["handed_over_from", "started_on"])
    client.force_login(world.own.coach)
    url = reverse("coaching:progression_coachee", args=[rel.pk])
    page = client.get(url).content.decode()
    assert page.count("data-point") == 1
    assert "Earlier ones show once" in page
    with scopes_disabled():
        rel.earlier_content_consented_at = timezone.now()
        rel.save(update_fields=["earlier_content_consented_at"])
    assert client.get(url).content.decode().count("data-point") == 2


def test_the_share_of_proposed_steps_shows_on_the_teachers_page_term_by_term(client, world):
    today = timezone.localdate()
    with scopes_disabled():
        year = AcademicYear.objects.create(
            trust=world.trust,
            name="This year",
            starts_on=today - dt.timedelta(days=200),
            ends_on=today + dt.timedelta(days=100),
        )
        for name, starts, ends in (("Last term", 190, 100), ("This term", 60, -20)):
            Term.objects.create(
                trust=world.trust,
                academic_year=year,
                name=name,
                starts_on=today - dt.timedelta(days=starts),
                ends_on=today - dt.timedelta(days=ends),
            )
        for days, proposer in ((150, world.own.coach), (30, world.own.teacher)):
            ActionStepFactory(
                relationship=world.own.relationship,
                set_on=today - dt.timedelta(days=days),
                closed_on=today - dt.timedelta(days=days - 10),
                proposed_by=proposer,
            )
    client.force_login(world.own.teacher)
    page = client.get(reverse("coaching:progression_mine")).content.decode()
    assert 'data-chart="share"' in page
    assert "The share of your steps that you proposed, term by term." in page
    assert "Last term This year" in page and "This term This year" in page
    assert "0%" in page
    assert "50%" in page  # this term: one of the two steps (the world's own was the coach's)


def test_the_teacher_proposes_a_step_and_sees_it_waiting(client, world):
    client.force_login(world.own.teacher)
    url = reverse("coaching:step_propose", args=[world.own.relationship.pk])
    response = client.post(
        url,
        {
            "framework_step": "",
            "title": "Cold-call after think-pair-share",
            "success_looks_like": "Every pair has an answer ready.",
            "why": "The same hands go up every lesson.",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Your proposal is waiting for" in page
    assert "Withdraw this proposal" in page
    home = client.get(reverse("coaching:progression_mine")).content.decode()
    assert "It is waiting for your coach." in home


def test_a_proposal_from_the_framework_takes_its_wording(client, world):
    client.force_login(world.own.teacher)
    client.post(
        reverse("coaching:step_propose", args=[world.own.relationship.pk]),
        {"framework_step": str(world.own.framework_step.pk)},
    )
    with scopes_disabled():
        proposal = StepProposal.objects.get()
    assert proposal.title == world.own.framework_step.title
    assert proposal.success_looks_like == world.own.framework_step.looks_like


def test_an_empty_proposal_reshows_the_form_and_a_second_one_is_refused(client, world):
    client.force_login(world.own.teacher)
    url = reverse("coaching:step_propose", args=[world.own.relationship.pk])
    response = client.post(url, {"framework_step": "", "title": "", "success_looks_like": ""})
    assert response.status_code == 200
    assert "Write the step in your own words, or choose one." in response.content.decode()
    _proposal(world)
    response = client.post(url, {"title": "Another", "success_looks_like": "Something"})
    assert response.status_code == 200
    with scopes_disabled():
        assert StepProposal.objects.count() == 1


def test_the_teacher_withdraws_their_proposal(client, world):
    proposal = _proposal(world)
    client.force_login(world.own.teacher)
    response = client.post(reverse("coaching:step_proposal_withdraw", args=[proposal.pk]))
    assert response.status_code == 302
    with scopes_disabled():
        proposal.refresh_from_db()
    assert proposal.status == StepProposal.Status.WITHDRAWN


def test_the_coach_accepts_a_proposal_and_it_becomes_the_teachers_current_step(client, world):
    proposal = _proposal(world)
    client.force_login(world.own.coach)
    page = client.get(reverse("coaching:step_proposals", args=[world.own.relationship.pk]))
    assert "Accept and set this step" in page.content.decode()
    assert (world.own.coach.pk, "proposed steps") in _reads(world)
    url = reverse("coaching:step_proposal_accept", args=[proposal.pk])
    missing = client.post(url, {})
    assert missing.status_code == 200
    assert "Say how the current step ended." in missing.content.decode()
    response = client.post(url, {"previous_outcome": "embedded"})
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:coachee", args=[world.own.relationship.pk])
    client.force_login(world.own.teacher)
    home = client.get(reverse("coaching:teacher_home")).content.decode()
    assert "Cold-call after think-pair-share" in home
    with scopes_disabled():
        step = ActionStep.objects.get(relationship=world.own.relationship, closed_on=None)
    assert step.proposed_by == world.own.teacher


def test_the_coach_asks_to_talk_and_the_teacher_reads_the_reply(client, world):
    proposal = _proposal(world)
    client.force_login(world.own.coach)
    url = reverse("coaching:step_proposal_discuss", args=[proposal.pk])
    empty = client.post(url, {"response": ""})
    assert empty.status_code == 200
    assert "Say what you would like to talk about." in empty.content.decode()
    client.post(url, {"response": "Let's look at the books together first."})
    client.force_login(world.own.teacher)
    home = client.get(reverse("coaching:progression_mine")).content.decode()
    assert "would like to talk about" in home
    assert "Let&#x27;s look at the books together first." in home


def test_a_coaching_lead_and_other_staff_see_none_of_it(client, world):
    _stage(world, Stage.COMPETENT, 10)
    proposal = _proposal(world)
    rel = world.own.relationship
    for persona in ("coaching_lead", "headteacher", "other_coach", "trust_lead"):
        client.force_login(world.people[persona])
        for url in (
            reverse("coaching:progression_coachee", args=[rel.pk]),
            reverse("coaching:step_proposals", args=[rel.pk]),
        ):
            assert client.get(url).status_code == 404, (persona, url)
        assert (
            client.post(reverse("coaching:step_proposal_accept", args=[proposal.pk])).status_code
            == 404
        )
    assert _reads(world) == []


def test_a_coach_can_be_told_which_of_their_teachers_have_a_proposal_waiting(world, as_viewer):
    from coachloop.coaching.queries.progression import waiting_proposals

    _proposal(world)
    rels = [world.own.relationship, world.other_school.relationship]
    coach, scope = as_viewer(world.own.coach)
    with scope:
        assert waiting_proposals(coach, relationships=rels) == {world.own.relationship.pk}
    lead, scope = as_viewer(world.people["coaching_lead"])
    with scope:
        assert waiting_proposals(lead, relationships=rels) == set()
