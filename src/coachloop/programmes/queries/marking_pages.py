"""Reads for the markers' and the moderator's pages.

- A marker (a tutor or a coach named first or second marker) sees their queue across
  programmes, and on one submission the teacher's final work, the criteria and the bands; the
  marks themselves come from ``queries.assessment.assessment_for`` so blind marking holds.
- A programme's moderator sees its sampled submissions and, on one of them, the work and both
  marks.
- The teacher's tutor (extensions) and their coach or tutor (feedback on drafts) see the
  submission's history.

Anyone else gets a 404: the submission is not theirs to know about. Every read of a teacher's
work by someone else is in the teacher's audit trail.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from coachloop.common.audit import audit_read
from coachloop.common.links import RowLink
from coachloop.programmes.models import (
    Assignment,
    Enrolment,
    Feedback,
    Mark,
    MarkClaim,
    Programme,
    ProgrammeStaff,
    ReconciliationProposal,
    Submission,
    SubmissionVersion,
)
from coachloop.programmes.queries.assessment import Assessment, assessment_for
from coachloop.programmes.rules import holds
from coachloop.programmes.services.claims import MARKING, slot_of
from coachloop.programmes.services.marking import (
    bands_apart,
    beyond_tolerance,
    needs_reconciling,
    waiting_to_agree,
)

# A page of each list. A marker works through a few submissions at a sitting, earliest due
# first, and the counts above the lists say how many more wait; ten of each is a sitting's
# work and reads at a glance on a phone. Done work is a look back at the latest few, in a
# compact table (each row links to the submission, its marks and moderation in full).
TO_MARK_SHOWN = 10  # submissions waiting for the viewer's mark, a page at a time
IN_HAND_SHOWN = 10  # marks to agree or to settle, together a page at a time, by due date
DONE_SHOWN = 10  # work done on the viewer's part, a page at a time, latest handed in first
AWAITING_SHOWN = 25  # sampled work waiting for the moderator, a page at a time, by due date
MODERATED_SHOWN = 25  # sampled work moderated, a page at a time, the latest moderated first


@dataclass
class QueueRow:
    submission: Submission
    position: str  # Mark.Position: which marker the viewer is
    status: str  # the submission's status, as the page words it
    claimed_by: object | None  # who holds the viewer's slot now (None when nobody does)
    claimed_until: dt.datetime | None
    claimed_by_me: bool
    # The open proposal of an agreed mark, and whether it waits for the viewer to answer it.
    proposal: object | None = None
    proposal_for_me: bool = False
    # The page the card or row opens (marking, agreeing or settling it), and for work to mark
    # the forms that claim it or give the claim up.
    link: str = ""
    claim_link: str = ""
    give_up_link: str = ""


class QueueLinks:
    """The routes a queue's cards and rows link to, each reversed once a page."""

    def __init__(self):
        self.mark = RowLink("programmes:mark")
        self.reconcile = RowLink("programmes:reconcile")
        self.third_mark = RowLink("programmes:third_mark")
        self.claim = RowLink("programmes:claim")
        self.give_up = RowLink("programmes:claim_give_up")


@dataclass
class Queue:
    to_mark: list = field(default_factory=list)
    to_reconcile: list = field(default_factory=list)
    to_settle: list = field(default_factory=list)  # the viewer marks these third
    done: list = field(default_factory=list)
    # Pages: ``to_mark`` and ``done`` are shown a page at a time (their page numbers, and
    # whether there is a next page); so are marks to agree and to settle, together ("in hand").
    to_mark_page: int = 1
    more_to_mark: bool = False
    done_page: int = 1
    more_done: bool = False
    in_hand_page: int = 1
    more_in_hand: bool = False

    @property
    def is_empty(self):
        """Nothing at all to show (a later page is never empty: it has a way back)."""
        first_pages = self.to_mark_page == self.done_page == self.in_hand_page == 1
        return first_pages and not (
            self.to_mark or self.to_reconcile or self.to_settle or self.done
        )

    @property
    def to_mark_figure(self):
        """How many wait for the viewer's mark, as far as the pages read know: exact unless
        ``more_to_mark`` (then "more than" this)."""
        return (self.to_mark_page - 1) * TO_MARK_SHOWN + len(self.to_mark)

    @property
    def in_hand_paged(self):
        """Marks to agree or settle fill more than one page: their counts are of this page."""
        return self.in_hand_page > 1 or self.more_in_hand

    @property
    def in_hand_figure(self):
        """How many marks to agree or settle, as far as the pages read know: exact unless
        ``more_in_hand`` (then "more than" this)."""
        shown = len(self.to_reconcile) + len(self.to_settle)
        return (self.in_hand_page - 1) * IN_HAND_SHOWN + shown

    @property
    def proposals_for_me(self):
        return sum(1 for row in self.to_reconcile if row.proposal_for_me)


