"""Coaches as learners: a session review is its coach's own, and their school's coaching leads
(who run QA of coaching) read it only when the coach shares it with them. The learning log is
the coach's alone, so it needs no rule: its queries only ever read the viewer's own entries."""

import rules

from coachloop.people.rules import leads_school


@rules.predicate
def wrote_review(viewer, review):
    return review.coach_id == viewer.pk


@rules.predicate
def is_shared_with_qa(viewer, review):
    return review.shared_with_qa


@rules.predicate
def leads_coaching_in_school_of_review(viewer, review):
    return leads_school.test(viewer, review.school_id)


rules.add_rule(
    "coaching.read_session_review",
    wrote_review | (is_shared_with_qa & leads_coaching_in_school_of_review),
)
rules.add_rule("coaching.change_session_review", wrote_review)
