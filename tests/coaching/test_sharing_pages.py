"""Sharing, the pages: the teacher shares an item from its own page, the person it is shared
with reads it through the share (and the teacher sees each read), a stopped or ended share is
a 404 at once, and nobody else's access to the item changes."""

import datetime as dt
import html

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from coachloop.coaching.models import EvidenceItem, Goal, GoalProgress, Reflection, ShareGrant
from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import User

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BODY = "The door routine is working; the last three in from PE still drift."


def text(response):
    return html.unescape(response.content.decode())


def reflection(teacher, trust):
    with scopes_disabled():
        return Reflection.objects.create(
            trust=trust, teacher=teacher, written_on=TODAY, title="Calmer starts", body=BODY
        )


def grant(owner, item, grantee, *, kind="reflection", days=30, revoked=False, title=None):
    with scopes_disabled():
        return ShareGrant.objects.create(
            trust=item.trust,
            owner=owner,
            grantee=grantee,
            item_kind=kind,
            item_id=item.pk,
            item_title=title or getattr(item, "title", "Drop-in"),
            created_at=timezone.now(),
            expires_on=TODAY + dt.timedelta(days=days),
            revoked_at=timezone.now() if revoked else None,
        )


@pytest.fixture
def colleague(world):
    return world.people["other_coach"]


@pytest.fixture
def shared(world, colleague):
    item = reflection(world.own.teacher, world.trust)
    return grant(world.own.teacher, item, colleague)


def share_url(kind, pk):
    return reverse("coaching:share_new", kwargs={"kind": kind, "item_id": pk})


# -- sharing -----------------------------------------------------------------------------------


def test_a_teacher_shares_a_reflection_with_a_colleague_chosen_by_name(client, world, colleague):
    item = reflection(world.own.teacher, world.trust)
    client.force_login(world.own.teacher)
    url = share_url("reflection", item.pk)
    page = text(client.get(url))
    assert "Share “Calmer starts”" in page
    assert "Another Coach" in page and "Teacher a2" in page and "Trust Lead" in page
    assert f'<option value="{world.own.teacher.pk}"' not in page  # not themselves
    assert "Teacher b1" not in page  # nor anyone in another trust
    until = TODAY + dt.timedelta(days=14)
    response = client.post(
        url, {"grantee": colleague.pk, "expires_on": until.isoformat(), "note": "For Friday"}
    )
    assert response.status_code == 302
    assert response.url == reverse("coaching:my_shares")
    with scopes_disabled():
        saved = ShareGrant.objects.get()
    assert (saved.grantee, saved.expires_on, saved.note) == (colleague, until, "For Friday")
    page = text(client.get(response.url))
    assert "Shared with Another Coach until" in page
    assert "Calmer starts" in page and "Stop sharing" in page


