"""Progression: where a teacher places themselves on each strand, and the steps they propose.

Stages and proposals are the teacher's content: the teacher and the coach of their coaching
read them (a coach's reads are audited); a coaching lead or anyone else, whatever their rank,
reaches neither through these rules. The teacher places themselves; the coach of a running
relationship may place them too. A teacher proposes their next step while the coaching runs,
and only its active coach answers.
"""

import rules

from coachloop.coaching.rules.loop import is_running, is_teacher_of


# Whoever the coaching rules let read or write a relationship's content, as those rules stand
# (a handover or an end changes them), so progression never drifts from the coaching record.
@rules.predicate
def can_read_stages(viewer, relationship):
    return rules.test_rule("coaching.read_content", viewer, relationship)


@rules.predicate
def can_place_on_stage(viewer, relationship):
    """The coach of running coaching: placing someone is writing to their record."""
    return rules.test_rule("coaching.write_content", viewer, relationship)


can_propose_step = is_teacher_of & is_running
can_answer_proposal = can_place_on_stage
can_withdraw_proposal = is_teacher_of

rules.add_rule("coaching.read_stages", can_read_stages)
rules.add_rule("coaching.place_on_stage", can_place_on_stage)
rules.add_rule("coaching.propose_step", can_propose_step)
rules.add_rule("coaching.answer_proposal", can_answer_proposal)
rules.add_rule("coaching.withdraw_proposal", can_withdraw_proposal)
