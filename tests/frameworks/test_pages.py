"""The framework library and step pages, as a signed-in member sees them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coachloop.common.tenancy import trust_scope
from coachloop.frameworks import services
from coachloop.frameworks.models import Step
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIBRARY = reverse("frameworks:library")


def step_url(step):
    return reverse("frameworks:step", args=[step.pk])


def a_step(trust, code):
    with trust_scope(trust):
        return Step.objects.get(code=code, strand__version__is_current=True)


def test_the_library_lists_every_strand_and_step_for_a_signed_in_member(client, member, starter):
    client.force_login(member)
    response = client.get(LIBRARY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Coachloop starter framework" in html
    assert "Version 1 (2026.1)" in html
    for strand in ("Behaviour and routines", "Adaptive teaching", "Subject-specific slots"):
        assert strand in html
    assert "Use one signal for attention and wait for every pupil" in html
    assert "Use the subject&#x27;s key representations consistently" in html
    assert html.count('href="/frameworks/steps/') == 30


def test_the_library_shows_how_many_ecf_statements_the_steps_cover_with_the_attribution(
    client, member, starter, ecf
):
    client.force_login(member)
    html = client.get(LIBRARY).content.decode()
    assert "How the steps cover the Early Career Framework (ECF)" in html
    assert "of its 181 statements" in html
    assert "High Expectations" in html
    assert ecf.attribution in html


def test_the_step_page_shows_the_step_and_its_ecf_statements_with_the_attribution(
    client, member, trust, starter, ecf
):
    step = a_step(trust, "EM3")
    client.force_login(member)
    response = client.get(step_url(step))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Think aloud while you model" in html
    for label in ("What it looks like in the classroom", "Why it works", "How to rehearse it"):
        assert label in html
    assert "Experts make decisions that pupils cannot see." in html
    assert "Section 4: Classroom Practice" in html
    assert "Narrating thought processes when modelling" in html
    assert "Learn how to: Model effectively, by:" in html
    assert "Learn that" in html
    assert ecf.attribution in html


def test_a_step_from_an_older_version_says_it_has_been_replaced(client, member, trust, document):
    with trust_scope(trust):
        old = services.framework_load(trust=trust, data=document(slug="ours"))
        services.framework_load(trust=trust, data=document(slug="ours"))
        step = Step.objects.filter(strand__version=old).first()
    client.force_login(member)
    html = client.get(step_url(step)).content.decode()
    assert "This step is from version 1 of the framework" in html


def test_a_step_without_mappings_shows_no_reference_section(client, member, trust, document):
    with trust_scope(trust):
        services.framework_load(trust=trust, data=document())
    client.force_login(member)
    response = client.get(step_url(a_step(trust, "S1.1")))
    assert response.status_code == 200
    assert "Where this fits" not in response.content.decode()


def test_another_trusts_step_page_is_a_404(client, member, other_trust, document):
    with trust_scope(other_trust):
        services.framework_load(trust=other_trust, data=document(slug="theirs"))
    client.force_login(member)
    assert client.get(step_url(a_step(other_trust, "S1.1"))).status_code == 404


def test_the_library_says_so_when_the_trust_has_no_framework(client, member, other_trust, document):
    with trust_scope(other_trust):
        services.framework_load(trust=other_trust, data=document(slug="theirs"))
    client.force_login(member)
    html = client.get(LIBRARY).content.decode()
    assert "Your trust has not loaded a framework for teaching yet." in html
    assert "Framework theirs" not in html


def test_anonymous_people_are_sent_to_sign_in(client, trust, starter):
    for url in (LIBRARY, step_url(a_step(trust, "BR1"))):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_someone_signed_in_without_a_current_role_is_refused(client, trust, starter):
    client.force_login(UserFactory())
    assert client.get(LIBRARY).status_code == 403
    assert client.get(step_url(a_step(trust, "BR1"))).status_code == 403


@pytest.mark.queries
def test_the_library_page_runs_the_same_queries_for_few_and_many_steps(
    client, member, other_viewer, trust, other_trust, document
):
    with trust_scope(trust):
        services.framework_load(trust=trust, data=document(strands=1, steps_per_strand=1))
    with trust_scope(other_trust):
        services.framework_load(trust=other_trust, data=document(strands=8, steps_per_strand=12))
    counts = []
    for user in (member, other_viewer.user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIBRARY).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] <= 12
