"""Erasing a person on request: nothing of theirs is left, in any app or in storage; what they
wrote about others stays under a pseudonym; the audit trail keeps every row and names nobody."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from coachloop.coaching.models import DropIn, EvidenceItem, Goal, Relationship
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from coachloop.people.erasure import person_erase
from coachloop.people.erasures import Erasure
from coachloop.people.models import ExternalId, Membership, Role, User
from coachloop.programmes.models import Enrolment, SubmissionFile
from tests.people.personal_data_helpers import THEIRS, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(media):
    return build(media)


def _texts_naming(needles):
    """Every row, in every table, with a text or JSON value holding one of ``needles``."""
    found = []
    with scopes_disabled():
        for model in apps.get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
                and not isinstance(f, models.FileField)
            ]
            for row in model._default_manager.values_list("pk", *fields):
                text = str(row[1:]).lower()
                found += [(model._meta.label, row[0]) for n in needles if n.lower() in text]
    return found


def _erase(demo, person, reason="Asked for erasure by email."):
    with trust_scope(demo.trust):
        return person_erase(
            actor=demo.administrator, trust=demo.trust, person=person, reason=reason
        )


def _stored_files(media):
    return {p for p in Path(media).rglob("*") if p.is_file()}


def test_erasing_a_teacher_leaves_nothing_of_theirs(
    demo, media, django_capture_on_commit_callbacks
):
    teacher = demo.teacher
    name, email = teacher.full_name, teacher.email
    with scopes_disabled():
        files = {Path(e.file.path) for e in EvidenceItem.objects.filter(teacher=teacher) if e.file}
        files |= {
            Path(f.file.path)
            for f in SubmissionFile.objects.filter(version__submission__enrolment__teacher=teacher)
        }
        events_before = set(AuditEvent.objects.values_list("pk", flat=True))
    assert files and files <= _stored_files(media)
    AccessAttempt.objects.create(  # a mistyped password, kept by the address typed
        username=email,
        ip_address="192.0.2.1",
        user_agent="phone",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=1,
    )
    with scopes_disabled():
        ExternalId.objects.update_or_create(
            trust=demo.trust,
            person=teacher,
            kind=ExternalId.Kind.ONEROSTER,
            defaults={"value": "rl-00005q"},
        )
        for summary in ("OneRoster sourcedId: rl-00005q", "OneRoster sourcedId: rl-00004q"):
            AuditEvent.objects.create(
                trust=demo.trust,
                subject=teacher,
                verb="identifier.set",
                target_type="people.externalid",
                target_id="1",
                summary=summary,
            )
        events_before = set(AuditEvent.objects.values_list("pk", flat=True))
    assert _texts_naming([name, email, "rl-00005q", "rl-00004q"])

    with django_capture_on_commit_callbacks(execute=True):
        erasure = _erase(demo, teacher)

    with scopes_disabled():
        assert not Relationship.objects.filter(teacher=teacher).exists()
        assert not DropIn.objects.filter(noticed=THEIRS).exists()
        assert not Goal.objects.filter(teacher=teacher).exists()
        assert not EvidenceItem.objects.filter(teacher=teacher).exists()
        assert not Enrolment.objects.filter(teacher=teacher).exists()
        assert not Membership.objects.filter(user=teacher, finished_on__isnull=True).exists()
        # The audit trail: every row still there, one more for the erasure, none naming them.
        events_after = set(AuditEvent.objects.values_list("pk", flat=True))
        assert events_before < events_after and len(events_after - events_before) == 1
    assert not files & _stored_files(media)
    assert _texts_naming([name, email, "rl-00005q", "rl-00004q"]) == []
    teacher.refresh_from_db()
    assert teacher.full_name == f"Erased person #{teacher.pk}"
    assert teacher.email.endswith(".invalid")
    assert not teacher.is_active and not teacher.has_usable_password()
    assert not EmailAddress.objects.filter(user=teacher).exists()
    kinds = {kind for _app, kind, _n in erasure.counts}
    assert {"Drop-ins", "Goals", "Submissions", "Roles ended"} <= kinds


def test_what_a_coach_wrote_about_a_teacher_stays_under_a_pseudonym(demo):
    coach = demo.coach
    with scopes_disabled():
        coached = list(Relationship.objects.filter(coach=coach).values_list("pk", flat=True))
        dropins = DropIn.objects.filter(relationship__coach=coach).count()
    _erase(demo, coach)
    with scopes_disabled():
        assert list(Relationship.objects.filter(coach=coach).values_list("pk", flat=True)) == (
            coached
        )
        assert DropIn.objects.filter(relationship__coach=coach).count() == dropins
        assert Relationship.objects.get(pk=coached[0]).coach.full_name.startswith("Erased person")


def test_audit_summaries_that_named_them_are_rewritten(demo):
    teacher = demo.teacher
    with scopes_disabled():
        AuditEvent.objects.create(
            trust=demo.trust,
            actor=demo.administrator,
            subject=teacher,
            verb="membership.started",
            target_type="people.membership",
            target_id="1",
            summary=f"{teacher.full_name} – Teacher – Riverside",
        )
    _erase(demo, teacher)
    with scopes_disabled():
        assert AuditEvent.objects.filter(
            summary=f"Erased person #{teacher.pk} – Teacher – Riverside"
        )


def test_an_administrator_may_not_erase_themself(demo):
    with pytest.raises(ValidationError, match="cannot erase yourself"):
        _erase(demo, demo.administrator)


def test_the_trusts_last_administrator_may_not_be_erased(demo):
    with scopes_disabled():
        other = Membership.objects.filter(trust=demo.trust, role=Role.ADMINISTRATOR).exclude(
            user=demo.administrator
        )
        assert not other.exists()
    # An operator (no actor) asked to erase them is refused too.
    with trust_scope(demo.trust), pytest.raises(ValidationError, match="only administrator"):
        person_erase(actor=None, trust=demo.trust, person=demo.administrator, reason="x")


def test_a_reason_is_needed_and_nothing_changes_without_one(demo):
    with pytest.raises(ValidationError, match="Enter why"):
        _erase(demo, demo.teacher, reason="  ")
    demo.teacher.refresh_from_db()
    assert demo.teacher.is_active
    with scopes_disabled():
        assert not Erasure.objects.exists()


def test_the_pages_erase_and_show_the_report(demo, client):
    client.force_login(demo.administrator)
    url = reverse("person_erase", args=[demo.teacher.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": "Asked by email."})
    assert "Confirm that you understand" in refused.content.decode()
    response = client.post(url, {"reason": "Asked by email.", "confirm": "on"})
    with scopes_disabled():
        erasure = Erasure.objects.get()
    assert response.url == reverse("erasure_report", args=[erasure.pk])
    page = client.get(response.url).content.decode()
    assert "Drop-ins" in page and "Erased person" in page
    body = client.get(reverse("erasure_report_csv", args=[erasure.pk])).content
    header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    assert body.startswith("\ufeff".encode())
    assert header[:4] == ["Person", "Erased at", "Erased by", "Reason"]
    assert any(row[5] == "Drop-ins" and int(row[6]) >= 1 for row in rows), rows
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("erasure_report_xlsx", args=[erasure.pk])).content)
    )
    counts = [row[6] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert counts and all(isinstance(n, int) for n in counts)
    assert client.get(url).status_code == 200  # says they have been erased
    assert "already been erased" in client.get(url).content.decode()


def test_the_report_is_in_the_audit_trail(demo):
    erasure = _erase(demo, demo.teacher)
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="person.erased")
    assert event.subject_id == demo.teacher.pk and event.target_id == str(erasure.pk)
    assert event.summary.endswith("records erased")


def test_the_user_model_is_still_protected(demo):
    """Nothing deletes a person: their row stays for the audit trail to point at."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    assert AuditEvent._meta.get_field("actor").remote_field.model is user_model
    assert AuditEvent._meta.get_field("actor").remote_field.on_delete is models.PROTECT


