"""``manage.py create_trust`` sets up a new tenant and its first administrator."""

import io

import pytest
from django.core.management import CommandError, call_command

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role, Trust, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def create(**overrides):
    options = {
        "name": "Oakfield Trust",
        "slug": "oakfield",
        "admin_email": "Admin@Oakfield.example.org",
        "admin_name": "Sam Patel",
        "site_url": "https://coaching.example.org",
    }
    options.update(overrides)
    out = io.StringIO()
    args = [f"--{key.replace('_', '-')}={value}" for key, value in options.items()]
    call_command("create_trust", *args, stdout=out)
    return out.getvalue()


def test_it_creates_the_trust_and_an_administrator_who_is_emailed_a_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = create()
    assert "admin@oakfield.example.org is its administrator" in out
    with scopes_disabled():
        trust = Trust.objects.get(slug="oakfield")
        membership = Membership.objects.get(trust=trust)
    assert membership.user.email == "admin@oakfield.example.org"
    assert (membership.role, membership.school) == (Role.ADMINISTRATOR, None)
    assert len(mailoutbox) == 1
    assert "https://coaching.example.org/accounts/reset/" in mailoutbox[0].body


def test_someone_who_already_has_an_account_keeps_it_and_gets_no_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        existing = UserFactory(email="admin@oakfield.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        create()
    with scopes_disabled():
        assert Membership.objects.get(role=Role.ADMINISTRATOR).user == existing
    assert User.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"slug": "not a slug"}, "Enter a valid"),
        ({"admin_email": "nobody"}, "Enter a valid email address."),
    ],
)
def test_bad_options_are_refused_and_nothing_is_created(overrides, message):
    with pytest.raises(CommandError, match=message):
        create(**overrides)
    assert not Trust.objects.exists()


def test_a_short_name_already_taken_is_refused():
    create()
    with pytest.raises(CommandError, match="already exists"):
        create(name="Another", admin_email="x@example.org")
    assert Trust.objects.count() == 1
