"""The rows of an assignment's submissions on its staff page, read as plain values.

A page shows up to ``SUBMISSIONS_SHOWN`` rows, so what a row costs decides what the page costs.
Each row is made from one dict of values (no model instances), its marks counted from one read
of the marks of the rows shown, and what it shows worked out here: its words from texts
translated once for the page (``RowWords``), its links from routes reversed once for the page
(``RowLinks``), not with a translation tag and ``{% url %}`` for every cell of every row.

What marking blind hides from the viewer never reaches the template: a row whose marks the
viewer may not see carries no agreed or final mark and no moderator's change or note.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from coachloop.common.links import RowLink
from coachloop.people.models import User
from coachloop.programmes.models import Mark, Programme, Submission
from coachloop.programmes.models.assessment import capped_mark, uncapped_mark

Status = Submission.Status

# What a row reads of its submission; the names are of the teacher and the staff on it.
VALUES = (
    "pk",
    "status",
    "is_late",
    "attempt",
    "is_current",
    "first_marker_id",
    "second_marker_id",
    "agreed_mark",
    "moderated_mark",
    "corrected_mark",
    "mark_cap",
    "in_sample",
    "moderated_at",
    "moderation_note",
    "enrolment__teacher__full_name",
)
# The names of the staff on a row, each read by its own subquery, not a join: PostgreSQL
# evaluates them for the rows of the page alone (after the sort and limit), and planning a
# join of the submissions with five people took it tens of milliseconds a page.
STAFF = {
    "first_marker_name": "first_marker_id",
    "second_marker_name": "second_marker_id",
    "third_marker_name": "third_marker_id",
    "moderator_name": "moderator_id",
}


def staff_names():
    """The expressions to read ``STAFF`` with, for ``values(*VALUES, **staff_names())``."""
    return {
        name: Subquery(User.objects.filter(pk=OuterRef(column)).order_by().values("full_name"))
        for name, column in STAFF.items()
    }


class RowWords:
    """The texts of the rows, each translated the first time a row uses it, once a page."""

    TEXTS = {
        "first": _("First: %(name)s"),
        "first_not_chosen": _("First: not chosen"),
        "second": _("Second: %(name)s"),
        "second_not_chosen": _("Second: not chosen"),
        "third": _("Third: %(name)s"),
        "of_teacher": _("of %(name)s"),
        "for_teacher": _("for %(name)s"),
        "second_marker_for": _("the second marker for %(name)s"),
        "third_marker_for": _("the third marker for %(name)s"),
        "attempt": _("Attempt %(attempt)s"),
        "attempt_replaced": _("Attempt %(attempt)s, replaced by a resubmission"),
        "waiting": _("In the sample: waiting for the moderator"),
        "moderated": _("Moderated"),
        "changed": _("Changed from %(before)s to %(after)s"),
        "agreed": _("Agreed"),
        "by": _("by %(name)s"),
        "note": _("Note: %(note)s"),
    }

    def __getattr__(self, name):
        text = gettext(self.TEXTS[name])
        setattr(self, name, text)
        return text


class RowLinks:
    """Which links a row offers the viewer, each route reversed once for the page (when a row
    first needs it). The lead acts on a row; the lead and moderators read its marks' history."""

    def __init__(self, *, programme, is_lead, reads_history):
        self.programme = programme
        self.is_lead = is_lead
        self.reads_history = reads_history
        self.board = RowLink("programmes:submission_board")
        self.adjudicate = RowLink("programmes:adjudicate")
        self.sample = RowLink("programmes:sample_add")
        self.resubmission = RowLink("programmes:resubmission_open")
        self.second_marker = RowLink("programmes:marker_replace", "second")
        self.third_marker = RowLink("programmes:marker_replace", "third")

    def for_row(self, v, final_mark):
        """The row's links by name, None where the row offers none."""
        pk, status = v["pk"], v["status"]
        links = dict.fromkeys(LINKS)
        if self.reads_history and status != Status.DRAFTING:
            links["history_url"] = self.board(pk)
        if not self.is_lead:
            return links
        if status == Status.ADJUDICATION:
            links["adjudicate_url"] = self.adjudicate(pk)
        if not v["in_sample"] and status in (Status.MARKING_DONE, Status.READY):
            links["sample_url"] = self.sample(pk)
        failed = final_mark is not None and final_mark < self.programme.pass_mark
        if v["is_current"] and status == Status.RELEASED and failed:
            links["resubmission_url"] = self.resubmission(pk)
        # While drafting, a coach second marker is chosen with the coach; another tutor by hand.
        if status not in (Status.RELEASED, Status.DRAFTING) or (
            status == Status.DRAFTING
            and self.programme.second_marker == Programme.SecondMarker.TUTOR
        ):
            links["second_marker_url"] = self.second_marker(pk)
        if v["third_marker_name"] is not None and status != Status.RELEASED:
            links["third_marker_url"] = self.third_marker(pk)
        return links