def _base(queryset):
    return queryset.select_related(
        "assignment__module__programme",
        "enrolment__teacher",
        "reconciled_by",
        "moderator",
    )


# What a card or a row of the queue shows, and no more: the teacher, the assignment (and its
# programme on a card), when the work came in, which marker the viewer is, and (done work) the
# mark once agreed. The names come as columns of the submission's row rather than as the
# related objects, which the queue does not otherwise use.
_CARD_FIELDS = (
    "status",
    "submitted_at",
    "is_late",
    "first_marker_id",
    "second_marker_id",
    "third_marker_id",
)
_MARK_FIELDS = ("agreed_mark", "moderated_mark", "corrected_mark", "mark_cap")


def _cards(queryset):
    return queryset.only(*_CARD_FIELDS).annotate(
        teacher_name=F("enrolment__teacher__full_name"),
        assignment_title=F("assignment__title"),
        programme_title=F("assignment__module__programme__title"),
    )


def _done_rows(queryset):
    return queryset.only(*_CARD_FIELDS, *_MARK_FIELDS).annotate(
        teacher_name=F("enrolment__teacher__full_name"),
        assignment_title=F("assignment__title"),
    )


def _live_claims(now):
    return Prefetch(
        "claims",
        queryset=MarkClaim.objects.filter(claimed_until__gt=now)
        .select_related("marker")
        .only("submission", "position", "claimed_until", "marker__full_name"),
        to_attr="live_claims",
    )


def _row(viewer, submission, statuses, links):
    position = slot_of(viewer, submission)
    # Who holds the viewer's own slot: the viewer, or (after a replacement) someone else.
    claims = getattr(submission, "live_claims", ())
    held = next((c for c in claims if c.position == position), None)
    opens = links.third_mark if position == Mark.Position.THIRD else links.mark
    return QueueRow(
        submission=submission,
        position=position,
        status=statuses[submission.status],
        claimed_by=held.marker if held else None,
        claimed_until=held.claimed_until if held else None,
        claimed_by_me=held is not None and held.marker_id == viewer.pk,
        link=opens(submission.pk),
    )


def _to_mark_row(viewer, submission, statuses, links):
    row = _row(viewer, submission, statuses, links)
    row.claim_link = links.claim(submission.pk)
    row.give_up_link = links.give_up(submission.pk)
    return row


def _page_number(value):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _has_mark(position):
    return Exists(Mark.objects.filter(submission=OuterRef("pk"), position=position))


