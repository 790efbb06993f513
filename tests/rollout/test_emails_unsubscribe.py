"""Stopping a reminder or digest from the email itself (RFC 2369 List-Unsubscribe, RFC 8058
one-click): the headers are on every reminder and digest, the link works without signing in,
a GET only asks, the POST turns that one kind off (audited), and a token that is not the
site's own changes nothing.

The emails are sent through the real task backend and worker, so these tests commit.
"""

import pytest
from django.core import signing
from django.test import Client

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.rollout import unsubscribe
from coachloop.rollout.models import EmailPreference
from coachloop.rollout.tasks import send_due_reminders, send_weekly_digests
from tests.rollout.emails_fixtures import SITE, coached, only_one_to, run

pytestmark = pytest.mark.django_db(transaction=True)
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture(autouse=True)
def _links_to_the_site(settings):
    settings.COACHLOOP_SITE_URL = SITE


def _link(email):
    header = email.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<{SITE}/rollout/emails/stop/") and header.endswith("/>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in email.message().as_string()
    return header[1 + len(SITE) : -1]


def _choices(person):
    with scopes_disabled():
        return list(
            EmailPreference.objects.filter(person=person).values_list(
                "due_reminders", "weekly_digest"
            )
        )


def _changes():
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(verb="email_preference.changed").values_list(
                "actor", "subject__email", "summary"
            )
        )


def test_a_reminder_can_be_stopped_with_one_click_without_signing_in(world):
    coach = world.own.coach
    coached(world.own.school, coach, "Olive Overdue", last_visit=10)
    path = _link(only_one_to(run(send_due_reminders, world.trust.pk), coach))

    response = Client().post(path, ONE_CLICK)  # as a mail app posts it: no session, no token

    assert response.status_code == 200
    assert _choices(coach) == [(False, True)]
    assert _changes() == [
        (None, coach.email, "due_reminders off, from the link in an email"),
    ]
    coached(world.own.school, coach, "Dan Due", last_visit=12)
    assert not [e for e in run(send_due_reminders, world.trust.pk) if e.to == [coach.email]]


def test_a_digest_link_stops_the_digest_only(world):
    coach = world.own.coach
    coached(world.own.school, coach, "Olive Overdue", last_visit=10)
    path = _link(only_one_to(run(send_weekly_digests, world.trust.pk), coach))

    Client().post(path, ONE_CLICK)

    assert _choices(coach) == [(True, False)]


def test_opening_the_link_asks_first_and_changes_nothing(client, world):
    path = "/rollout/emails/stop/{}/".format(
        unsubscribe.token_for(
            trust_id=world.trust.pk, person_id=world.own.coach.pk, preference="weekly_digest"
        )
    )
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stop the weekly digest" in page and '<form method="post">' in page
    assert _choices(world.own.coach) == []
    assert _changes() == []

    client.post(path)
    assert "Weekly digest stopped" in client.get(path).content.decode()


def test_stopping_twice_records_one_change(world):
    token = unsubscribe.token_for(
        trust_id=world.trust.pk, person_id=world.own.coach.pk, preference="due_reminders"
    )
    for _ in range(2):
        assert Client().post(f"/rollout/emails/stop/{token}/").status_code == 200
    assert len(_changes()) == 1


@pytest.mark.parametrize(
    "tampered",
    [
        "made-up",
        lambda w: unsubscribe.token_for(
            trust_id=w.trust.pk, person_id=w.own.coach.pk, preference="due_reminders"
        ).replace(f"-{w.own.coach.pk}-", f"-{w.own.teacher.pk}-"),
        lambda w: unsubscribe.token_for(
            trust_id=w.trust.pk, person_id=w.own.coach.pk, preference="due_reminders"
        ).replace("reminders", "digest"),
        lambda w: unsubscribe.token_for(
            trust_id=w.trust.pk, person_id=w.own.coach.pk, preference="due_reminders"
        )[:-2],
    ],
)
def test_a_token_that_is_not_the_sites_own_is_not_found_and_changes_nothing(world, tampered):
    token = tampered(world) if callable(tampered) else tampered
    response = Client().post(f"/rollout/emails/stop/{token}/", ONE_CLICK)
    assert response.status_code == 404
    assert _choices(world.own.coach) == _choices(world.own.teacher) == []
    assert _changes() == []


def test_a_token_holding_nul_is_a_bad_request_that_changes_nothing(world):
    response = Client().post("/rollout/emails/stop/%00/", ONE_CLICK)
    assert response.status_code == 400
    assert _choices(world.own.coach) == _choices(world.own.teacher) == []
    assert _changes() == []


def test_a_token_signed_for_another_use_is_refused(world):
    token = signing.Signer(salt="something-else").sign(
        f"{world.trust.pk}-{world.own.coach.pk}-digest"
    )
    assert Client().post(f"/rollout/emails/stop/{token}/").status_code == 404


def test_a_link_in_an_old_email_of_someone_since_erased_changes_nothing(world):
    from coachloop.common.tenancy import trust_scope
    from coachloop.people.erasure import person_erase

    coach = world.own.coach
    token = unsubscribe.token_for(
        trust_id=world.trust.pk, person_id=coach.pk, preference="due_reminders"
    )
    with trust_scope(world.trust):
        person_erase(
            actor=world.people["administrator"],
            trust=world.trust,
            person=coach,
            reason="Asked for erasure.",
        )
    assert Client().post(f"/rollout/emails/stop/{token}/", ONE_CLICK).status_code == 404
    assert _choices(coach) == []
    assert _changes() == []


def test_a_link_naming_someone_with_no_role_in_its_trust_changes_nothing(world):
    outsider = world.other_trust_records.coach
    token = unsubscribe.token_for(
        trust_id=world.trust.pk, person_id=outsider.pk, preference="weekly_digest"
    )
    assert Client().post(f"/rollout/emails/stop/{token}/", ONE_CLICK).status_code == 404
    assert _choices(outsider) == []
    assert _changes() == []
