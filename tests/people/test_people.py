"""People sign in by email; roles are per school, several per person, and date-ranged."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role, User
from coachloop.people.queries import viewer_for
from tests.factories import MembershipFactory, SchoolFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_email_address_is_the_sign_in_name_and_is_stored_in_lower_case():
    user = User.objects.create_user(
        "Ada.Lovelace@Example.ORG", "a-long-passphrase", full_name="Ada Lovelace"
    )
    assert user.email == "ada.lovelace@example.org"
    assert User.objects.get_by_natural_key("ADA.LOVELACE@example.org") == user


def test_one_person_can_hold_several_roles_in_a_school():
    with scopes_disabled():
        school = SchoolFactory()
        person = UserFactory()
        MembershipFactory(user=person, school=school, role=Role.TEACHER)
        MembershipFactory(user=person, school=school, role=Role.COACH)
    viewer = viewer_for(person)
    assert viewer.roles(school) == {Role.TEACHER, Role.COACH}


def test_a_finished_role_no_longer_counts():
    with scopes_disabled():
        school = SchoolFactory()
        person = UserFactory()
        MembershipFactory(
            user=person,
            school=school,
            role=Role.COACH,
            finished_on=timezone.localdate() - dt.timedelta(days=1),
        )
        MembershipFactory(user=person, school=school, role=Role.TEACHER)
    assert viewer_for(person).roles() == {Role.TEACHER}


def test_someone_with_no_current_role_has_no_viewer_and_so_no_trust_scope():
    assert viewer_for(UserFactory()) is None


def test_school_roles_need_a_school_but_trust_roles_do_not():
    trust = TrustFactory()
    person = UserFactory()
    with scopes_disabled():
        Membership.objects.create(trust=trust, user=person, role=Role.TRUST_LEAD)
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(trust=trust, user=person, role=Role.TEACHER)


def test_a_person_in_two_trusts_sees_one_trust_at_a_time():
    person = UserFactory()
    with scopes_disabled():
        first = MembershipFactory(user=person, role=Role.TEACHER)
        second = MembershipFactory(user=person, role=Role.COACH)
    assert viewer_for(person).trust == first.trust
    chosen = viewer_for(person, trust_id=second.trust_id)
    assert chosen.trust == second.trust
    assert chosen.roles() == {Role.COACH}
