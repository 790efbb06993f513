"""A school adapting the trust's framework: its coaches see the adaptation, other schools
see the trust's version, and a new trust version keeps the adaptation."""

import copy

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.frameworks.loader import starter_framework_data
from coachloop.frameworks.models import Step
from coachloop.frameworks.services import framework_load
from coachloop.people.models import Role
from coachloop.policy.models import SchoolModel
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _framework_data():
    """The starter framework without its mappings to the ECF (not loaded in these tests)."""
    data = copy.deepcopy(starter_framework_data())
    for strand in data["strands"]:
        for step in strand["steps"]:
            step.pop("maps_to", None)
    return data


@pytest.fixture
def starter(world):
    with trust_scope(world.trust):
        framework_load(trust=world.trust, data=_framework_data())
        SchoolModel.objects.create(
            trust=world.trust, school=world.own.school, framework_policy="adapt"
        )
    return world


def _step(code):
    with scopes_disabled():
        return Step.objects.get(
            code=code,
            strand__version__is_current=True,
            strand__version__framework__slug="coachloop-starter",
        )


def _adapt(client, world, **fields):
    client.force_login(world.people["coaching_lead"])
    url = reverse("rollout:adaptation_edit", args=[world.own.school.slug])
    return client.post(url, fields)


def _step_picker(client, coach, relationship):
    client.force_login(coach)
    return client.get(reverse("coaching:step_set", args=[relationship.pk])).content.decode()


def _other_school_coach(world):
    with scopes_disabled():
        coach = world.other_school.coach
        return coach, world.other_school.relationship


def test_hiding_and_renaming_reach_the_schools_coaches_and_no_other_school(client, starter):
    world = starter
    hidden, renamed = _step("BR1"), _step("BR2")
    response = _adapt(
        client,
        world,
        **{f"hide-{hidden.pk}": "on", f"title-{renamed.pk}": "Our calm correction routine"},
    )
    assert response.status_code == 302

    ours = _step_picker(client, world.own.coach, world.own.relationship)
    assert "Our calm correction routine" in ours
    assert hidden.title not in ours
    assert renamed.title not in ours

    coach, relationship = _other_school_coach(world)
    theirs = _step_picker(client, coach, relationship)
    assert hidden.title in theirs
    assert renamed.title in theirs
    assert "Our calm correction routine" not in theirs


def test_a_step_the_school_adds_is_offered_to_its_coaches_only(client, starter):
    world = starter
    client.force_login(world.people["coaching_lead"])
    strand = _step("BR1").strand
    response = client.post(
        reverse("rollout:school_step_new", args=[world.own.school.slug]),
        {
            "strand": strand.pk,
            "title": "Meet the class at the door with the first task ready",
            "looks_like": "Pupils start the task as they sit down.",
            "why_it_works": "No gap for chatter to fill.",
            "how_to_rehearse": "Walk the door routine twice in an empty room.",
        },
    )
    assert response.status_code == 302
    assert "Meet the class at the door" in _step_picker(
        client, world.own.coach, world.own.relationship
    )
    coach, relationship = _other_school_coach(world)
    assert "Meet the class at the door" not in _step_picker(client, coach, relationship)
    client.force_login(world.people["teacher"])
    assert (
        "Meet the class at the door"
        not in client.get(reverse("frameworks:library")).content.decode()
    )


def test_a_new_trust_version_reaches_the_school_with_the_adaptation_kept(client, starter):
    world = starter
    hidden, renamed = _step("BR1"), _step("BR2")
    _adapt(client, world, **{f"hide-{hidden.pk}": "on", f"title-{renamed.pk}": "Our routine"})
    client.force_login(world.people["coaching_lead"])
    client.post(
        reverse("rollout:school_step_new", args=[world.own.school.slug]),
        {
            "strand": hidden.strand.pk,
            "title": "Our own door routine",
            "looks_like": "a",
            "why_it_works": "b",
            "how_to_rehearse": "c",
        },
    )
    data = _framework_data()
    data["version_label"] = "Second edition"
    data["strands"][0]["steps"].append(
        {
            "code": "BR99",
            "title": "A step new in the second edition",
            "looks_like": "x",
            "why_it_works": "y",
            "how_to_rehearse": "z",
        }
    )
    with trust_scope(world.trust):
        framework_load(trust=world.trust, data=data)
    page = _step_picker(client, world.own.coach, world.own.relationship)
    assert "A step new in the second edition" in page  # the trust's update flowed through
    assert "Our routine" in page  # the rename was kept
    assert hidden.title not in page  # so was the hiding
    assert "Our own door routine" in page  # and the school's own step
    assert _step("BR1").pk != hidden.pk  # it really is a new version


def test_a_school_that_does_not_adapt_is_told_so(client, world):
    client.force_login(world.people["coaching_lead"])
    response = client.get(reverse("rollout:adaptation_edit", args=[world.own.school.slug]))
    assert "does not adapt the trust's framework" in response.content.decode()


def test_a_lead_of_another_school_cannot_adapt_this_one(client, starter):
    world = starter
    with scopes_disabled():
        other_lead = MembershipFactory(
            school=world.other_school.school, role=Role.COACHING_LEAD
        ).user
    client.force_login(other_lead)
    url = reverse("rollout:adaptation_edit", args=[world.own.school.slug])
    assert client.get(url).status_code == 404
