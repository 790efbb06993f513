"""Ending every session of a person signs them out on every device, and no one else."""

import pytest
from django.test import Client
from django.urls import reverse

from coachloop.people.sessions import end_every_session

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-passphrase"


def signed_in_client(person):
    client = Client()
    assert (
        client.post(reverse("login"), {"login": person.email, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_ending_every_session_signs_the_person_out_on_every_device_and_no_one_else(world):
    person, other = world.people["coach"], world.people["teacher"]
    for someone in (person, other):
        someone.set_password(PASSWORD)
        someone.save()
    phone, laptop, colleague = (
        signed_in_client(person),
        signed_in_client(person),
        signed_in_client(other),
    )

    assert end_every_session(person) == 2

    assert "_auth_user_id" not in phone.session
    assert "_auth_user_id" not in laptop.session
    assert "_auth_user_id" in colleague.session
    assert (
        phone.get(reverse("home"), follow=True).redirect_chain[-1][0].startswith(reverse("login"))
    )
    assert colleague.get(reverse("home"), follow=True).status_code == 200
    assert not colleague.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_the_session_in_use_can_be_kept(world):
    person = world.people["coach"]
    person.set_password(PASSWORD)
    person.save()
    phone, laptop = signed_in_client(person), signed_in_client(person)

    assert end_every_session(person, keep_session_key=laptop.session.session_key) == 1

    assert "_auth_user_id" not in phone.session
    assert "_auth_user_id" in laptop.session
