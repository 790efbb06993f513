"""The frameworks admin: an administrator sees their own trust's frameworks; structure is
read-only, and reference frameworks cannot be edited."""

import pytest
from django.urls import reverse

from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.frameworks import services
from coachloop.frameworks.models import Framework, ReferenceStatement, Step, Strand
from coachloop.people.models import Role
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, two_step_set_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(trust):
    with scopes_disabled():
        user = UserFactory()
        MembershipFactory(user=user, school=SchoolFactory(trust=trust), role=Role.ADMINISTRATOR)
        two_step_set_up(user)  # as administrators must
    return user


def test_every_frameworks_admin_page_opens_for_an_administrator(
    client, administrator, trust, starter
):
    with trust_scope(trust):
        step, strand, framework = (
            Step.objects.first(),
            Strand.objects.first(),
            Framework.objects.get(),
        )
    statement = ReferenceStatement.objects.first()
    client.force_login(administrator)
    urls = [
        reverse("admin:frameworks_framework_changelist"),
        reverse("admin:frameworks_framework_change", args=[framework.pk]),
        reverse("admin:frameworks_strand_changelist"),
        reverse("admin:frameworks_strand_change", args=[strand.pk]),
        reverse("admin:frameworks_step_changelist") + "?q=signal",
        reverse("admin:frameworks_step_change", args=[step.pk]),
        reverse("admin:frameworks_referenceframework_changelist"),
        reverse("admin:frameworks_referencestatement_changelist"),
        reverse("admin:frameworks_referencestatement_change", args=[statement.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:frameworks_step_add")).status_code == 403


def test_the_admin_lists_only_the_administrators_trusts_steps(
    client, administrator, other_trust, document
):
    with trust_scope(other_trust):
        services.framework_load(trust=other_trust, data=document(slug="theirs"))
    client.force_login(administrator)
    response = client.get(reverse("admin:frameworks_step_changelist"))
    assert response.status_code == 200
    assert "Do step 1 of strand 1" not in response.content.decode()