def marking_queue(viewer, *, now=None, to_mark_page=1, done_page=1, in_hand_page=1):
    """The submissions the viewer marks, first, second or third, grouped by what needs doing:
    their mark (a page at a time, by due date), the markers' agreed mark (with any open
    proposal) or a third mark to settle it (these two together a page at a time, by due date),
    or nothing (done: a page at a time, latest handed in first, whether finished or waiting
    for someone else).

    Each group is read apart in SQL, and the paged ones one more row than shown (for the
    "next" link) rather than counted, so the page costs the same whatever the marker's history.
    """
    now = now or timezone.now()
    to_mark_page, done_page = _page_number(to_mark_page), _page_number(done_page)
    in_hand_page = _page_number(in_hand_page)
    S = Submission.Status
    me = viewer.pk
    first_or_second = Q(first_marker_id=me) | Q(second_marker_id=me)
    # Which marks are in, named once for the three reads below (each reads only those its
    # conditions name).
    submissions = Submission.objects.alias(
        first_in=_has_mark(Mark.Position.FIRST),
        second_in=_has_mark(Mark.Position.SECOND),
        third_in=_has_mark(Mark.Position.THIRD),
    )
    # Waiting for the viewer's own mark as first or second marker. The marks the viewer gave
    # are read as a set (``NOT IN``) rather than a ``NOT EXISTS`` per row: PostgreSQL would turn
    # that into one more join to plan, which doubled the planning time of the list to mark.
    marked_by_me = Mark.objects.filter(marker_id=me).values("submission_id")
    waiting_for_me = Q(status__in=MARKING) & ~Q(pk__in=marked_by_me) & first_or_second
    # Both marks in and not agreed (``waiting_to_agree``), or a third mark the lead asked for.
    to_reconcile = first_or_second & Q(
        status=S.IN_MARKING, agreed_mark__isnull=True, first_in=True, second_in=True
    )
    to_settle = Q(third_marker_id=me, status=S.ADJUDICATION, third_in=False) & ~first_or_second
    queue = Queue(to_mark_page=to_mark_page, done_page=done_page, in_hand_page=in_hand_page)
    start = (to_mark_page - 1) * TO_MARK_SHOWN
    to_mark = list(
        _cards(submissions.filter(waiting_for_me)).order_by(
            "assignment__due_at", "submitted_at", "pk"
        )[start : start + TO_MARK_SHOWN + 1]
    )
    queue.more_to_mark = len(to_mark) > TO_MARK_SHOWN
    to_mark = to_mark[:TO_MARK_SHOWN]
    start = (in_hand_page - 1) * IN_HAND_SHOWN
    in_hand = list(
        _cards(submissions.filter(to_reconcile | to_settle)).order_by(
            "assignment__due_at", "submitted_at", "pk"
        )[start : start + IN_HAND_SHOWN + 1]
    )
    queue.more_in_hand = len(in_hand) > IN_HAND_SHOWN
    in_hand = in_hand[:IN_HAND_SHOWN]
    # One read of proposals and one of claims for both lists (a page's queries stay the same
    # whichever of the two is empty).
    prefetch_related_objects(
        [*to_mark, *in_hand],
        Prefetch(
            "proposals",
            queryset=ReconciliationProposal.objects.filter(
                outcome=ReconciliationProposal.Outcome.OPEN
            )
            .select_related("proposed_by")
            .only("submission", "mark", "proposed_by__full_name"),
            to_attr="open_proposals",
        ),
        _live_claims(now),
    )
    statuses = {value: str(label) for value, label in S.choices}  # translated once a page
    links = QueueLinks()
    queue.to_mark = [_to_mark_row(viewer, s, statuses, links) for s in to_mark]
    # The SQL chose these: the viewer's marks to agree as first or second marker (both marks
    # in, none agreed: ``waiting_to_agree``) or to settle as third.
    for submission in in_hand:
        row = _row(viewer, submission, statuses, links)
        if submission.open_proposals:
            row.proposal = submission.open_proposals[0]
            row.proposal_for_me = row.proposal.proposed_by_id != viewer.pk
        if row.position == Mark.Position.THIRD:
            queue.to_settle.append(row)
        else:
            row.link = links.reconcile(submission.pk)
            queue.to_reconcile.append(row)
    start = (done_page - 1) * DONE_SHOWN
    mine = Q(first_marker_id=me) | Q(second_marker_id=me) | Q(third_marker_id=me)
    done = list(
        _done_rows(
            submissions.filter(mine)
            .exclude(status=S.DRAFTING)
            .exclude(waiting_for_me | to_reconcile | to_settle)
        ).order_by("-submitted_at", "-pk")[start : start + DONE_SHOWN + 1]
    )
    queue.more_done = len(done) > DONE_SHOWN
    queue.done = [_row(viewer, s, statuses, links) for s in done[:DONE_SHOWN]]
    return queue


