"""Who may do what on a programme. The university's staff act through their role on the
programme (``ProgrammeStaff``); a coach and a tutor act for the teachers enrolled with them."""

import rules

from coachloop.common.tenancy import scopes_disabled
from coachloop.programmes.models import ProgrammeStaff


def holds(person, programme_id, role):
    """Whether ``person`` (a viewer or a user) holds ``role`` on the programme."""
    return ProgrammeStaff.objects.filter(
        programme_id=programme_id, person_id=person.pk, role=role
    ).exists()


def leads_a_programme(person, trust_ids):
    """Whether ``person`` leads a programme in one of these trusts: a programme lead must use
    two-step sign-in (``people.two_step``, which asks this from ``ready``)."""
    with scopes_disabled():
        return ProgrammeStaff.objects.filter(
            person_id=person.pk, role=ProgrammeStaff.Role.LEAD, trust_id__in=trust_ids
        ).exists()


@rules.predicate
def leads_programme(viewer, programme):
    return holds(viewer, programme.pk, ProgrammeStaff.Role.LEAD)


@rules.predicate
def moderates_programme(viewer, programme):
    return holds(viewer, programme.pk, ProgrammeStaff.Role.MODERATOR)


@rules.predicate
def tutors_on_programme(viewer, programme):
    return holds(viewer, programme.pk, ProgrammeStaff.Role.TUTOR)


@rules.predicate
def is_marker_of(viewer, submission):
    return viewer.pk in (
        submission.first_marker_id,
        submission.second_marker_id,
        submission.third_marker_id,
    )


@rules.predicate
def is_student_of(viewer, submission):
    return submission.enrolment.teacher_id == viewer.pk


@rules.predicate
def supports(viewer, enrolment):
    """The teacher's school coach or their tutor."""
    return viewer.pk in (enrolment.coach_id, enrolment.tutor_id)


@rules.predicate
def tutors(viewer, enrolment):
    return enrolment.tutor_id == viewer.pk


rules.add_rule("programmes.lead", leads_programme)
rules.add_rule("programmes.moderate", moderates_programme)
rules.add_rule("programmes.tutor", tutors_on_programme)
rules.add_rule("programmes.mark", is_marker_of)


@rules.predicate
def leads_programme_of(viewer, submission):
    return holds(viewer, submission.assignment.module.programme_id, ProgrammeStaff.Role.LEAD)


@rules.predicate
def moderates_programme_of(viewer, submission):
    return holds(viewer, submission.assignment.module.programme_id, ProgrammeStaff.Role.MODERATOR)


# The programme lead steps in above the markers: adjudicates, appoints a third marker,
# replaces a marker or moderator, reopens, corrects, opens a resubmission.
rules.add_rule("programmes.lead_submission", leads_programme_of)
# A submission's whole mark history, and an assignment's exam-board export (on the programme).
rules.add_rule("programmes.read_history", leads_programme_of | moderates_programme_of)
rules.add_rule("programmes.export_board", leads_programme | moderates_programme)
rules.add_rule("programmes.give_feedback", supports)
rules.add_rule("programmes.grant_extension", tutors)


@rules.predicate
def is_partner_of(viewer, enrolment):
    """The teacher, their coach or their tutor: the three who meet."""
    return viewer.pk in (enrolment.teacher_id, enrolment.coach_id, enrolment.tutor_id)


rules.add_rule("programmes.meet", is_partner_of)
# Drafts, and the feedback on them, are between the three; anyone else who may read a
# submission (its markers, the programme's lead and moderators) reads the final version only.
rules.add_rule("programmes.read_drafts", is_partner_of)
