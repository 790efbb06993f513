"""Recording a school coach's qualification: the programme lead keeps it up to date for the
coaches of the teachers on their programme, so a coach taking on master's students is known
to be supported (coaches were too often volunteered untrained)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.programmes.models import CoachQualification, Enrolment
from coachloop.programmes.services.common import check, refuse

SUBJECT_LIMIT = 200


@transaction.atomic
def coach_qualification_record(*, viewer, programme, coach, level, subject="", on=None):
    """The lead records ``coach``'s highest qualification, as of ``on`` (today). The earlier
    records are kept: the latest one is the coach's qualification."""
    check("programmes.lead", viewer, programme)
    if not Enrolment.objects.filter(cohort__programme=programme, coach=coach).exists():
        refuse(
            "coach",
            _("%(name)s does not coach a teacher on this programme.") % {"name": coach.full_name},
        )
    if level not in CoachQualification.Level.values:
        refuse("level", _("Choose a qualification from the list."))
    subject = (subject or "").strip()
    if len(subject) > SUBJECT_LIMIT:
        refuse("subject", _("Keep the subject to 200 characters or fewer."))
    qualification = CoachQualification.objects.create(
        trust_id=programme.trust_id,
        coach=coach,
        level=level,
        subject=subject,
        recorded_on=on or timezone.localdate(),
        recorded_by=viewer.user,
    )
    audit_record(
        actor=viewer.user,
        verb="coach.qualification_recorded",
        target=qualification,
        subject=coach,
        summary=f"{programme.title}: {level}",
    )
    return qualification