def test_erasing_twice_at_once_makes_one_erasure(demo):
    """The second of two submissions (a double click, two administrators) was checked against
    a person not yet erased; once it holds the lock it finds them erased and changes nothing."""
    stale = User.objects.get(pk=demo.teacher.pk)
    _erase(demo, demo.teacher)
    with trust_scope(demo.trust), pytest.raises(ValidationError, match="already been erased"):
        person_erase(actor=demo.administrator, trust=demo.trust, person=stale, reason="Again.")
    with scopes_disabled():
        assert Erasure.objects.count() == 1
        assert AuditEvent.objects.filter(verb="person.erased").count() == 1


def test_a_second_post_of_the_erase_form_makes_no_second_erasure(demo, client):
    client.force_login(demo.administrator)
    url = reverse("person_erase", args=[demo.teacher.pk])
    form = {"reason": "Asked by email.", "confirm": "on"}
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)
    assert again.status_code == 200 and "already been erased" in again.content.decode()
    with scopes_disabled():
        assert Erasure.objects.count() == 1


def test_erasing_a_coach_ends_the_coaching_they_give_and_lists_what_needs_a_new_tutor(demo):
    coach = demo.coach
    with scopes_disabled():
        running = list(
            Relationship.objects.filter(coach=coach, finished_on__isnull=True)
            .exclude(teacher=coach)
            .values_list("pk", flat=True)
        )
        Enrolment.objects.filter(teacher=demo.teacher).update(tutor=coach)
    assert running
    erasure = _erase(demo, coach)
    with scopes_disabled():
        assert not Relationship.objects.filter(pk__in=running, finished_on__isnull=True).exists()
        assert AuditEvent.objects.filter(
            verb="relationship.ended", target_id__in=[str(pk) for pk in running]
        ).exists()
    kinds = {kind: n for _app, kind, n in erasure.counts}
    assert kinds["Coaching they gave ended"] >= 1
    assert kinds["Still to do: enrolments that need a new tutor or coach"] >= 1


