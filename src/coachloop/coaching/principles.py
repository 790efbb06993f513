"""The principles of effective mentoring and coaching a coach reviews a conversation against.

Ten come from the national framework for mentoring and coaching; two more were proposed for
advanced (master's-level) learning. The names are the framework's; the explanations are ours.
Each has a code that never changes, because session reviews store their ratings by code
(``SessionReview.ratings``): rename a principle if you must, never recode it.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Principle:
    code: str
    name: str
    explanation: str
    advanced: bool = False


PRINCIPLES = (
    Principle(
        "conversation",
        _("A learning conversation"),
        _(
            "You think about practice together rather than hand out advice. Both of you ask "
            "real questions and build an understanding neither had before."
        ),
    ),
    Principle(
        "relationship",
        _("A thoughtful relationship"),
        _("Trust, respect and care, so the teacher can be honest about what is hard for them."),
    ),
    Principle(
        "agreement",
        _("A learning agreement"),
        _("You both know what you are working on, how you will work, and what stays between you."),
    ),
    Principle(
        "combined_support",
        _("Combining support from fellow professional learners and specialists"),
        _(
            "The teacher learns from colleagues at a similar stage as well as from people with "
            "deeper expertise."
        ),
    ),
    Principle(
        "self_direction",
        _("Growing self-direction"),
        _(
            "Over time the teacher takes more charge of their own learning: choosing the focus "
            "and the next step."
        ),
    ),
    Principle(
        "goals",
        _("Setting challenging and personal goals"),
        _("Goals that stretch the teacher, matter to them, and aim at their pupils' learning."),
    ),
    Principle(
        "understanding_why",
        _("Understanding why different approaches work"),
        _("You look at the reasons and the evidence behind a practice, not only at what to do."),
    ),
    Principle(
        "benefits_to_coaches",
        _("Acknowledging the benefits to the mentors and coaches"),
        _(
            "Coaches learn too. Noticing what you gain from the work keeps it a two-way "
            "partnership."
        ),
    ),
    Principle(
        "experimenting",
        _("Experimenting and observing"),
        _(
            "The teacher tries something new in the classroom, watches what it does for pupils, "
            "and you talk about what was seen."
        ),
    ),
    Principle(
        "resources",
        _("Using resources effectively"),
        _("Making good use of time, research, materials and people, protected time included."),
    ),
    Principle(
        "learning_to_learn",
        _("Helping learners learn how to learn about teaching and learning"),
        _(
            "The teacher gets better at finding, questioning and using evidence about teaching "
            "for themselves."
        ),
        advanced=True,
    ),
    Principle(
        "workplace",
        _("Making effective connections with the workplace"),
        _(
            "What the teacher learns is linked to their school's priorities, their colleagues "
            "and their own pupils."
        ),
        advanced=True,
    ),
)

BY_CODE = {principle.code: principle for principle in PRINCIPLES}
CODES = tuple(BY_CODE)


class Showing(models.TextChoices):
    """How far a conversation showed a principle, in the coach's own view."""

    STRONGLY = "strongly", _("Strongly")
    PARTLY = "partly", _("Partly")
    NOT_THIS_TIME = "not_this_time", _("Not this time")
    NOT_RELEVANT = "not_relevant", _("Not relevant here")


# The ratings that count as "it showed" in a coach's counts over time.
SHOWED = frozenset({Showing.STRONGLY, Showing.PARTLY})