@dataclass
class SubmissionPage:
    """One submission as a marker, the moderator or a supporter sees it."""

    submission: Submission
    final: SubmissionVersion | None = None  # the version handed in for marking, with files
    criteria: list = field(default_factory=list)
    bands: list = field(default_factory=list)
    assessment: object = None  # queries.assessment.Assessment, for markers and moderators
    own_mark: Mark | None = None
    # The viewer's claim on their slot (live or lapsed, with what they saved to finish later)
    # and anyone else's live claim on that slot.
    claim: MarkClaim | None = None
    rival: MarkClaim | None = None
    needs_reconciling: bool = False
    reopened: bool = False  # the lead reopened an agreement of marks that were close
    # (first marker's band, second marker's) when marks within tolerance fall in different
    # bands and the programme wants bands to agree: why the markers reconcile them.
    bands_apart: tuple | None = None

    @property
    def programme(self):
        return self.submission.assignment.module.programme


def _submission(submission_id):
    submission = _base(Submission.objects.filter(pk=submission_id)).first()
    if submission is None:
        raise Http404
    return submission


def _final_version(submission):
    """The version handed in for marking, with its files."""
    return (
        SubmissionVersion.objects.filter(submission=submission, kind=SubmissionVersion.Kind.FINAL)
        .prefetch_related("files")
        .first()
    )


def _claims(viewer, submission, now):
    """The viewer's own claim on their slot, and anyone else's live claim on it."""
    position = slot_of(viewer, submission)
    if position is None:
        return None, None
    own, rival = None, None
    for claim in MarkClaim.objects.filter(submission=submission, position=position).select_related(
        "marker"
    ):
        if claim.marker_id == viewer.pk:
            own = claim
        elif claim.holds(now):
            rival = claim
    return own, rival


def _read(viewer, submission, summary):
    audit_read(
        viewer=viewer.user,
        target=submission,
        subject=submission.enrolment.teacher,
        summary=summary,
    )


def _page(viewer, assessment, *, with_work, summary):
    submission = assessment.submission
    marks = {m.position: m for m in assessment.marks}
    criteria = list(submission.assignment.criteria.all())
    for mark in assessment.marks:
        mark.rows = [(c, mark.scores.get(str(c.pk))) for c in criteria]
    prefetch_related_objects([submission.assignment], "bands")
    reconciling = waiting_to_agree(submission, marks)
    claim, rival = _claims(viewer, submission, timezone.now()) if with_work else (None, None)
    page = SubmissionPage(
        submission=submission,
        final=_final_version(submission) if with_work else None,
        claim=claim,
        rival=rival,
        criteria=criteria,
        bands=list(submission.assignment.bands.all()),
        assessment=assessment,
        own_mark=next((m for m in assessment.marks if m.marker_id == viewer.pk), None),
        needs_reconciling=reconciling,
        reopened=reconciling and not needs_reconciling(submission, marks),
        bands_apart=(
            bands_apart(submission, marks)
            if reconciling and not beyond_tolerance(submission, marks)
            else None
        ),
    )
    _read(viewer, submission, summary)
    return page


def _is_marker(viewer, submission):
    return viewer.pk in (submission.first_marker_id, submission.second_marker_id)


def marker_page_for(viewer, submission_id, *, with_work=True):
    """A submission its first or second marker is marking, with the marks they may see (blind
    marking holds); a 404 for anyone else."""
    assessment = assessment_for(viewer, submission_id)
    if not _is_marker(viewer, assessment.submission):
        raise Http404
    summary = "final version, for marking" if with_work else "marks, for reconciling"
    return _page(viewer, assessment, with_work=with_work, summary=summary)


def marker_submission_for(viewer, submission_id):
    """The submission alone (for a claim), for its markers; a 404 for anyone else."""
    submission = _submission(submission_id)
    if not _is_marker(viewer, submission):
        raise Http404
    return submission


def moderator_page_for(viewer, submission_id):
    """A sampled submission with both marks, for a moderator of its programme; a 404 for
    anyone else."""
    submission = _submission(submission_id)
    programme = submission.assignment.module.programme
    if not submission.in_sample or not holds(viewer, programme.pk, ProgrammeStaff.Role.MODERATOR):
        raise Http404
    marks = list(submission.marks.select_related("marker").order_by("position"))
    assessment = Assessment(
        submission=submission, marks=marks, final_mark=submission.final_mark, hidden=False
    )
    return _page(viewer, assessment, with_work=True, summary="final version, for moderation")


