"""Progression: where a teacher places themselves on each strand, and the steps they propose.

Stages and proposals are the teacher's content: the teacher and the coach of their coaching
read them (a coach's reads are audited); a coaching lead or anyone else, whatever their rank,
reaches neither through these rules. The teacher places themselves; the coach of a running
relationship may place them too. A teacher proposes their next step while the coaching runs,
and only its active coach answers.
"""

import rules

from coachloop.coaching.rules.loop import (
    can_read_content,
    can_write_content,
    is_running,
    is_teacher_of,
)

# The coaching rules' own predicates for a relationship's content (a handover or an end
# changes who passes them), so progression never drifts from the coaching record. Placing
# someone on a stage, or answering their proposal, is writing to their record.
rules.add_rule("coaching.read_stages", can_read_content)
rules.add_rule("coaching.place_on_stage", can_write_content)
rules.add_rule("coaching.propose_step", is_teacher_of & is_running)
rules.add_rule("coaching.answer_proposal", can_write_content)
rules.add_rule("coaching.withdraw_proposal", is_teacher_of)
