"""The markers' and the moderator's pages on the demo's programme (``demo.programmes``): the
tutor's marking queue, a submission waiting for its first marker's mark (a read that writes
its audit event), the reconcile page, the lead's adjudicate and third-marker pages, the mark
page and queue of a second marker holding their slot, the moderator's sample and one sampled
submission, the tutor's extension page for a teacher still drafting, and the demo coach's
feedback page on a draft."""

from django.urls import reverse

from coachloop.people.models import User
from coachloop.programmes.models import Submission

TUTOR = "tutor@wessex.example.ac.uk"
MODERATOR = "moderator@wessex.example.ac.uk"
COACH = "coach@riverside.example.org"
LEAD = "programme-lead@wessex.example.ac.uk"
S = Submission.Status


def _first(**filters):
    return Submission.objects.filter(**filters).order_by("pk").first()


def pages():
    tutor = User.objects.get(email=TUTOR)
    moderator = User.objects.get(email=MODERATOR)
    coach = User.objects.get(email=COACH)
    lead = User.objects.get(email=LEAD)
    to_mark = _first(first_marker=tutor, status=S.NOT_MARKED) or _first(status=S.NOT_MARKED)
    in_marking = _first(status=S.IN_MARKING)
    sampled = _first(in_sample=True, status=S.IN_REVIEW)
    drafting = _first(enrolment__tutor=tutor, status=S.DRAFTING)
    draft_for_coach = _first(enrolment__coach=coach, status=S.DRAFTING, versions__isnull=False)
    programme = sampled.assignment.module.programme
    with_the_lead = _first(status=S.ADJUDICATION)  # a declined proposal, a third marker asked
    return [
        (tutor, reverse("programmes:marking")),
        # The tutor's finished work, second page (``?done=``: latest first, 10 a page).
        (tutor, reverse("programmes:marking") + "?done=2"),
        (to_mark.first_marker, reverse("programmes:mark", args=[to_mark.pk])),
        (in_marking.first_marker, reverse("programmes:reconcile", args=[in_marking.pk])),
        # The programme lead's pages for deciding a mark and asking a third marker.
        (lead, reverse("programmes:adjudicate", args=[in_marking.pk])),
        (lead, reverse("programmes:third_marker", args=[in_marking.pk])),
        # The second marker holding their slot: their claim on the page.
        (in_marking.second_marker, reverse("programmes:mark", args=[in_marking.pk])),
        (in_marking.second_marker, reverse("programmes:marking")),
        # Marks the markers could not agree: the third marker's page and queue, the lead's page.
        (with_the_lead.third_marker, reverse("programmes:third_mark", args=[with_the_lead.pk])),
        (with_the_lead.third_marker, reverse("programmes:marking")),
        # Marks to agree or settle, second page (``?agree=``: 10 a page).
        (with_the_lead.third_marker, reverse("programmes:marking") + "?agree=2"),
        (lead, reverse("programmes:adjudicate", args=[with_the_lead.pk])),
        (with_the_lead.first_marker, reverse("programmes:reconcile", args=[with_the_lead.pk])),
        (moderator, reverse("programmes:moderation", args=[programme.pk])),
        # The sample's second pages (``?page=`` waiting, ``?done=`` moderated: 25 a page each).
        (moderator, reverse("programmes:moderation", args=[programme.pk]) + "?page=2&done=2"),
        (moderator, reverse("programmes:moderate", args=[sampled.pk])),
        (tutor, reverse("programmes:extension", args=[drafting.pk])),
        (coach, reverse("programmes:feedback", args=[draft_for_coach.pk])),
    ]
