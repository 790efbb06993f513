"""Goals negotiated three ways: the teacher brings one of their own goals (coaching.Goal) to the
programme, and it is agreed once the teacher, their coach and their tutor have each agreed to it
as it stands. A change to the goal afterwards needs all three again."""

from django.db import transaction
from django.utils.translation import gettext as _

from coachloop.coaching.models import Goal
from coachloop.common.audit import audit_record
from coachloop.programmes.models import GoalAgreement
from coachloop.programmes.services.common import check, now_or, refuse, refuse_if_ended

SIDES = ("teacher", "coach", "tutor")


@transaction.atomic
def programme_goal_bring(*, viewer, enrolment, goal, now=None):
    """The teacher brings one of their goals to the programme, agreeing to it themselves."""
    if enrolment.teacher_id != viewer.pk or goal.teacher_id != viewer.pk:
        refuse("goal", _("Only the teacher brings their own goal to the programme."))
    refuse_if_ended(enrolment, "goal", _("Your place on this programme has ended."))
    # Held, so that pressing the button twice brings it once and the second is told so.
    Goal.objects.select_for_update().filter(pk=goal.pk).first()
    if GoalAgreement.objects.filter(goal=goal).exists():
        refuse("goal", _("This goal is part of the programme already."))
    agreement = GoalAgreement.objects.create(
        trust_id=enrolment.trust_id,
        enrolment=enrolment,
        goal=goal,
        goal_version=goal.version,
        teacher_agreed_at=now_or(now),
    )
    audit_record(
        actor=viewer.user, verb="programme_goal.brought", target=agreement, subject=viewer.user
    )
    return agreement


@transaction.atomic
def programme_goal_agree(*, viewer, agreement, now=None):
    """One of the three agrees to the goal as it stands now. If it changed since the others
    agreed, their agreement lapses and they are asked again."""
    agreement = (
        GoalAgreement.objects.select_for_update(of=("self",))
        .select_related("enrolment", "goal")
        .get(pk=agreement.pk)
    )
    enrolment = agreement.enrolment
    check("programmes.meet", viewer, enrolment)
    refuse_if_ended(enrolment, "goal")
    if agreement.goal.version != agreement.goal_version:
        agreement.goal_version = agreement.goal.version
        for side in SIDES:
            setattr(agreement, f"{side}_agreed_at", None)
    side = SIDES[(enrolment.teacher_id, enrolment.coach_id, enrolment.tutor_id).index(viewer.pk)]
    setattr(agreement, f"{side}_agreed_at", now_or(now))
    agreement.save()
    audit_record(
        actor=viewer.user,
        verb="programme_goal.agreed",
        target=agreement,
        subject=enrolment.teacher,
        summary=f"by the {side}",
    )
    return agreement
