"""A mail server that refuses an email about an account change leaves the change saved and
tells the operators in the log, by person, not by address."""

import logging

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from coachloop.common.tenancy import trust_scope
from coachloop.people.services import two_step_reset

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_refused_email_is_logged_and_the_change_stands(
    world, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.people.test_mail_failures.RefusingBackend"
    head = world.people["headteacher"]
    with trust_scope(world.trust), django_capture_on_commit_callbacks(execute=True):
        forgotten = two_step_reset(
            actor=world.people["administrator"], trust=world.trust, person=head, by_operator=True
        )
    assert forgotten >= 1
    assert not head.authenticator_set.exists()
    (record,) = [r for r in caplog.records if r.name == "coachloop.people.services"]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == f"Could not send the two-step reset email to person {head.pk}."
    assert head.email not in record.getMessage()
