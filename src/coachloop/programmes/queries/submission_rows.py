"""The rows of an assignment's submissions on its staff page, read as plain values.

A page shows up to ``SUBMISSIONS_SHOWN`` rows, so what a row costs decides what the page costs.
Each row is made from one dict of values (no model instances), its marks counted from one read
of the marks of the rows shown, and its words and links made from formats that are translated
and reversed once per page (``RowWords``), not with a translation tag and ``{% url %}`` for
every cell of every row.
"""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from coachloop.common.links import RowLink
from coachloop.programmes.models import Mark
from coachloop.programmes.models.assessment import capped_mark, uncapped_mark

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
    "first_marker__full_name",
    "second_marker__full_name",
    "third_marker__full_name",
    "moderator__full_name",
)


class RowWords:
    """The words and links every row uses, translated and reversed once for the page."""

    def __init__(self):
        self.board = RowLink("programmes:submission_board")
        self.adjudicate = RowLink("programmes:adjudicate")
        self.sample = RowLink("programmes:sample_add")
        self.resubmission = RowLink("programmes:resubmission_open")
        self.second_marker = RowLink("programmes:marker_replace", "second")
        self.third_marker = RowLink("programmes:marker_replace", "third")
        self.first = _("First: %(name)s")
        self.first_not_chosen = _("First: not chosen")
        self.second = _("Second: %(name)s")
        self.second_not_chosen = _("Second: not chosen")
        self.third = _("Third: %(name)s")
        self.of_teacher = _("of %(name)s")
        self.for_teacher = _("for %(name)s")
        self.second_marker_for = _("the second marker for %(name)s")
        self.third_marker_for = _("the third marker for %(name)s")


@dataclass
class SubmissionRow:
    """One submission as its row shows it. ``marks_shown`` says whether the viewer may see its
    agreed and final marks and the moderator's change and note (marking blind hides them)."""

    pk: int
    teacher: str
    status: str
    status_label: str
    is_late: bool
    attempt: int
    is_current: bool
    marks_in: int
    marks_shown: bool
    agreed_mark: int | None
    final_mark: int | None
    first_marker: str | None  # names, None while not chosen
    second_marker: str | None
    third_marker: str | None
    in_sample: bool
    moderated: bool
    moderated_mark: int | None
    moderator: str | None
    moderation_note: str
    words: RowWords

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
    def board_url(self):
        return self.words.board(self.pk)

    @property
    def adjudicate_url(self):
        return self.words.adjudicate(self.pk)

    @property
    def sample_url(self):
        return self.words.sample(self.pk)

    @property
    def resubmission_url(self):
        return self.words.resubmission(self.pk)

    @property
    def second_marker_url(self):
        return self.words.second_marker(self.pk)

    @property
    def third_marker_url(self):
        return self.words.third_marker(self.pk)


def submission_rows(values, *, viewer, sees_all, status_labels):
    """A ``SubmissionRow`` for each dict of ``VALUES``: the viewer sees a row's marks if they
    see every submission (the lead, a moderator) or are one of its two markers."""
    values = list(values)
    marks_in = Counter(
        Mark.objects.filter(submission_id__in=[v["pk"] for v in values])
        .order_by()
        .values_list("submission_id", flat=True)
    )
    words = RowWords()
    return [
        SubmissionRow(
            pk=v["pk"],
            teacher=v["enrolment__teacher__full_name"],
            status=v["status"],
            status_label=status_labels[v["status"]],
            is_late=v["is_late"],
            attempt=v["attempt"],
            is_current=v["is_current"],
            marks_in=marks_in[v["pk"]],
            marks_shown=sees_all or viewer.pk in (v["first_marker_id"], v["second_marker_id"]),
            agreed_mark=v["agreed_mark"],
            final_mark=capped_mark(
                uncapped_mark(v["agreed_mark"], v["moderated_mark"], v["corrected_mark"]),
                v["mark_cap"],
            ),
            first_marker=v["first_marker__full_name"],
            second_marker=v["second_marker__full_name"],
            third_marker=v["third_marker__full_name"],
            in_sample=v["in_sample"],
            moderated=v["moderated_at"] is not None,
            moderated_mark=v["moderated_mark"],
            moderator=v["moderator__full_name"],
            moderation_note=v["moderation_note"],
            words=words,
        )
        for v in values
    ]