@dataclass
class Pages:
    """Where a list read a page at a time stands: its page number, and whether there is a next
    page (read as one row more than shown, rather than counted)."""

    number: int = 1
    more: bool = False

    @property
    def previous(self):
        return self.number - 1 or None

    @property
    def next(self):
        return self.number + 1 if self.more else None

    @property
    def paged(self):
        return self.number > 1 or self.more


def _page_of(queryset, number, size):
    """Page ``number`` (any value: a wrong one is the first page) of an ordered queryset, and
    where it stands."""
    pages = Pages(number=_page_number(number))
    start = (pages.number - 1) * size
    rows = list(queryset[start : start + size + 1])
    pages.more = len(rows) > size
    return rows[:size], pages


@dataclass
class Moderation:
    programme: Programme
    awaiting: list  # the page shown, the earliest due first
    done: list  # the page shown, the latest moderated first
    awaiting_pages: Pages = field(default_factory=Pages)
    done_pages: Pages = field(default_factory=Pages)


def moderation_for(viewer, programme_id, *, awaiting_page=1, done_page=1):
    """A programme's sampled submissions, for its moderators (a 404 for anyone else): those
    waiting for moderation and those moderated, each list a page at a time."""
    programme = Programme.objects.select_related("partner").filter(pk=programme_id).first()
    if programme is None or not holds(viewer, programme.pk, ProgrammeStaff.Role.MODERATOR):
        raise Http404
    # Only what a row shows (a wide select costs more to compile than to run).
    sampled = (
        Submission.objects.filter(assignment__module__programme=programme, in_sample=True)
        .select_related("assignment", "enrolment__teacher")
        .only(
            "agreed_mark",
            "moderated_mark",
            "status",
            "assignment__title",
            "enrolment__teacher__full_name",
        )
    )
    awaiting, awaiting_pages = _page_of(
        sampled.filter(status=Submission.Status.IN_REVIEW).order_by("assignment__due_at", "pk"),
        awaiting_page,
        AWAITING_SHOWN,
    )
    done, done_pages = _page_of(
        sampled.filter(moderated_at__isnull=False).order_by("-moderated_at", "-pk"),
        done_page,
        MODERATED_SHOWN,
    )
    return Moderation(
        programme=programme,
        awaiting=awaiting,
        done=done,
        awaiting_pages=awaiting_pages,
        done_pages=done_pages,
    )


@dataclass
class History:
    """A submission's versions, extensions and formative feedback, for the teacher's tutor
    (extensions) or their coach or tutor (feedback)."""

    submission: Submission
    latest: SubmissionVersion | None
    extensions: list
    feedback: list


def _history(submission):
    versions = list(
        SubmissionVersion.objects.filter(submission=submission)
        .order_by("number")
        .prefetch_related(Prefetch("feedback", queryset=Feedback.objects.select_related("author")))
    )
    feedback = [item for version in versions for item in version.feedback.all()]
    return versions[-1] if versions else None, feedback


def extension_page_for(viewer, submission_id):
    """A submission, for the teacher's tutor; a 404 for anyone else."""
    submission = _submission(submission_id)
    if submission.enrolment.tutor_id != viewer.pk:
        raise Http404
    extensions = list(submission.extensions.select_related("granted_by"))
    return History(submission=submission, latest=None, extensions=extensions, feedback=[])


def extension_start_for(viewer, enrolment_id, assignment_id):
    """An enrolment the viewer tutors and an assignment of its programme; a 404 otherwise."""
    enrolment = (
        Enrolment.objects.select_related("cohort")
        .filter(pk=enrolment_id, tutor_id=viewer.pk)
        .first()
    )
    if enrolment is None:
        raise Http404
    assignment = (
        Assignment.objects.select_related("module")
        .filter(pk=assignment_id, module__programme_id=enrolment.cohort.programme_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return enrolment, assignment


def feedback_page_for(viewer, submission_id):
    """A submission's drafts and feedback, for the teacher's coach or tutor; a 404 for anyone
    else."""
    submission = _submission(submission_id)
    enrolment = submission.enrolment
    if viewer.pk not in (enrolment.coach_id, enrolment.tutor_id):
        raise Http404
    latest, feedback = _history(submission)
    if latest is not None:
        _read(viewer, submission, f"version {latest.number}, for feedback")
    return History(submission=submission, latest=latest, extensions=[], feedback=feedback)
