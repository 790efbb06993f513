"""The coaching pages: bad input, other schools' ids, edits in two places, the audit trail."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching import services
from coachloop.coaching.models import ActionStep, DropIn, Rehearsal
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled, trust_scope
from tests.coaching.posts import dropin_post

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def count(model):
    with scopes_disabled():
        return model.objects.count()


@pytest.fixture
def coach_client(client, world):
    client.force_login(world.own.coach)
    return client


def test_a_coach_records_a_drop_in_and_lands_on_the_saved_page(coach_client, world):
    url = reverse("coaching:dropin_new", args=[world.own.relationship.pk])
    response = coach_client.post(url, dropin_post())
    with scopes_disabled():
        dropin = DropIn.objects.filter(is_draft=False).latest("pk")
    assert response.status_code == 302
    assert response.url == reverse("coaching:dropin_saved", args=[dropin.pk])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("strengths", "", "Enter at least one thing that went well."),
        ("strengths", "   ", "Enter at least one thing that went well."),
        ("class_or_group", "", "Enter the class or group you visited."),
        ("class_or_group", "x" * 81, "at most 80 characters"),
        ("strengths", "x" * 4001, "at most 4000 characters"),
        ("minutes", "0", "Enter at least 1 minute."),
        ("minutes", "121", "Enter 120 minutes or fewer."),
        ("minutes", "lots", "Enter the minutes as a whole number, for example 15."),
        ("minutes", "", "Enter how many minutes you were in the lesson."),
        ("visited_on", "", "Enter the date of the visit."),
        ("visited_on", (TODAY + dt.timedelta(days=1)).isoformat(), "cannot be in the future"),
        ("visited_on", "31/02/2026", "Enter a valid date."),
        ("followup", "", "Say whether the current step was visible."),
    ],
)
def test_bad_drop_in_input_gets_a_clear_message_and_saves_nothing(
    coach_client, world, field, value, message
):
    before = count(DropIn)
    url = reverse("coaching:dropin_new", args=[world.own.relationship.pk])
    response = coach_client.post(url, dropin_post(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert count(DropIn) == before


def test_a_drop_in_for_another_schools_teacher_is_not_found(coach_client, world):
    before = count(DropIn)
    for records in (world.other_school, world.other_trust_records):
        url = reverse("coaching:dropin_new", args=[records.relationship.pk])
        assert coach_client.post(url, dropin_post()).status_code == 404
    assert count(DropIn) == before


def test_a_tampered_id_in_a_url_is_a_404_not_an_error(coach_client):
    for name, kwargs in [
        ("coaching:coachee", {"relationship_id": 999999}),
        ("coaching:dropin_detail", {"dropin_id": 999999}),
        ("coaching:rehearsal_log", {"rehearsal_id": 999999}),
    ]:
        assert coach_client.get(reverse(name, kwargs=kwargs)).status_code == 404
    assert coach_client.get("/coach/teachers/not-a-number/").status_code == 404


def test_another_trusts_framework_step_in_a_form_post_is_refused(coach_client, world):
    before = count(ActionStep)
    url = reverse("coaching:step_set", args=[world.own.relationship.pk])
    response = coach_client.post(
        url,
        {
            "framework_step": world.other_trust_records.framework_step.pk,
            "success_looks_like": "Visible in the lesson.",
            "previous_outcome": "embedded",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert count(ActionStep) == before


def test_a_coach_sets_a_step_from_the_framework(coach_client, world):
    url = reverse("coaching:step_set", args=[world.own.relationship.pk])
    response = coach_client.post(
        url,
        {
            "framework_step": world.own.framework_step.pk,
            "success_looks_like": "Silence within five seconds.",
            "previous_outcome": "moved_on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        current = ActionStep.objects.get(
            relationship=world.own.relationship, closed_on__isnull=True
        )
    assert current.title == world.own.framework_step.title
    assert current.status == ActionStep.Status.REVISITED


def test_a_rehearsal_cannot_be_logged_in_the_future(client, world):
    client.force_login(world.own.teacher)
    url = reverse("coaching:rehearsal_log", args=[world.own.rehearsal.pk])
    response = client.post(
        url, {"done_on": (TODAY + dt.timedelta(days=2)).isoformat(), "how_it_went": "Fine"}
    )
    assert "future date" in response.content.decode()
    with scopes_disabled():
        assert Rehearsal.objects.get(pk=world.own.rehearsal.pk).done_on is None


def test_an_edit_made_elsewhere_first_is_shown_beside_mine_and_nothing_is_lost(coach_client, world):
    dropin = world.own.dropin
    url = reverse("coaching:dropin_edit", args=[dropin.pk])
    phone = dropin_post(strengths="Typed on the phone", version=str(dropin.version))
    laptop = dropin_post(strengths="Typed on the laptop", version=str(dropin.version))
    assert coach_client.post(url, phone).status_code == 302
    response = coach_client.post(url, laptop)
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed and saved somewhere else (another tab or device)" in page
    assert "Typed on the phone" in page and "Typed on the laptop" in page
    with scopes_disabled():
        assert DropIn.objects.get(pk=dropin.pk).strengths == "Typed on the phone"
    # Saving again, knowingly, applies the laptop's version.
    again = dict(laptop, version=str(dropin.version + 1))
    assert coach_client.post(url, again).status_code == 302
    with scopes_disabled():
        assert DropIn.objects.get(pk=dropin.pk).strengths == "Typed on the laptop"


def test_marking_a_step_with_htmx_sends_back_only_its_card(coach_client, world):
    url = reverse("coaching:step_status", args=[world.own.step.pk])
    response = coach_client.post(url, {"status": "embedded"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    card = response.content.decode()
    assert 'id="current-step"' in card and "<html" not in card
    assert "Step marked as embedded." in card
    assert 'value="embedded"' not in card  # the button for the status it now has is gone
    world.own.step.refresh_from_db()
    assert world.own.step.status == ActionStep.Status.EMBEDDED


def test_the_step_card_sent_back_with_htmx_is_a_read_in_the_teachers_trail(coach_client, world):
    url = reverse("coaching:step_status", args=[world.own.step.pk])
    response = coach_client.post(url, {"status": "embedded"}, headers={"HX-Request": "true"})
    assert world.own.rehearsal.plan in response.content.decode()
    with scopes_disabled():
        read = AuditEvent.objects.get(verb="read")
    assert (read.actor, read.subject) == (world.own.coach, world.own.teacher)
    assert (read.target_type, read.target_id) == ("coaching.actionstep", str(world.own.step.pk))


def test_marking_a_step_without_htmx_goes_back_to_the_page_with_a_message(coach_client, world):
    url = reverse("coaching:step_status", args=[world.own.step.pk])
    response = coach_client.post(url, {"status": "practising"}, follow=True)
    assert "Step marked as practising." in response.content.decode()


def test_a_bad_status_with_htmx_reloads_the_page_to_say_so_and_changes_nothing(coach_client, world):
    before = world.own.step.status
    url = reverse("coaching:step_status", args=[world.own.step.pk])
    response = coach_client.post(url, {"status": "outstanding"}, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == reverse(
        "coaching:coachee", args=[world.own.relationship.pk]
    )
    page = coach_client.get(response.headers["HX-Redirect"]).content.decode()
    assert "Choose practising or embedded." in page
    world.own.step.refresh_from_db()
    assert world.own.step.status == before


def test_the_draft_endpoint_keeps_what_was_typed(coach_client, world):
    key = str(uuid.uuid4())
    url = reverse("coaching:dropin_draft", args=[world.own.relationship.pk])
    response = coach_client.post(
        url, {"uuid": key, "strengths": "Half a thought", "minutes": "not yet"}
    )
    assert response.status_code == 200
    assert "Draft saved" in response.content.decode()
    with scopes_disabled():
        draft = DropIn.objects.get(uuid=key)
    assert draft.is_draft and draft.strengths == "Half a thought"
    # Reloading the form brings the draft back.
    page = coach_client.get(reverse("coaching:dropin_new", args=[world.own.relationship.pk]))
    assert "Half a thought" in page.content.decode()


def test_every_read_of_a_teachers_record_by_someone_else_is_listed_for_them(client, world):
    client.force_login(world.own.coach)
    client.get(reverse("coaching:dropin_detail", args=[world.own.dropin.pk]))
    client.get(reverse("coaching:coachee", args=[world.own.relationship.pk]))
    with scopes_disabled():
        reads = AuditEvent.objects.filter(subject=world.own.teacher, verb="read")
        assert reads.count() == 2
    client.force_login(world.own.teacher)
    client.get(reverse("coaching:dropin_detail", args=[world.own.dropin.pk]))
    with scopes_disabled():
        assert AuditEvent.objects.filter(subject=world.own.teacher, verb="read").count() == 2
    page = client.get(reverse("coaching:my_audit")).content.decode()
    assert world.own.coach.full_name in page
    assert "drop-in of" in page


def test_the_coaching_lead_sees_activity_but_no_notes(client, world):
    client.force_login(world.people["coaching_lead"])
    page = client.get(reverse("coaching:lead_home", args=["a1"])).content.decode()
    assert world.own.teacher.full_name in page
    assert world.own.step.title in page
    assert world.own.dropin.noticed not in page
    assert world.own.dropin.strengths not in page
    assert world.other_school.teacher.full_name not in page


def test_coach_home_shows_overdue_and_recently_seen_teachers(client, world):
    client.force_login(world.own.coach)
    page = client.get(reverse("coaching:coach_home")).content.decode()
    assert world.own.teacher.full_name in page
    assert "2 days ago" in page
    assert world.own.step.title in page


def test_password_reset_sends_an_email_with_a_working_link(client, world, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": world.own.teacher.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    page = form_page.content.decode()
    assert "Choose your password" in page and "Enter the password again" in page
    assert mailoutbox[0].subject == "Reset your Coachloop password"
    mismatch = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase-42", "new_password2": "something-else-42"},
    )
    assert "The two passwords are not the same." in mismatch.content.decode()
    assert mismatch.content.decode().count('class="govuk-input govuk-input--error"') == 1
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a-brand-new-passphrase-42",
            "new_password2": "a-brand-new-passphrase-42",
        },
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("login"),
        {"login": world.own.teacher.email, "password": "a-brand-new-passphrase-42"},
    )
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session
    used_again = client.get(path, follow=True).content.decode()
    assert "This link has expired or has already been used" in used_again


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Enter your email address"), ("nobody", "Enter an email address in the correct format")],
)
def test_asking_for_a_password_link_without_a_proper_address_says_what_to_do(
    client, email, message, mailoutbox
):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert mailoutbox == []


def test_signing_in_is_by_email_and_a_wrong_password_says_so(client, world):
    response = client.post(
        reverse("login"),
        {"login": world.own.coach.email.upper(), "password": "a-long-test-passphrase"},
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("login"), {"login": world.own.coach.email, "password": "wrong"})
    assert "Enter the email address and password" in response.content.decode()


def test_the_drop_in_form_offers_the_classes_visited_lately(coach_client, world):
    page = coach_client.get(reverse("coaching:dropin_new", args=[world.own.relationship.pk]))
    html = page.content.decode()
    assert f'<option value="{world.own.dropin.class_or_group}">' in html
    assert 'list="recent-classes"' in html


def test_a_coach_deletes_an_unfinished_drop_in_after_being_asked(coach_client, world):
    relationship = world.own.relationship
    form_page = coach_client.get(reverse("coaching:dropin_new", args=[relationship.pk]))
    assert "Delete this unfinished drop-in" in form_page.content.decode()
    url = reverse("coaching:dropin_draft_discard", args=[relationship.pk])
    confirm = coach_client.get(url).content.decode()
    assert "Delete the unfinished drop-in?" in confirm and "half typed" in confirm
    response = coach_client.post(url, follow=True)
    assert "The unfinished drop-in was deleted." in response.content.decode()
    with scopes_disabled():
        assert not DropIn.objects.filter(relationship=relationship, is_draft=True).exists()
        assert DropIn.objects.filter(pk=world.own.dropin.pk).exists()  # recorded ones stay
        assert AuditEvent.objects.filter(verb="dropin.draft_discarded").count() == 1
    home = coach_client.get(reverse("coaching:coachee", args=[relationship.pk])).content.decode()
    assert "Record a drop-in" in home and "Finish drop-in" not in home


def test_with_no_unfinished_drop_in_there_is_nothing_to_delete(coach_client, world):
    with scopes_disabled():
        DropIn.objects.filter(is_draft=True).delete()
    url = reverse("coaching:dropin_draft_discard", args=[world.own.relationship.pk])
    response = coach_client.post(url)
    assert response.status_code == 302
    with scopes_disabled():
        assert DropIn.objects.filter(pk=world.own.dropin.pk).exists()


def test_coaching_that_ended_lately_is_listed_to_read_but_not_change(coach_client, world):
    with trust_scope(world.trust):
        services.relationship_end(
            actor=world.people["administrator"], relationship=world.own.relationship
        )
    home = coach_client.get(reverse("coaching:coach_home")).content.decode()
    assert "Coaching that ended recently" in home
    assert world.own.teacher.full_name in home
    record = coach_client.get(reverse("coaching:coachee", args=[world.own.relationship.pk]))
    html = record.content.decode()
    assert record.status_code == 200 and "Record a drop-in" not in html
    assert "Its record can still be read for a while, but not changed." in html


def test_signing_out_says_so_on_the_sign_in_page(coach_client):
    page = coach_client.post(reverse("logout"), follow=True)
    assert page.request["PATH_INFO"] == reverse("login")
    assert "You have signed out." in page.content.decode()
