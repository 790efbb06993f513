"""An administrator opens an integration, follows its link to the webhooks, adds an address
(confirming their password if asked; its secret shown once), reads the address's delivery
log, sends a failed delivery again, pauses and resumes the address and makes it a new secret.
On a laptop, and the log on a phone as summary rows; every page passes axe-core.

Nothing is sent: the address is a public-looking https one and no worker runs the queue."""

import re

import pytest
from django.utils import timezone

from coachloop.api.models import DeliveryStatus, Scope, WebhookDelivery, WebhookEndpoint
from coachloop.api.tasks import webhooks_collect
from coachloop.common.audit import audit_record
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role
from tests.api.tokens import make_integration, make_token
from tests.api.webhooks import make_endpoint
from tests.browser.test_api_tokens import _confirm_password
from tests.browser.test_coaching_journey import sign_in
from tests.factories import UserFactory
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "https://hooks.example.org/coachloop"


def _roles_started(world, count):
    """``count`` teachers start a role in school A1, as the audit log records it."""
    with scopes_disabled():
        for _ in range(count):
            membership = Membership.objects.create(
                trust=world.trust, user=UserFactory(), role=Role.TEACHER, school=world.own.school
            )
            audit_record(actor=None, verb="membership.started", target=membership)


def _one_delivered_one_failed(world, endpoint):
    """The collect task makes a delivery for each role started; one was delivered, the other
    failed (the receiver answered 502) and waits for its next try."""
    _roles_started(world, 2)
    webhooks_collect.call(world.trust.pk)
    with scopes_disabled():
        first, second = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("pk")
        WebhookDelivery.objects.filter(pk=first.pk).update(
            status=DeliveryStatus.DELIVERED,
            attempts=1,
            last_status_code=200,
            delivered_at=timezone.now(),
        )
        WebhookDelivery.objects.filter(pk=second.pk).update(
            status=DeliveryStatus.FAILED, attempts=2, last_status_code=502
        )
    return first, second


def _confirm_if_asked(page, axe):
    """Adding an address and making a new secret ask for the password unless the person
    signed in (or confirmed) a few minutes ago; the form sent goes through once they have."""
    if "/accounts/reauthenticate/" in page.url:
        axe.check(page)
        _confirm_password(page)


def _status_of(delivery):
    with scopes_disabled():
        return WebhookDelivery.objects.get(pk=delivery.pk).status