LINKS = (
    "history_url",
    "adjudicate_url",
    "sample_url",
    "resubmission_url",
    "second_marker_url",
    "third_marker_url",
)


@dataclass
class SubmissionRow:
    """One submission as its row shows it. ``marks_shown`` says whether the viewer may see its
    marks (marking blind hides them); each link is None where the row does not offer it."""

    pk: int
    teacher: str
    status: str
    status_label: str
    is_late: bool
    attempt_note: str  # "" for a first attempt still current
    marks_in: int
    marks_shown: bool
    agreed_mark: int | None  # None too where the marks are not shown
    final_mark: int | None
    first_marker: str | None  # names, None while not chosen
    second_marker: str | None
    third_marker: str | None
    in_sample: bool
    moderation: str  # the sample's outcome as the viewer may read it, "" if not sampled
    moderation_note: str  # the moderator's, "" where the marks are not shown
    words: RowWords
    history_url: str | None
    adjudicate_url: str | None
    sample_url: str | None
    resubmission_url: str | None
    second_marker_url: str | None
    third_marker_url: str | None

    @property
    def first_marker_line(self):
        if self.first_marker is None:
            return self.words.first_not_chosen
        return self.words.first % {"name": self.first_marker}

    @property
    def second_marker_line(self):
        if self.second_marker is None:
            return self.words.second_not_chosen
        return self.words.second % {"name": self.second_marker}

    @property
    def third_marker_line(self):
        return self.words.third % {"name": self.third_marker}

    @property
    def of_teacher(self):
        return self.words.of_teacher % {"name": self.teacher}

    @property
    def for_teacher(self):
        return self.words.for_teacher % {"name": self.teacher}

    @property
    def second_marker_for(self):
        return self.words.second_marker_for % {"name": self.teacher}

    @property
    def third_marker_for(self):
        return self.words.third_marker_for % {"name": self.teacher}

    @property
    def moderation_note_line(self):
        return self.words.note % {"note": self.moderation_note}


def _attempt_note(v, words):
    if v["attempt"] == 1 and v["is_current"]:
        return ""
    text = words.attempt if v["is_current"] else words.attempt_replaced
    return text % {"attempt": v["attempt"]}


def _moderation(v, marks_shown, words):
    """The sample's outcome and the moderator's note: waiting, "Moderated" to whom the marks
    are not shown, else the moderator's change (or agreement), their name and note."""
    if not v["in_sample"]:
        return "", ""
    if v["moderated_at"] is None:
        return words.waiting, ""
    if not marks_shown:
        return words.moderated, ""
    if v["moderated_mark"] is None:
        outcome = words.agreed
    else:
        outcome = words.changed % {"before": v["agreed_mark"], "after": v["moderated_mark"]}
    if v["moderator_name"] is not None:
        outcome += " " + words.by % {"name": v["moderator_name"]}
    return outcome, v["moderation_note"]


def submission_rows(values, *, viewer, programme, is_lead, sees_all, status_labels):
    """A ``SubmissionRow`` for each dict of ``VALUES``: the viewer sees a row's marks if they
    see every submission (the lead, a moderator) or are one of its two markers."""
    values = list(values)
    marks_in = Counter(
        Mark.objects.filter(submission_id__in=[v["pk"] for v in values])
        .order_by()
        .values_list("submission_id", flat=True)
    )
    words = RowWords()
    links = RowLinks(programme=programme, is_lead=is_lead, reads_history=sees_all)
    rows = []
    for v in values:
        final_mark = capped_mark(
            uncapped_mark(v["agreed_mark"], v["moderated_mark"], v["corrected_mark"]),
            v["mark_cap"],
        )
        shown = sees_all or viewer.pk in (v["first_marker_id"], v["second_marker_id"])
        moderation, moderation_note = _moderation(v, shown, words)
        rows.append(
            SubmissionRow(
                pk=v["pk"],
                teacher=v["enrolment__teacher__full_name"],
                status=v["status"],
                status_label=status_labels[v["status"]],
                is_late=v["is_late"],
                attempt_note=_attempt_note(v, words),
                marks_in=marks_in[v["pk"]],
                marks_shown=shown,
                agreed_mark=v["agreed_mark"] if shown else None,
                final_mark=final_mark if shown else None,
                first_marker=v["first_marker_name"],
                second_marker=v["second_marker_name"],
                third_marker=v["third_marker_name"],
                in_sample=v["in_sample"],
                moderation=moderation,
                moderation_note=moderation_note,
                words=words,
                **links.for_row(v, final_mark),
            )
        )
    return rows
