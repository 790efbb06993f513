"""An administrator brings the trust in, in a real browser: staff from a OneRoster export on a
phone, a long import followed by its progress bar while the task worker runs it, the schools
from the national register and a broken staff list on a desktop; and nobody else sees
"Imports"."""

import queue
import threading
from contextlib import contextmanager, nullcontext

import pytest
from django.core.handlers.base import BaseHandler
from django.db import connection, connections
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Membership, Role, School, User
from coachloop.rosters import progress
from coachloop.rosters.models import RosterImport
from tests.browser.test_coaching_journey import sign_in
from tests.factories import SchoolFactory
from tests.rosters.register_files import GROUP_UID, write_register
from tests.rosters.roster_files import (
    STAFF_DOMAIN,
    STUDENT_DOMAIN,
    STUDENT_MARK,
    oneroster_bundle,
    staff_csv,
    staff_row,
)
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 30  # seconds: the longest a thread or a page is waited for before the test fails


def roster_schools(world):
    """The schools the OneRoster builders' organisations name by URN."""
    with scopes_disabled():
        SchoolFactory(trust=world.trust, urn="137042", name="Riverside Primary", slug="riverside")
        SchoolFactory(trust=world.trust, urn="141234", name="Castle Hill Academy", slug="castle")


def to_the_imports(page, axe, world):
    """Signed in as the administrator, from the header's "Imports" to the imports page."""
    sign_in(page, axe, world.people["administrator"].email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_role("heading", name="Bring people in").wait_for()
    axe.check(page)


def upload_staff(page, axe, path):
    page.get_by_role("link", name="Import staff").click()
    page.get_by_role("heading", name="Import staff").wait_for()
    axe.check(page)
    page.get_by_label("The staff file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("Staff import", exact=True).wait_for()


def test_an_administrator_imports_staff_from_a_oneroster_export_on_a_phone(phone, axe, tmp_path):
    world = build_world()
    roster_schools(world)
    export = oneroster_bundle(
        tmp_path, teachers=["Ann Baker", "Raj Patel"], admins=["Jo Head"], students=30
    )
    page = phone.new_page()
    to_the_imports(page, axe, world)

    upload_staff(page, axe, export)

    expect(page.get_by_role("heading", name="What applying will do")).to_be_visible()
    expect(page.get_by_text("30 students and 0 others (never stored)")).to_be_visible()
    page.locator(".govuk-details__summary").get_by_text("3 new people").click()
    new_people = page.locator("[data-list=new]")
    for name in ("Ann Baker", "Raj Patel", "Jo Head"):
        expect(new_people.get_by_text(name)).to_be_visible()
    expect(page.get_by_text(STUDENT_MARK)).to_have_count(0)
    axe.check(page)
    assert not User.objects.filter(email__endswith=STAFF_DOMAIN).exists()

    page.get_by_role("button", name="Apply the import").click()

    page.get_by_role("heading", name="Import applied").wait_for()
    axe.check(page)
    with scopes_disabled():
        assert set(
            Membership.objects.filter(user__email__endswith=STAFF_DOMAIN).values_list(
                "user__full_name", "role"
            )
        ) == {
            ("Ann Baker", Role.TEACHER),
            ("Raj Patel", Role.TEACHER),
            ("Jo Head", Role.HEADTEACHER),
        }
    assert not User.objects.filter(email__endswith=STUDENT_DOMAIN).exists()


# --- A long import, followed while the task worker runs it ---------------------------------


class OneAtATime:
    """SQLite keeps the test database in memory, where one connection writing locks out the
    others (and, when the live server shares the test's own connection, its threads use that
    one connection): so each request and the worker take turns with this lock. On PostgreSQL
    every thread has its own connection and nothing waits."""

    def __init__(self, monkeypatch):
        self.sqlite = connection.vendor == "sqlite"
        self.lock = threading.RLock()
        if self.sqlite:
            answer = BaseHandler.get_response

            def answer_in_turn(handler, request):
                with self.lock:
                    return answer(handler, request)

            monkeypatch.setattr(BaseHandler, "get_response", answer_in_turn)

    def turn(self):
        return self.lock if self.sqlite else nullcontext()

    @contextmanager
    def give_way(self):
        """Let the pages have the database while the worker waits."""
        if self.sqlite:
            self.lock.release()
        try:
            yield
        finally:
            if self.sqlite:
                self.lock.acquire()


class BackgroundWorker:
    """``manage.py db_worker --batch`` in a thread: it runs the tasks queued, then stops. It
    uses the database as the live server's threads do: the test's own connection when the
    live server shares it, otherwise a connection of its own, closed at the end."""

    def __init__(self, live_server, turns):
        self.turns = turns
        self.error = None
        self.shared = live_server.thread.connections_override.get("default")
        self.thread = threading.Thread(target=self._run, name="browser-test-worker", daemon=True)
        self.thread.start()

    def _run(self):
        if self.shared is not None:
            connections["default"] = self.shared
        try:
            with self.turns.turn():
                Worker(
                    queue_names=["default"],
                    interval=0.1,
                    batch=True,
                    backend_name="default",
                    startup_delay=False,
                    max_tasks=None,
                    worker_id="browser-test",
                    excluded_queue_names=[],
                ).run()
        except BaseException as error:  # reported by join(), in the test's thread
            self.error = error
        finally:
            if self.shared is None:
                connections.close_all()

    @property
    def running(self):
        return self.thread.is_alive()

    def join(self):
        self.thread.join(timeout=WAIT)
        assert not self.thread.is_alive(), "The task worker did not finish."
        if self.error is not None:
            raise self.error


class ShownOnThePage:
    """Stops the check at each report of progress until the test has seen it on the page,
    so that every value is shown however slow the machine: the page cannot miss one between
    two of its polls, and the check cannot finish before the page has looked. The last
    report (every row read) does not wait."""

    def __init__(self, monkeypatch, turns, total):
        self.reports = queue.Queue()
        self.waiting = []
        self.stopped = False
        self.guard = threading.Lock()
        read = progress.Progress.read

        def read_then_wait(tracker, rows):
            read(tracker, rows)
            seen = threading.Event()
            with self.guard:
                if self.stopped or rows >= total:
                    seen.set()
                self.waiting.append(seen)
                self.reports.put((rows, seen))
            with turns.give_way():
                seen.wait(timeout=WAIT)

        monkeypatch.setattr(progress.Progress, "read", read_then_wait)

    def next_report(self, worker):
        while True:
            try:
                return self.reports.get(timeout=1)
            except queue.Empty:
                if not worker.running:
                    worker.join()
                    pytest.fail("The check ended without reporting all its progress.")

    def stop(self):
        """Wait no more: the check runs to its end."""
        with self.guard:
            self.stopped = True
            for seen in self.waiting:
                seen.set()


def test_the_progress_bar_moves_while_the_worker_checks_a_long_import_and_the_page_follows(
    phone, axe, tmp_path, settings, monkeypatch, live_server
):
    settings.COACHLOOP_IMPORT_INLINE_ROWS = 5
    total = 800
    world = build_world()
    roster_schools(world)
    export = oneroster_bundle(tmp_path, teachers=total, students=40)
    turns = OneAtATime(monkeypatch)
    reports = ShownOnThePage(monkeypatch, turns, total)
    page = phone.new_page()
    to_the_imports(page, axe, world)

    upload_staff(page, axe, export)

    expect(page.get_by_text("Reading and checking")).to_be_visible()
    rows_read = page.locator("[data-rows-read]")
    bar = page.locator("progress#progress-bar")
    expect(rows_read).to_have_text(f"0 of {total}")
    expect(bar).to_have_attribute("max", str(total))
    axe.check(page)

    worker = BackgroundWorker(live_server, turns)
    shown = []
    try:
        while True:
            rows, seen = reports.next_report(worker)
            if rows >= total:
                break
            expect(rows_read).to_have_text(f"{rows} of {total}", timeout=WAIT * 1000)
            expect(bar).to_have_attribute("value", str(rows))
            shown.append(rows)
            seen.set()
    finally:
        reports.stop()
        worker.join()

    assert len(shown) >= 2, shown
    assert all(0 < rows < total for rows in shown), shown
    assert shown == sorted(set(shown)), shown
    page.get_by_role("heading", name="What applying will do").wait_for(timeout=WAIT * 1000)
    expect(page.locator("#import-progress")).to_have_count(0)
    axe.check(page)

    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_text("Applying", exact=True)).to_be_visible()
    assert not User.objects.filter(email__endswith=STAFF_DOMAIN).exists()
    worker = BackgroundWorker(live_server, turns)
    worker.join()

    page.get_by_role("heading", name="Import applied").wait_for(timeout=WAIT * 1000)
    axe.check(page)
    assert User.objects.filter(email__endswith=STAFF_DOMAIN).count() == total
    with scopes_disabled():
        assert RosterImport.objects.get().status == RosterImport.Status.APPLIED


# --- Schools from the register, and a staff list with problems, on a desktop ---------------


def test_an_administrator_imports_the_trusts_schools_from_the_register_on_a_desktop(
    desktop, axe, tmp_path
):
    world = build_world()
    establishments, links = write_register(tmp_path)
    page = desktop.new_page()
    to_the_imports(page, axe, world)
    page.get_by_role("link", name="Import schools from the register").click()
    page.get_by_role("heading", name="Import schools from the register").wait_for()
    axe.check(page)

    page.get_by_label("Your trust's group UID").fill(GROUP_UID)
    page.get_by_label("Establishments file").set_input_files(str(establishments))
    page.get_by_label("Group links file (optional)").set_input_files(str(links))
    page.get_by_role("button", name="Check the files").click()

    page.get_by_role("heading", name="What applying will do").wait_for()
    new_schools = page.locator("[data-list=new]")
    expect(new_schools.get_by_text("Weald Secondary Academy (URN 140102)")).to_be_visible()
    expect(new_schools.get_by_text("Harbour Primary Academy")).to_have_count(0)
    axe.check(page)
    with scopes_disabled():
        assert not School.objects.filter(urn="140102").exists()

    page.get_by_role("button", name="Apply the import").click()

    page.get_by_role("heading", name="Schools imported").wait_for()
    axe.check(page)
    with scopes_disabled():
        assert School.objects.get(urn="140102").trust == world.trust


def test_a_broken_staff_list_shows_each_problem_with_its_row_and_column_on_a_desktop(
    desktop, axe, tmp_path
):
    world = build_world()
    roster_schools(world)
    broken = staff_csv(
        tmp_path,
        [
            staff_row("Ann Baker"),
            staff_row("Raj Patel", email="raj at school"),
            staff_row("Max Bell", start="31/02/2025"),
        ],
    )
    page = desktop.new_page()
    to_the_imports(page, axe, world)

    upload_staff(page, axe, broken)

    page.get_by_role("heading", name="The file has 2 problems").wait_for()
    problems = page.get_by_role("table", name="Problems").locator("tbody tr")
    where = {tuple(problems.nth(i).locator("td").all_inner_texts()[:3]) for i in range(2)}
    assert where == {("staff.csv", "3", "Email"), ("staff.csv", "4", "Start date")}
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)
    axe.check(page)
    assert not User.objects.filter(email__endswith=STAFF_DOMAIN).exists()


def test_only_an_administrator_sees_imports_in_the_header(phone, axe):
    world = build_world()
    page = phone.new_page()

    sign_in(page, axe, world.people["teacher"].email)

    header = page.get_by_role("navigation", name="Main")
    expect(header.get_by_role("link", name="My development")).to_be_visible()
    expect(header.get_by_role("link", name="Imports")).to_have_count(0)
    axe.check(page)
    assert page.goto(reverse("rosters:home")).status == 403
