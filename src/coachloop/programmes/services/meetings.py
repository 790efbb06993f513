"""Three-way meetings: any of the three partners schedules one, and records it once held, with
its notes and the actions each person takes away."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.programmes.models import Meeting, MeetingAction
from coachloop.programmes.services.common import check, now_or, refuse


@transaction.atomic
def meeting_schedule(*, viewer, enrolment, scheduled_for, agenda):
    check("programmes.meet", viewer, enrolment)
    if enrolment.finished_on is not None:
        refuse("scheduled_for", _("This teacher's place on the programme has ended."))
    if not agenda.strip():
        refuse("agenda", _("Say what the meeting is for, so all three can prepare."))
    meeting = Meeting.objects.create(
        trust_id=enrolment.trust_id,
        enrolment=enrolment,
        scheduled_for=scheduled_for,
        agenda=agenda.strip(),
        created_by=viewer.user,
    )
    audit_record(
        actor=viewer.user, verb="meeting.scheduled", target=meeting, subject=enrolment.teacher
    )
    return meeting


@transaction.atomic
def meeting_record(*, viewer, meeting, held_on, notes, actions=(), now=None, version=None):
    """The meeting took place on ``held_on``: its notes, and ``actions`` as (text, owner, due
    on) for the teacher, the coach or the tutor. With ``version`` (the meeting's version the
    person started from), a record saved by someone else meanwhile is not overwritten."""
    meeting = Meeting.objects.select_for_update().select_related("enrolment").get(pk=meeting.pk)
    enrolment = meeting.enrolment
    check("programmes.meet", viewer, enrolment)
    if version is not None and version != meeting.version:
        refuse(
            "notes",
            _(
                "Someone else saved this meeting while you were writing. Your notes are below: "
                "check the meeting's notes and save again."
            ),
        )
    if held_on > timezone.localdate(now_or(now)):
        refuse("held_on", _("A meeting cannot be recorded before it has happened."))
    if enrolment.finished_on is not None and held_on > enrolment.finished_on:
        refuse("held_on", _("The teacher's place on the programme had ended by then."))
    partners = {enrolment.teacher_id, enrolment.coach_id, enrolment.tutor_id}
    for text, owner, _due_on in actions:
        if not text.strip():
            refuse("actions", _("Each action needs a few words to say what it is."))
        if owner.pk not in partners:
            refuse("actions", _("An action is taken by the teacher, the coach or the tutor."))
    meeting.held_on = held_on
    meeting.notes = notes.strip()
    meeting.version += 1
    meeting.save(update_fields=["held_on", "notes", "version"])
    MeetingAction.objects.bulk_create(
        MeetingAction(
            trust_id=meeting.trust_id, meeting=meeting, text=text.strip(), owner=owner, due_on=due
        )
        for text, owner, due in actions
    )
    audit_record(
        actor=viewer.user, verb="meeting.recorded", target=meeting, subject=enrolment.teacher
    )
    return meeting
