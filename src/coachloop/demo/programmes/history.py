"""The demo's mark history: what the services would have recorded as the demo's submissions
moved through marking, agreement, moderation and release (``programmes.MarkEvent``)."""

import datetime as dt

from coachloop.programmes.models import MarkEvent, ReconciliationProposal, Submission

K = MarkEvent.Kind
DAY = dt.timedelta(days=1)


def add_mark_history(rows):
    """One event per step each submission has taken, written in one go."""
    events = []

    def event(sub, kind, at, actor, **fields):
        events.append(
            MarkEvent(trust=rows.trust, submission=sub, kind=kind, at=at, actor=actor, **fields)
        )

    latest = {}
    for mark in rows.marks:
        event(
            mark.submission,
            K.MARKED,
            mark.submitted_at,
            mark.marker,
            position=mark.position,
            mark=mark.overall,
        )
        latest[mark.submission.pk] = max(
            latest.get(mark.submission.pk, mark.submitted_at), mark.submitted_at
        )
    for proposal in rows.proposals:
        _proposal(event, proposal)
    lead = rows.people["programme-lead"]
    for sub in rows.first_submissions.values():
        marked = latest.get(sub.pk)
        if sub.third_marker_id:
            event(
                sub,
                K.THIRD_MARKER_APPOINTED,
                marked + 3 * DAY,
                lead,
                person=sub.third_marker,
                reason="The markers could not agree: a third tutor settles it.",
            )
        if sub.agreed_mark is None:
            continue
        if sub.agreed_by == Submission.AgreedBy.RECONCILED:
            event(
                sub,
                K.PROPOSED,
                sub.agreed_at - DAY,
                sub.reconciled_by,
                mark=sub.agreed_mark,
                reason=sub.agreed_reason,
            )
            event(
                sub,
                K.CONFIRMED,
                sub.agreed_at,
                sub.confirmed_by,
                mark=sub.agreed_mark,
                reason=sub.agreed_reason,
            )
        else:
            event(
                sub,
                K.AGREED,
                sub.agreed_at,
                sub.second_marker,
                mark=sub.agreed_mark,
                reason=sub.get_agreed_by_display(),
            )
        if sub.in_sample:
            event(sub, K.SAMPLED, marked + 4 * DAY, lead, mark=sub.agreed_mark)
        if sub.moderated_at:
            event(
                sub,
                K.MODERATED,
                sub.moderated_at,
                sub.moderator,
                mark=sub.final_mark,
                previous_mark=sub.agreed_mark,
                reason=sub.moderation_note,
            )
        if sub.released_at:
            event(sub, K.RELEASED, sub.released_at, lead, mark=sub.final_mark)
    MarkEvent.objects.bulk_create(events)


def _proposal(event, proposal):
    sub = proposal.submission
    event(
        sub,
        K.PROPOSED,
        proposal.proposed_at,
        proposal.proposed_by,
        mark=proposal.mark,
        reason=proposal.reason,
    )
    if proposal.outcome == ReconciliationProposal.Outcome.DECLINED:
        event(
            sub,
            K.DECLINED,
            proposal.answered_at,
            proposal.answered_by,
            mark=proposal.mark,
            reason=proposal.answer_note,
        )