def test_another_trusts_person_cannot_be_chosen(client, world):
    item = reflection(world.own.teacher, world.trust)
    client.force_login(world.own.teacher)
    response = client.post(
        share_url("reflection", item.pk),
        {
            "grantee": world.other_trust_records.teacher.pk,
            "expires_on": (TODAY + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Choose someone from the list." in text(response)
    with scopes_disabled():
        assert not ShareGrant.objects.exists()


@pytest.mark.parametrize(
    ("expires_on", "message"),
    [
        (TODAY - dt.timedelta(days=1), "The end date cannot be in the past."),
        (TODAY + dt.timedelta(days=400), "Share for a year at most"),
        (None, "Enter the date the share ends."),
    ],
)
def test_a_bad_end_date_is_shown_again_and_nothing_is_shared(
    client, world, colleague, expires_on, message
):
    item = reflection(world.own.teacher, world.trust)
    client.force_login(world.own.teacher)
    response = client.post(
        share_url("reflection", item.pk),
        {"grantee": colleague.pk, "expires_on": expires_on.isoformat() if expires_on else ""},
    )
    assert response.status_code == 200
    assert message in text(response)
    with scopes_disabled():
        assert not ShareGrant.objects.exists()


def test_the_share_form_is_a_404_for_someone_elses_item_or_an_unknown_kind(client, world):
    item = reflection(world.own.teacher, world.trust)
    client.force_login(world.own.coach)
    assert client.get(share_url("reflection", item.pk)).status_code == 404
    assert client.get(share_url("dropin", world.own.dropin.pk)).status_code == 404
    client.force_login(world.own.teacher)
    assert client.get(share_url("dropin", world.own.dropin.pk)).status_code == 200
    assert client.get(share_url("dropin", world.own.draft.pk)).status_code == 404
    assert client.get(share_url("dropin", world.other_school.dropin.pk)).status_code == 404
    assert client.get(share_url("rehearsal", world.own.rehearsal.pk)).status_code == 404
    assert client.get(share_url("goal", item.pk)).status_code == 404


# -- reading under a share ---------------------------------------------------------------------


def test_the_colleague_reads_the_item_and_the_teacher_sees_the_read(client, world, shared):
    colleague = shared.grantee
    client.force_login(colleague)
    listing = text(client.get(reverse("coaching:shared_with_me")))
    assert "Calmer starts" in listing and "Teacher a1" in listing
    page = text(client.get(reverse("coaching:shared_item", args=[shared.pk])))
    assert BODY in page
    assert "Teacher a1 shared this with you until" in page
    with scopes_disabled():
        event = AuditEvent.objects.get(verb="read")
    assert (event.actor, event.subject) == (colleague, world.own.teacher)
    assert (event.target_type, event.target_id) == ("coaching.reflection", str(shared.item_id))
    assert f"share {shared.pk}" in event.summary
    client.force_login(world.own.teacher)
    audit = text(client.get(reverse("coaching:my_audit")))
    assert "Another Coach" in audit
    assert "you shared “Calmer starts” with them" in audit
    assert "Not your coach" not in audit


def test_a_stopped_share_is_a_404_for_the_colleague_at_once(client, world, shared):
    url = reverse("coaching:shared_item", args=[shared.pk])
    client.force_login(shared.grantee)
    assert client.get(url).status_code == 200
    client.force_login(world.own.teacher)
    response = client.post(reverse("coaching:share_revoke", args=[shared.pk]))
    assert response.status_code == 302
    page = text(client.get(reverse("coaching:my_shares")))
    assert "Another Coach can no longer read “Calmer starts”." in page
    assert "you stopped it on" in page
    client.force_login(shared.grantee)
    assert client.get(url).status_code == 404
    assert "Calmer starts" not in text(client.get(reverse("coaching:shared_with_me")))
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="read").count() == 1


def test_a_share_runs_to_the_end_of_its_last_day_and_is_a_404_after(client, world, colleague):
    item = reflection(world.own.teacher, world.trust)
    last_day = grant(world.own.teacher, item, colleague, days=0)
    ended = grant(world.own.teacher, item, colleague, days=-1)
    client.force_login(colleague)
    assert client.get(reverse("coaching:shared_item", args=[last_day.pk])).status_code == 200
    assert client.get(reverse("coaching:shared_item", args=[ended.pk])).status_code == 404
    client.force_login(world.own.teacher)
    page = text(client.get(reverse("coaching:my_shares")))
    assert "ended on" in page


def test_a_share_is_read_by_its_grantee_only(client, world, shared):
    url = reverse("coaching:shared_item", args=[shared.pk])
    for persona in ("teacher", "coach", "coaching_lead", "headteacher", "trust_lead"):
        client.force_login(world.people[persona])
        assert client.get(url).status_code == 404, persona


def test_a_share_does_not_change_who_else_may_read_the_item(client, world, colleague):
    dropin = world.own.dropin
    shared = grant(world.own.teacher, dropin, colleague, kind="dropin", title="Drop-in")
    client.force_login(colleague)
    assert client.get(reverse("coaching:dropin_detail", args=[dropin.pk])).status_code == 404
    page = text(client.get(reverse("coaching:shared_item", args=[shared.pk])))
    assert dropin.strengths in page
    assert "Drop-in by Coach a1." in page


def test_only_the_teacher_can_stop_their_share(client, world, shared):
    client.force_login(shared.grantee)
    assert client.post(reverse("coaching:share_revoke", args=[shared.pk])).status_code == 404
    client.force_login(world.people["coaching_lead"])
    assert client.post(reverse("coaching:share_revoke", args=[shared.pk])).status_code == 404
    with scopes_disabled():
        shared.refresh_from_db()
    assert shared.revoked_at is None


def test_stopping_a_share_that_has_ended_says_so(client, world, colleague):
    item = reflection(world.own.teacher, world.trust)
    ended = grant(world.own.teacher, item, colleague, days=-3)
    client.force_login(world.own.teacher)
    response = client.post(reverse("coaching:share_revoke", args=[ended.pk]), follow=True)
    assert "This share has already ended." in text(response)


def test_a_goal_is_read_with_its_progress_under_a_share(client, world, colleague):
    with scopes_disabled():
        item = Goal.objects.create(
            trust=world.trust,
            teacher=world.own.teacher,
            title="More pupils explain their reasoning",
            pupils="Year 9 set 3",
            evidence_kinds=["pupil_voice"],
            review_on=TODAY + dt.timedelta(days=30),
            created_at=timezone.now(),
        )
        GoalProgress.objects.create(
            trust=world.trust, goal=item, written_on=TODAY, note="Half the class now do."
        )
    shared = grant(world.own.teacher, item, colleague, kind="goal")
    client.force_login(colleague)
    page = text(client.get(reverse("coaching:shared_item", args=[shared.pk])))
    assert "Year 9 set 3" in page and "Pupil voice" in page and "Half the class now do." in page


def test_a_shared_file_downloads_under_the_share_and_each_download_is_audited(
    client, world, colleague, media
):
    with scopes_disabled():
        item = EvidenceItem(
            trust=world.trust,
            teacher=world.own.teacher,
            kind=EvidenceItem.Kind.FILE,
            title="Exit tickets",
            original_name="exit-tickets.pdf",
            content_type="application/pdf",
            added_on=TODAY,
        )
        item.file.save("x.pdf", ContentFile(b"%PDF-1.4 exit tickets"), save=False)
        item.save()
    shared = grant(world.own.teacher, item, colleague, kind="evidence")
    url = reverse("coaching:shared_item", args=[shared.pk])
    client.force_login(colleague)
    assert "Download exit-tickets.pdf" in text(client.get(url))
    response = client.get(url, {"file": "1"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 exit tickets"
    assert 'filename="exit-tickets.pdf"' in response["Content-Disposition"]
    with scopes_disabled():
        assert AuditEvent.objects.filter(verb="read", subject=world.own.teacher).count() == 2
    reflection_share = grant(
        world.own.teacher, reflection(world.own.teacher, world.trust), colleague
    )
    assert (
        client.get(reverse("coaching:shared_item", args=[reflection_share.pk]), {"file": "1"})
    ).status_code == 404


def test_an_item_no_longer_the_teachers_is_a_404_under_its_old_share(client, world, colleague):
    item = reflection(world.own.teacher, world.trust)
    shared = grant(world.own.teacher, item, colleague)
    with scopes_disabled():
        other_teacher = User.objects.get(email="teacher-a2@example.org")
        Reflection.objects.filter(pk=item.pk).update(teacher=other_teacher)
    client.force_login(colleague)
    assert client.get(reverse("coaching:shared_item", args=[shared.pk])).status_code == 404


def test_my_shares_lists_what_runs_now_and_what_has_ended(client, world, colleague):
    item = reflection(world.own.teacher, world.trust)
    grant(world.own.teacher, item, colleague, title="Running share")
    grant(world.own.teacher, item, colleague, days=-2, title="Ran out share")
    grant(world.own.teacher, item, colleague, revoked=True, title="Stopped share")
    grant(world.other_school.teacher, item, colleague, title="Someone else's share")
    client.force_login(world.own.teacher)
    response = client.get(reverse("coaching:my_shares"))
    shares = response.context["shares"]
    assert [g.item_title for g in shares.active] == ["Running share"]
    assert {g.item_title for g in shares.ended} == {"Ran out share", "Stopped share"}
    assert "Someone else's share" not in text(response)
