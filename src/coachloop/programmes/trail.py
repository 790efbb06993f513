"""What the audit trail says about programmes: a name for each piece of programme work read
(a submission, a portfolio, a three-way meeting), and who a reader is to the teacher on it
(their tutor or coach on the programme, its lead, a moderator, a marker of their work). See
``common.trail``."""

import re

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coachloop.common.trail import Contribution
from coachloop.programmes.models import Enrolment, ProgrammeStaff, Submission

PORTFOLIO = re.compile(r"^portfolio for (?P<code>.+?) \(")

# How each page's read of a submission is recorded (its summary), and how it is named.
SUBMISSION_READS = (
    ("final version, for marking", gettext_lazy("your work for “%(assignment)s”, to mark it")),
    (
        "marks, for reconciling",
        gettext_lazy("the marks on your work for “%(assignment)s”, to agree a mark"),
    ),
    (
        "marks, for adjudicating",
        gettext_lazy("the marks on your work for “%(assignment)s”, for the lead to decide a mark"),
    ),
    (
        "final version, for third marking",
        gettext_lazy("your work for “%(assignment)s”, to mark it third"),
    ),
    (
        "final version, for moderation",
        gettext_lazy("your work for “%(assignment)s”, to moderate its marks"),
    ),
    (
        "marks and history",
        gettext_lazy(
            "the marks on your work for “%(assignment)s” and their history, for the exam board"
        ),
    ),
    (
        "released marks, through the API",
        gettext_lazy(
            "your released mark for “%(assignment)s”, read by the programme's lead through the API"
        ),
    ),
    (
        "mark, for a resubmission",
        gettext_lazy("your mark for “%(assignment)s”, to open a resubmission"),
    ),
    ("version ", gettext_lazy("your draft of “%(assignment)s”, to give feedback")),
    ("file ", gettext_lazy("a file of your work for “%(assignment)s”")),
)


def _submission_name(summary, assignment):
    for start, wording in SUBMISSION_READS:
        if summary.startswith(start):
            return str(wording) % {"assignment": assignment}
    return _("your work for “%(assignment)s”") % {"assignment": assignment}


def _enrolment_name(summary):
    portfolio = PORTFOLIO.match(summary)
    if portfolio:
        return _("your portfolio for %(module)s") % {"module": portfolio["code"]}
    if summary.startswith("portfolio"):
        return _("your portfolio")
    return _("your programme page, with its meetings and goals")


def names(items):
    """A readable name for each programme item (one query, for the assignments of the
    submissions read)."""
    mine = [item for item in items if item.target_type.startswith("programmes.")]
    submission_ids = [
        int(item.target_id) for item in mine if item.target_type == "programmes.submission"
    ]
    assignments = (
        dict(
            Submission.objects.filter(pk__in=submission_ids).values_list("pk", "assignment__title")
        )
        if submission_ids
        else {}
    )
    named = {}
    for item in mine:
        if item.target_type == "programmes.submission":
            assignment = assignments.get(int(item.target_id))
            named[item] = (
                _submission_name(item.summary, assignment)
                if assignment
                else _("your programme work")
            )
        elif item.target_type == "programmes.enrolment":
            named[item] = _enrolment_name(item.summary)
        elif item.target_type == "programmes.meeting":
            named[item] = _("a three-way meeting")
        else:
            named[item] = _("your programme work")
    return named


def _programme_title(queryset):
    return Subquery(queryset.order_by("-pk").values("cohort__programme__title")[:1])


def _staff_on_my_programmes(viewer, role):
    return Subquery(
        ProgrammeStaff.objects.filter(
            person_id=OuterRef("pk"),
            role=role,
            programme__cohorts__enrolments__teacher_id=viewer.pk,
        )
        .order_by("-pk")
        .values("programme__title")[:1]
    )


def relations(viewer):
    mine = Enrolment.objects.filter(teacher_id=viewer.pk)
    return {
        "tutors_me_on": _programme_title(mine.filter(tutor_id=OuterRef("pk"))),
        "coaches_me_on": _programme_title(mine.filter(coach_id=OuterRef("pk"))),
        "leads_my_programme": _staff_on_my_programmes(viewer, ProgrammeStaff.Role.LEAD),
        "moderates_my_programme": _staff_on_my_programmes(viewer, ProgrammeStaff.Role.MODERATOR),
        "marks_my_work": Exists(
            Submission.objects.filter(enrolment__teacher_id=viewer.pk).filter(
                Q(first_marker_id=OuterRef("pk")) | Q(second_marker_id=OuterRef("pk"))
            )
        ),
    }


def labels(row):
    found = []
    if row["tutors_me_on"]:
        found.append(_("your tutor on %(programme)s") % {"programme": row["tutors_me_on"]})
    if row["coaches_me_on"]:
        found.append(_("your coach on %(programme)s") % {"programme": row["coaches_me_on"]})
    if row["leads_my_programme"]:
        found.append(_("the lead of %(programme)s") % {"programme": row["leads_my_programme"]})
    if row["moderates_my_programme"]:
        found.append(
            _("a moderator of %(programme)s") % {"programme": row["moderates_my_programme"]}
        )
    if row["marks_my_work"] and not found:
        found.append(_("a marker of your programme work"))
    return found


CONTRIBUTION = Contribution(names=names, relations=relations, labels=labels)
