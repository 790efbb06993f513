"""Demo rows for partnership programmes: the University of Wessex runs an MA with the demo trust.

Its four staff (a programme lead, two tutors and a moderator) sign in with the demo password.
About a third of each school's coached teachers are enrolled, each with their own coach as
school coach, so the programme grows with the schools (``load_demo --teachers-per-school``).
The first module's assignment is past due, with submissions in every state of marking,
moderation and release; the second module's is due in a few weeks, with drafts and formative
feedback. There are three-way meetings with actions, a goal agreed by the three, readings with
a coach's discussion prompts, portfolio items, the coaches' qualifications, and a teacher or
two the programme lead's momentum page prompts them to contact.

Written with ``bulk_create`` for speed (the demo is built twice by the query-count test): every
field is set here, as ``programmes.services`` would set it. Everything follows from ``rng``.
Each step has its module (``university``, ``course``, ``submissions``, ``partnership``); what
a step writes that a later one needs is kept on ``rows`` (``rows.ProgrammeRows``).
"""

from coachloop.demo.programmes.course import add_programme, enrol_teachers
from coachloop.demo.programmes.history import add_mark_history
from coachloop.demo.programmes.partnership import (
    add_coach_qualifications,
    add_discussion_prompts,
    add_goal_agreements,
    add_meetings,
    add_portfolio_items,
)
from coachloop.demo.programmes.rows import ProgrammeRows
from coachloop.demo.programmes.submissions import add_submissions
from coachloop.demo.programmes.university import add_university_staff


def demo_programmes(trust, today, rng):
    """Add the University of Wessex, its MA and the teachers studying on it to the demo trust.
    Runs inside the trust's scope, after the people, the coaching and the goals exist."""
    rows = ProgrammeRows(trust, today, rng)
    add_university_staff(rows)
    add_programme(rows)
    enrol_teachers(rows)
    add_submissions(rows)
    add_mark_history(rows)
    add_meetings(rows)
    add_discussion_prompts(rows)
    add_goal_agreements(rows)
    add_portfolio_items(rows)
    add_coach_qualifications(rows)
