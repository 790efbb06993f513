"""Enrolling a teacher on a programme's cohort, with their school coach and their tutor, and
ending their place."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coachloop.common.audit import audit_record
from coachloop.people.models import Role
from coachloop.people.queries import holds_role
from coachloop.programmes.models import Cohort, Enrolment, ProgrammeStaff
from coachloop.programmes.rules import holds
from coachloop.programmes.services.common import check, now_or, refuse


@transaction.atomic
def enrolment_add(*, viewer, cohort, teacher, school, coach, tutor, started_on):
    """The programme lead enrols ``teacher`` of ``school`` on ``cohort``.

    The cohort must be in the viewer's trust (another trust's is refused as if it did not
    exist), the teacher must teach at the school and the coach coach there, and the tutor must
    tutor on the programme. The programme's fee and split are kept with the enrolment.
    """
    cohort = Cohort.objects.filter(pk=cohort.pk, trust_id=viewer.trust.pk).first()
    if cohort is None or school.trust_id != viewer.trust.pk:
        refuse("cohort", _("There is no such cohort in your trust."))
    programme = cohort.programme
    check("programmes.lead", viewer, programme)
    if not holds_role(teacher, school=school, role=Role.TEACHER, on=started_on):
        refuse(
            "teacher",
            _("%(name)s does not teach at %(school)s.")
            % {"name": teacher.full_name, "school": school.name},
        )
    if not holds_role(coach, school=school, role=Role.COACH, on=started_on):
        refuse(
            "coach",
            _("%(name)s is not a coach at %(school)s.")
            % {"name": coach.full_name, "school": school.name},
        )
    if coach.pk == teacher.pk:
        refuse("coach", _("A teacher cannot be their own coach."))
    if not holds(tutor, programme.pk, ProgrammeStaff.Role.TUTOR):
        refuse("tutor", _("%(name)s does not tutor on this programme.") % {"name": tutor.full_name})
    if tutor.pk == teacher.pk:
        refuse("tutor", _("A teacher cannot be their own tutor."))
    if tutor.pk == coach.pk:
        # The tutor marks first and the coach may mark second: two people are needed.
        refuse("tutor", _("The tutor must be someone other than the teacher's coach."))
    if Enrolment.objects.filter(cohort=cohort, teacher=teacher, finished_on__isnull=True).exists():
        refuse(
            "teacher",
            _("%(name)s is already enrolled on this cohort.") % {"name": teacher.full_name},
        )
    enrolment = Enrolment.objects.create(
        trust_id=cohort.trust_id,
        cohort=cohort,
        teacher=teacher,
        school=school,
        coach=coach,
        tutor=tutor,
        started_on=started_on,
        fee=programme.fee_per_enrolment,
        school_share_percent=programme.school_share_percent,
    )
    audit_record(
        actor=viewer.user,
        verb="enrolment.added",
        target=enrolment,
        subject=teacher,
        summary=f"{programme.title}, {cohort.name}",
    )
    return enrolment


@transaction.atomic
def enrolment_end(*, viewer, enrolment, finished_on, now=None):
    """The programme lead ends a teacher's place (they finished, withdrew or moved on). What
    the three wrote stays theirs to read; nothing new is added to the place from then on."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "teacher")
        .get(pk=enrolment.pk)
    )
    check("programmes.lead", viewer, enrolment.cohort.programme)
    if enrolment.finished_on is not None:
        refuse("finished_on", _("This place has ended already."))
    if finished_on < enrolment.started_on:
        refuse("finished_on", _("A place cannot end before it started."))
    if finished_on > timezone.localdate(now_or(now)):
        refuse("finished_on", _("Enter today's date or an earlier one: a place ends once it has."))
    enrolment.finished_on = finished_on
    enrolment.save(update_fields=["finished_on"])
    audit_record(
        actor=viewer.user,
        verb="enrolment.ended",
        target=enrolment,
        subject=enrolment.teacher,
        summary=f"ended {finished_on:%Y-%m-%d}",
    )
    return enrolment