def test_the_records_erased_leave_out_what_is_still_to_do(demo, client):
    with scopes_disabled():
        Enrolment.objects.filter(teacher=demo.teacher).update(tutor=demo.coach)
    erasure = _erase(demo, demo.coach)
    erased = sum(n for _app, kind, n in erasure.counts if not kind.startswith("Still to do:"))
    to_do = sum(n for _app, kind, n in erasure.counts if kind.startswith("Still to do:"))
    assert to_do >= 1
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="person.erased")
    assert event.summary == f"{erased} records erased"
    client.force_login(demo.administrator)
    page = client.get(reverse("erasure_report", args=[erasure.pk])).content.decode()
    assert f"{erased} records erased" in page
    assert f"{erased + to_do} records erased" not in page


def test_the_admin_sites_history_of_changes_to_them_names_them_no_more(demo):
    """Another administrator's edits to the person, in Django's admin log, named them in the
    row's title and its message: both now carry the pseudonym, and the rows stay."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    teacher = demo.teacher
    name = teacher.full_name
    LogEntry.objects.create(
        user=demo.administrator,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(teacher.pk),
        object_repr=teacher.full_name,
        action_flag=CHANGE,
        change_message=f'[{{"changed": {{"name": "{teacher.full_name}"}}}}]',
    )
    before = LogEntry.objects.count()
    _erase(demo, teacher)
    assert LogEntry.objects.count() == before
    entry = LogEntry.objects.get(object_id=str(teacher.pk), user=demo.administrator)
    assert entry.object_repr == f"Erased person #{teacher.pk}"
    assert name not in entry.change_message and "Erased person" in entry.change_message
    assert _texts_naming([name]) == []


def test_the_erase_form_sent_twice_with_its_token_goes_to_the_one_report(demo, client):
    client.force_login(demo.administrator)
    url = reverse("person_erase", args=[demo.teacher.pk])
    token = re.search(r'name="form_token" value="([^"]+)"', client.get(url).content.decode())[1]
    form = {"reason": "Asked by email.", "confirm": "on", "form_token": token}
    first = client.post(url, form)
    second = client.post(url, form)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    with scopes_disabled():
        assert Erasure.objects.count() == 1