def test_an_administrator_adds_an_address_and_looks_after_its_deliveries(desktop, axe):
    world = build_world()
    integration = make_integration(world.trust, name="School MIS")
    make_token(
        integration.account,
        world.trust,
        integration=integration,
        name="Nightly sync",
        scopes=[Scope.READ_PEOPLE],
    )
    page = desktop.new_page()
    sign_in(page, axe, world.people["administrator"].email)
    page.goto("/account/")
    page.get_by_role("link", name="Integrations").click()
    page.get_by_role("link", name="School MIS").click()
    page.get_by_role("heading", name="School MIS").wait_for()
    axe.check(page)

    page.get_by_role("link", name="Its webhook addresses and what was sent").click()
    page.get_by_role("heading", name="Webhooks").wait_for()
    page.get_by_text("No addresses yet.").wait_for()
    axe.check(page)

    page.get_by_role("button", name="Add an address").click()
    page.get_by_role("heading", name="Add an address for webhooks").wait_for()
    axe.check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Add the address").click()
    _confirm_if_asked(page, axe)
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe.check(page)  # the form again, saying what is missing
    page.get_by_label("Address").fill(ADDRESS)
    page.get_by_label("A role started").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add the address").click()
    _confirm_if_asked(page, axe)

    page.get_by_role("heading", name="Address added").wait_for()
    secret = page.get_by_label("The secret to check signatures with").input_value()
    assert secret.startswith("whsec_")
    assert page.get_by_text("it is not shown again").is_visible()
    axe.check(page)
    with scopes_disabled():
        endpoint = WebhookEndpoint.objects.get(integration=integration)
    assert (endpoint.url, endpoint.events) == (ADDRESS, ["role.started"])

    delivered, failed = _one_delivered_one_failed(world, endpoint)
    page.get_by_role("link", name="Go to the address's deliveries").click()
    page.get_by_role("heading", name=ADDRESS).wait_for()
    assert secret not in page.content()
    log = page.get_by_role("table", name="Deliveries")
    assert "Delivered" in log.get_by_role("row").nth(2).inner_text()
    waiting = log.get_by_role("row").nth(1)
    assert "Failed, to be tried again" in waiting.inner_text() and "502" in waiting.inner_text()
    assert "A role started" in waiting.inner_text()  # the event in words, not its code
    assert log.get_by_role("button", name=re.compile("^Send again")).count() == 1
    axe.check(page)

    with page.expect_navigation():
        waiting.get_by_role("button", name=re.compile("^Send again")).click()
    page.get_by_text("The event will be sent again in a moment.").wait_for()
    assert _status_of(failed) == DeliveryStatus.PENDING
    assert _status_of(delivered) == DeliveryStatus.DELIVERED
    assert page.get_by_role("button", name=re.compile("^Send again")).count() == 0
    axe.check(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Pause").click()
    page.get_by_text("Paused: no events are sent to this address until resumed.").wait_for()
    assert "Paused" in page.get_by_role("definition").nth(2).inner_text()
    axe.check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Resume").click()
    page.get_by_text("Events are sent to this address again.").wait_for()
    page.get_by_role("button", name="Pause").wait_for()
    axe.check(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Make a new secret").click()
    _confirm_if_asked(page, axe)
    page.get_by_role("heading", name="New secret made").wait_for()
    rotated = page.get_by_label("The secret to check signatures with").input_value()
    assert rotated.startswith("whsec_") and rotated != secret
    assert secret not in page.content()  # the old one is not shown again
    assert page.get_by_text("signed with the old secret too").is_visible()
    axe.check(page)

    page.get_by_role("link", name="Go to the address's deliveries").click()
    page.get_by_role("link", name="Back to webhooks").click()
    row = page.get_by_role("row").filter(has_text=ADDRESS)
    assert "Nightly sync" in row.inner_text() and "A role started" in row.inner_text()
    axe.check(page)


def test_the_delivery_log_reads_as_summary_rows_on_a_phone(phone, axe):
    world = build_world()
    endpoint = make_endpoint(
        world.trust, url=ADDRESS, scopes=[Scope.READ_PEOPLE], events=["role.started"]
    )
    _one_delivered_one_failed(world, endpoint)
    page = phone.new_page()
    sign_in(page, axe, world.people["administrator"].email)
    page.goto(f"/integrations/{endpoint.integration_id}/webhooks/{endpoint.pk}/")
    page.get_by_role("heading", name=ADDRESS).wait_for()
    axe.check(page)

    log = page.locator("table.cl-rows").filter(has_text="Deliveries")
    # Below tablet width the header row is hidden (kept for screen readers) and each cell
    # names its column.
    assert log.locator("thead").bounding_box()["height"] <= 1
    failed = log.locator("tbody tr").nth(0)
    labels = failed.locator("td[data-label]").evaluate_all(
        "cells => cells.map(cell => cell.dataset.label)"
    )
    assert labels[:4] == ["Status", "Tries", "Last answer", "Time"]
    status = failed.locator("td[data-label='Status']")
    assert status.is_visible() and "Failed, to be tried again" in status.inner_text()
    label = status.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "Status" in label
    # The row fits the phone's width: nothing to scroll sideways.
    box = failed.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert failed.get_by_role("button", name=re.compile("^Send again")).is_visible()

    # A new secret on a phone: shown whole, in a box that fits, with nothing to scroll sideways.
    with page.expect_navigation():
        page.get_by_role("button", name="Make a new secret").click()
    _confirm_if_asked(page, axe)
    page.get_by_role("heading", name="New secret made").wait_for()
    secret = page.get_by_label("The secret to check signatures with")
    assert secret.input_value().startswith("whsec_")
    box = secret.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    axe.check(page)
