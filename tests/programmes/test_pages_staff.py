"""The university staff's pages: the programmes someone works on, a programme, enrolling a
teacher, an assignment's submissions with the lead's marking actions, momentum, funding and a
school's programme aggregates. Bad input re-shows the form or says what was refused, changes
nothing, and is never a 500."""

import datetime as dt
import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coachloop.common.models import AuditEvent
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Role
from coachloop.programmes.models import (
    CoachQualification,
    Cohort,
    Enrolment,
    PartnerInstitution,
    Programme,
    Submission,
)
from coachloop.programmes.services import enrolments
from coachloop.programmes.services.moderation import moderation_record
from coachloop.programmes.services.qualifications import coach_qualification_record
from coachloop.rollout.models import CoachTraining
from tests.factories import MembershipFactory, UserFactory
from tests.programmes.fixtures import build_programme, main_content
from tests.programmes.test_marking import fresh, mark, submit
from tests.programmes.test_moderation import marked

pytestmark = pytest.mark.django_db


def sign_in(client, person, trust):
    """University staff sign in with a trust-wide membership; others already have one."""
    with scopes_disabled():
        if not person.memberships.exists():
            MembershipFactory(user=person, school=None, trust=trust, role=Role.PARTNER_STAFF)
    client.force_login(person)


def as_lead(client, pw):
    sign_in(client, pw.lead, pw.trust)
    return client


def text(response):
    return response.content.decode()


# The programmes someone works on


def test_the_lead_sees_the_programme_they_lead_with_their_part(client, programme):
    response = as_lead(client, programme).get(reverse("programmes:home"))
    assert response.status_code == 200
    assert "MA in Teaching and Learning" in text(response)
    assert "Programme lead" in text(response)


def test_the_teacher_sees_the_programme_they_study_on_with_their_coach_and_tutor(
    client, world, programme
):
    client.force_login(world.own.teacher)
    page = text(client.get(reverse("programmes:home")))
    assert "Your studies" in page
    assert "Dr Tom Reyes" in page  # their tutor


def test_the_coach_sees_the_teachers_they_coach_on_a_programme(client, world, programme):
    client.force_login(world.own.coach)
    page = text(client.get(reverse("programmes:home")))
    assert "Teachers you coach on a programme" in page
    assert world.own.teacher.full_name in page


def test_someone_on_no_programme_is_told_so_kindly(client, world):
    client.force_login(world.people["headteacher"])
    response = client.get(reverse("programmes:home"))
    assert response.status_code == 200
    assert "You are not on a programme yet" in text(response)


def test_university_staff_are_sent_to_their_programmes_with_a_link_in_the_header(client, programme):
    response = as_lead(client, programme).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("programmes:home")
    page = text(client.get(reverse("programmes:home")))
    assert f'href="{reverse("programmes:home")}" aria-current="page">Programmes' in page


def test_the_teacher_and_coach_homes_link_to_the_programme_when_they_are_on_one(
    client, world, programme
):
    client.force_login(world.own.teacher)
    assert "Your master's programme" in text(client.get(reverse("coaching:teacher_home")))
    client.force_login(world.own.coach)
    assert "Teachers on a programme" in text(client.get(reverse("coaching:coach_home")))


def test_the_teacher_home_has_no_programme_link_for_a_teacher_not_on_one(client, world):
    client.force_login(world.own.teacher)
    assert "my-programme-link" not in text(client.get(reverse("coaching:teacher_home")))


# A programme


def test_the_programme_page_shows_modules_assignments_cohorts_and_staff(client, programme):
    submit(programme)
    page = text(
        as_lead(client, programme).get(
            reverse("programmes:programme", args=[programme.programme.pk])
        )
    )
    assert "30 credits" in page
    assert "A case study of one action step" in page
    assert "Not marked: 1" in page
    assert "2025 cohort" in page
    assert "Prof Ruth Hale" in page  # the moderator
    assert reverse("programmes:enrol", args=[programme.programme.pk]) in page
    assert reverse("programmes:funding", args=[programme.programme.pk]) in page


def test_a_tutor_sees_the_programme_without_the_leads_actions(client, programme):
    sign_in(client, programme.tutor, programme.trust)
    page = text(client.get(reverse("programmes:programme", args=[programme.programme.pk])))
    assert "A case study of one action step" in page
    assert reverse("programmes:enrol", args=[programme.programme.pk]) not in page
    assert reverse("programmes:momentum", args=[programme.programme.pk]) in page


def test_someone_in_the_trust_who_is_not_on_its_staff_gets_a_404(client, world, programme):
    client.force_login(world.own.teacher)
    url = reverse("programmes:programme", args=[programme.programme.pk])
    assert client.get(url).status_code == 404


# Enrolling a teacher


@pytest.fixture
def new_teacher(world):
    with scopes_disabled():
        teacher = UserFactory(full_name="Nadia Patel")
        MembershipFactory(user=teacher, school=world.own.school, role=Role.TEACHER)
    return teacher


def enrol_data(pw, world, teacher, **changes):
    with scopes_disabled():
        cohort = pw.programme.cohorts.get()
    data = {
        "cohort": cohort.pk,
        "teacher": teacher.pk,
        "school": world.own.school.pk,
        "coach": world.own.coach.pk,
        "tutor": pw.tutor.pk,
        "started_on": "2026-01-05",
    }
    data.update(changes)
    return data


def enrolled(teacher):
    with scopes_disabled():
        return Enrolment.objects.filter(teacher=teacher).count()


def test_the_lead_enrols_a_teacher_with_their_coach_and_tutor(
    client, world, programme, new_teacher
):
    url = reverse("programmes:enrol", args=[programme.programme.pk])
    assert as_lead(client, programme).get(url).status_code == 200
    response = client.post(url, enrol_data(programme, world, new_teacher), follow=True)
    assert "Nadia Patel is enrolled on 2025 cohort." in text(response)
    with scopes_disabled():
        enrolment = Enrolment.objects.get(teacher=new_teacher)
    assert (enrolment.coach, enrolment.tutor) == (world.own.coach, programme.tutor)
    assert enrolment.started_on == dt.date(2026, 1, 5)


def test_a_cohort_of_another_trusts_programme_is_not_a_choice(
    client, world, programme, new_teacher
):
    with scopes_disabled():
        other = Cohort.objects.create(
            trust=world.other_trust,
            programme=Programme.objects.create(
                trust=world.other_trust,
                partner=PartnerInstitution.objects.create(
                    trust=world.other_trust, name="Another university"
                ),
                title="Another MA",
            ),
            name="Their cohort",
            starts_on=dt.date(2025, 9, 1),
        )
    url = reverse("programmes:enrol", args=[programme.programme.pk])
    response = as_lead(client, programme).post(
        url, enrol_data(programme, world, new_teacher, cohort=other.pk)
    )
    assert response.status_code == 200
    assert "Choose a cohort of this programme from the list." in text(response)
    assert enrolled(new_teacher) == 0


def test_a_coach_from_another_school_is_refused_with_the_services_reason(
    client, world, programme, new_teacher
):
    url = reverse("programmes:enrol", args=[programme.programme.pk])
    response = as_lead(client, programme).post(
        url, enrol_data(programme, world, new_teacher, coach=world.other_school.coach.pk)
    )
    assert response.status_code == 200
    assert "is not a coach at School A1" in text(response)
    assert enrolled(new_teacher) == 0


def test_a_tutor_cannot_enrol_teachers(client, programme):
    sign_in(client, programme.tutor, programme.trust)
    url = reverse("programmes:enrol", args=[programme.programme.pk])
    assert client.get(url).status_code == 403


# An assignment


def assignment_url(pw):
    return reverse("programmes:assignment", args=[pw.assignment.pk])


def test_the_lead_and_moderator_see_each_submissions_agreed_mark(client, programme):
    marked(programme, programme.enrolments[0], 64)
    page = text(as_lead(client, programme).get(assignment_url(programme)))
    assert "Marking done" in page
    assert ">64<" in page
    sign_in(client, programme.moderator, programme.trust)
    assert ">64<" in text(client.get(assignment_url(programme)))


def test_a_tutor_who_does_not_mark_a_submission_does_not_see_it(client, programme):
    marked(programme, programme.enrolments[0], 64)
    sign_in(client, programme.other_tutor, programme.trust)
    page = main_content(text(client.get(assignment_url(programme))))
    assert "No submissions yet" in page
    assert "64" not in page


def test_a_blind_first_marker_sees_no_mark_of_the_others_while_marking(client, programme):
    submission = submit(programme)
    mark(programme, submission, programme.coach, 41, 43)  # the second mark, first
    sign_in(client, programme.tutor, programme.trust)
    page = main_content(text(client.get(assignment_url(programme))))
    assert "In marking" in page
    assert "41" not in page and "42" not in page and "43" not in page


def test_the_lead_draws_the_sample_once_every_submission_is_marked(client, world, scoped):
    pw = build_programme(world, teachers=3, moderation_percent=20)
    for enrolment, agreed in zip(pw.enrolments, (62, 45, 70), strict=True):
        marked(pw, enrolment, agreed)
    response = as_lead(client, pw).post(
        reverse("programmes:sample_draw", args=[pw.assignment.pk]), follow=True
    )
    assert "The moderation sample is drawn" in text(response)
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == {Submission.Status.IN_REVIEW, Submission.Status.READY}


def test_a_draw_with_work_still_being_marked_samples_the_rest_and_says_what_it_left_out(
    client, world, scoped
):
    pw = build_programme(world, teachers=2)
    done = marked(pw, pw.enrolments[0], 62)
    half = submit(pw, pw.enrolments[1])
    mark(pw, half, pw.tutor, 60, 60)
    response = as_lead(client, pw).post(
        reverse("programmes:sample_draw", args=[pw.assignment.pk]), follow=True
    )
    page = main_content(text(response))
    assert "The moderation sample is drawn: 1 submission goes to the moderator." in page
    assert "1 submission still being marked is left out: draw again once it is marked." in page
    assert "1 submission is still being marked. A draw now leaves it out" in page
    assert fresh(done).status == Submission.Status.IN_REVIEW
    assert fresh(half).status == Submission.Status.IN_MARKING


def test_a_draw_with_nothing_marked_yet_says_how_many_are_being_marked_and_changes_nothing(
    client, world, scoped
):
    pw = build_programme(world, teachers=2)
    submit(pw, pw.enrolments[0])
    submit(pw, pw.enrolments[1])
    response = as_lead(client, pw).post(
        reverse("programmes:sample_draw", args=[pw.assignment.pk]), follow=True
    )
    assert response.status_code == 200
    assert "No work is ready for the moderation sample yet: 2 submissions are still" in text(
        response
    )
    assert not Submission.objects.filter(in_sample=True).exists()


def test_the_lead_reads_how_each_draw_samples_its_share_of_what_it_takes(client, programme):
    page = main_content(text(as_lead(client, programme).get(assignment_url(programme))))
    assert "takes the work marked since the last draw and sends at least 20% of it" in page
    assert "Every fail is always in the sample." in page
    assert "Work still being marked is left out and goes into a later draw" in page


def release_url(pw):
    return reverse("programmes:release", args=[pw.assignment.pk])


def ready_for_release(client, pw):
    """One teacher's work marked, drawn into the sample and moderated: ready for release."""
    submission = marked(pw, pw.enrolments[0], 62)
    as_lead(client, pw).post(reverse("programmes:sample_draw", args=[pw.assignment.pk]))
    moderation_record(viewer=pw.as_(pw.moderator), submission=submission, agree=True)
    return fresh(submission)


def test_the_release_button_leads_to_its_confirmation_page_not_a_release(client, programme):
    ready_for_release(client, programme)
    page = text(client.get(assignment_url(programme)))
    assert f'href="{release_url(programme)}" role="button"' in page
    assert f'action="{release_url(programme)}"' not in page


def test_the_release_page_says_how_many_teachers_see_their_marks_at_once_and_for_good(
    client, programme
):
    submission = ready_for_release(client, programme)
    with scopes_disabled():
        events = AuditEvent.objects.count()
    page = main_content(text(client.get(release_url(programme))))
    assert "1 teacher's mark is ready for release." in page
    assert "sees their mark and feedback as soon as you release it" in page
    assert "A release cannot be undone." in page
    assert "Release 1 teacher's mark" in page
    assert fresh(submission).status == Submission.Status.READY  # looking releases nothing
    with scopes_disabled():
        assert AuditEvent.objects.count() == events


def test_the_release_page_counts_the_work_that_is_not_ready_and_stays_unreleased(
    client, world, scoped
):
    pw = build_programme(world, teachers=3, moderation_percent=0, moderate_all_fails=False)
    marked(pw, pw.enrolments[0], 62)
    as_lead(client, pw).post(reverse("programmes:sample_draw", args=[pw.assignment.pk]))
    marked(pw, pw.enrolments[1], 64)  # marked after the draw
    submit(pw, pw.enrolments[2])  # still being marked
    page = main_content(text(client.get(release_url(pw))))
    assert "1 teacher's mark is ready for release." in page
    assert "2 more submissions are not ready, so they are not released now" in page
    assert "1 still being marked" in page
    assert "1 marked, waiting for the moderation sample to be drawn" in page


def test_the_lead_releases_the_marks_once_they_confirm(client, programme):
    submission = ready_for_release(client, programme)
    response = client.post(release_url(programme), {"confirm": "yes", "ready": "1"}, follow=True)
    assert "Marks released: 1 teacher can now see" in text(response)
    assert fresh(submission).status == Submission.Status.RELEASED


def test_a_release_sent_without_its_confirmation_releases_nothing(client, programme):
    submission = ready_for_release(client, programme)
    response = client.post(release_url(programme), {"ready": "1"})  # an old page's button
    assert response.status_code == 200
    assert "Nothing is released yet. Check what a release does" in text(response)
    assert "1 teacher's mark is ready for release." in text(response)
    assert fresh(submission).status == Submission.Status.READY
    assert fresh(submission).released_at is None


def test_a_release_confirmed_for_another_number_of_teachers_releases_nothing(client, programme):
    submission = ready_for_release(client, programme)
    response = client.post(release_url(programme), {"confirm": "yes", "ready": "2"})
    assert response.status_code == 200
    page = html.unescape(text(response))
    assert "changed while you were reading: 1 teacher's mark is ready now" in page
    assert fresh(submission).status == Submission.Status.READY


def test_releasing_with_nothing_ready_says_so_and_offers_no_button(client, programme):
    page = text(as_lead(client, programme).get(release_url(programme)))
    assert "No marks are ready for release." in page
    assert "cannot be undone" not in page and '<form method="post" novalidate>' not in page
    response = client.post(release_url(programme), {"confirm": "yes", "ready": "0"})
    assert response.status_code == 200
    assert "No marks are ready for release." in text(response)


def test_a_tutor_cannot_release_marks_nor_see_the_release_page(client, programme):
    sign_in(client, programme.tutor, programme.trust)
    url = release_url(programme)
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "yes", "ready": "0"}).status_code == 403


# Replacing a marker (the lead may replace the second marker on every programme)


def replace_url(submission, position="second"):
    return reverse("programmes:marker_replace", args=[submission.pk, position])


def test_the_lead_chooses_another_tutor_as_second_marker(client, world, scoped):
    pw = build_programme(world, second_marker=Programme.SecondMarker.TUTOR)
    submission = submit(pw)
    page = text(as_lead(client, pw).get(reverse("programmes:assignment", args=[pw.assignment.pk])))
    assert replace_url(submission) in page
    response = client.get(replace_url(submission))
    assert response.status_code == 200 and "Nobody yet" in text(response)
    response = client.post(replace_url(submission), {"person": pw.other_tutor.pk}, follow=True)
    assert "Dr Amira Shah marks" in text(response)
    assert fresh(submission).second_marker == pw.other_tutor


def test_the_first_marker_is_not_a_choice_of_second_marker(client, world, scoped):
    pw = build_programme(world, second_marker=Programme.SecondMarker.TUTOR)
    submission = submit(pw)
    response = as_lead(client, pw).post(replace_url(submission), {"person": pw.tutor.pk})
    assert response.status_code == 200
    assert "Choose someone from the list." in text(response)
    assert fresh(submission).second_marker is None


def test_the_lead_replaces_a_coach_second_marker_with_another_coach(client, world, programme):
    # Rewritten for issue 18: before, a coach second marker could not be replaced at all.
    submission = submit(programme)
    other = world.people["other_coach"]
    page = text(
        as_lead(client, programme).get(
            reverse("programmes:assignment", args=[programme.assignment.pk])
        )
    )
    assert replace_url(submission) in page
    page = text(client.get(replace_url(submission)))
    assert programme.coach.full_name in page and "Not in yet" in page
    assert "Why their mark is withdrawn" not in page  # no reason asked before the mark
    client.post(replace_url(submission), {"person": other.pk})
    assert fresh(submission).second_marker == other


def test_replacing_after_the_mark_asks_for_a_reason_and_withdraws_it(client, programme):
    submission = submit(programme)
    mark(programme, submission, programme.coach, 60, 60)
    page = text(as_lead(client, programme).get(replace_url(submission)))
    assert "Why their mark is withdrawn" in page and "Their mark is in" in page
    response = client.post(replace_url(submission), {"person": programme.other_tutor.pk})
    assert response.status_code == 200
    assert "Say why their mark is withdrawn." in text(response)
    assert fresh(submission).second_marker == programme.coach
    response = client.post(
        replace_url(submission),
        {"person": programme.other_tutor.pk, "reason": "The coach has left the school."},
        follow=True,
    )
    assert "The withdrawn mark stays in the history" in text(response)
    assert fresh(submission).second_marker == programme.other_tutor
    assert not fresh(submission).marks.exists()


def test_a_slot_that_is_not_a_marker_slot_is_not_found(client, programme):
    submission = submit(programme)
    assert as_lead(client, programme).get(replace_url(submission, "fourth")).status_code == 404


# Momentum and funding


def test_momentum_phrases_its_flags_as_prompts_to_help(client, programme):
    url = reverse("programmes:momentum", args=[programme.programme.pk])
    page = text(as_lead(client, programme).get(url))
    assert "prompts to get in touch and offer help" in page
    assert "No three-way meeting for a while" in page
    assert "Not yet handed in: A case study of one action step" in page
    sign_in(client, programme.tutor, programme.trust)
    assert client.get(url).status_code == 200
    sign_in(client, programme.moderator, programme.trust)
    assert client.get(url).status_code == 404


def test_momentum_shows_each_coachs_recorded_training(client, programme):
    url = reverse("programmes:momentum", args=[programme.programme.pk])
    assert "None recorded" in text(as_lead(client, programme).get(url))
    CoachTraining.objects.create(
        trust=programme.trust,
        coach=programme.coach,
        course="Instructional coaching",
        completed_on=dt.date(2025, 5, 9),
        delivered_by="The trust's coaching lead",
        recorded_by=programme.lead,
    )
    assert "1 course, the latest finished May 2025" in text(client.get(url))


def test_funding_shows_each_schools_share_and_the_universitys(client, programme):
    url = reverse("programmes:funding", args=[programme.programme.pk])
    page = text(as_lead(client, programme).get(url))
    assert "School A1" in page
    assert "£3,000.00" in page and "£1,800.00" in page and "£1,200.00" in page
    sign_in(client, programme.tutor, programme.trust)
    assert client.get(url).status_code == 404


def test_a_head_sees_their_schools_programmes_with_small_numbers_withheld(client, world, programme):
    client.force_login(world.people["headteacher"])
    response = client.get(reverse("programmes:school_programmes", args=[world.own.school.slug]))
    page = text(response)
    assert "MA in Teaching and Learning" in page
    assert "fewer than 5" in page and "withheld" in page
    assert "£" not in page.split("school-programmes")[1]
    other = reverse("programmes:school_programmes", args=[world.other_school.school.slug])
    assert client.get(other).status_code == 404


# A coach's qualification


def test_the_lead_records_a_coachs_qualification_shown_with_momentum(client, programme):
    url = reverse("programmes:qualification", args=[programme.programme.pk, programme.coach.pk])
    assert as_lead(client, programme).get(url).status_code == 200
    response = client.post(url, {"level": "pgcert", "subject": "Coaching"}, follow=True)
    assert "qualification is recorded" in text(response)
    assert "Postgraduate certificate, Coaching" in text(response)


def test_a_qualification_outside_the_list_is_refused(client, programme):
    url = reverse("programmes:qualification", args=[programme.programme.pk, programme.coach.pk])
    response = as_lead(client, programme).post(url, {"level": "knighthood"})
    assert response.status_code == 200
    assert "Choose a qualification from the list." in text(response)
    assert not CoachQualification.objects.exists()


def test_only_the_lead_records_a_qualification_and_only_for_a_coach_on_the_programme(
    world, programme
):
    with pytest.raises(PermissionDenied):
        coach_qualification_record(
            viewer=programme.as_(programme.tutor),
            programme=programme.programme,
            coach=programme.coach,
            level="masters",
        )
    with pytest.raises(ValidationError):
        coach_qualification_record(
            viewer=programme.as_(programme.lead),
            programme=programme.programme,
            coach=world.other_school.coach,
            level="masters",
        )
    assert not CoachQualification.objects.exists()


def test_the_home_page_links_the_teacher_and_coach_to_their_three_way_page(
    client, world, programme
):
    enrolment_url = reverse("programmes:enrolment", args=[programme.enrolments[0].pk])
    client.force_login(world.own.teacher)
    page = text(client.get(reverse("programmes:home")))
    assert enrolment_url in page and reverse("programmes:my_programme") in page
    client.force_login(world.own.coach)
    assert enrolment_url in text(client.get(reverse("programmes:home")))


def test_the_moderator_is_pointed_to_moderation_and_the_lead_to_coaches_qualifications(
    client, programme
):
    url = reverse("programmes:programme", args=[programme.programme.pk])
    sign_in(client, programme.moderator, programme.trust)
    assert reverse("programmes:moderation", args=[programme.programme.pk]) in text(client.get(url))
    coaches = reverse("programmes:coaches", args=[programme.programme.pk])
    assert coaches not in text(client.get(url))
    assert coaches in text(as_lead(client, programme).get(url))
    qualification = reverse(
        "programmes:qualification", args=[programme.programme.pk, programme.coach.pk]
    )
    assert qualification in text(client.get(coaches))


# A cohort, and ending a place


def test_the_lead_sees_everyone_on_a_cohort_with_their_coach_and_tutor(client, programme):
    enrolment = programme.enrolments[0]
    url = reverse("programmes:cohort", args=[enrolment.cohort_id])
    page = text(as_lead(client, programme).get(url))
    assert enrolment.teacher.full_name in page and programme.tutor.full_name in page
    assert reverse("programmes:enrolment_end", args=[enrolment.pk]) in page
    programme_page = text(
        client.get(reverse("programmes:programme", args=[programme.programme.pk]))
    )
    assert url in programme_page


def test_the_lead_ends_a_place_and_the_teacher_can_add_no_more_work(client, programme):
    enrolment = programme.enrolments[0]
    url = reverse("programmes:enrolment_end", args=[enrolment.pk])
    response = as_lead(client, programme).post(url, {"finished_on": "2026-02-27"})
    assert response.status_code == 302
    assert response.url == reverse("programmes:cohort", args=[enrolment.cohort_id])
    enrolment.refresh_from_db()
    assert enrolment.finished_on == dt.date(2026, 2, 27)
    page = text(client.get(response.url))
    assert "Ended 27 Feb 2026" in page and url not in page
    client.force_login(enrolment.teacher)
    work = text(client.get(reverse("programmes:submission", args=[programme.assignment.pk])))
    assert "Your place on this programme has ended" in work


@pytest.mark.parametrize(
    "posted, message",
    [
        ({"finished_on": ""}, "Enter the date the teacher's place ended."),
        ({"finished_on": "2020-01-01"}, "A place cannot end before it started."),
        ({"finished_on": "2999-01-01"}, "Enter today's date or an earlier one"),
        ({"finished_on": "31/02/2026"}, "Enter a real date"),
    ],
)
def test_a_bad_end_date_is_refused_and_the_place_stays_open(client, programme, posted, message):
    enrolment = programme.enrolments[0]
    url = reverse("programmes:enrolment_end", args=[enrolment.pk])
    response = as_lead(client, programme).post(url, posted)
    assert response.status_code == 200 and message in html.unescape(text(response))
    enrolment.refresh_from_db()
    assert enrolment.finished_on is None


def test_a_place_cannot_be_ended_twice_or_by_a_tutor(client, programme):
    enrolment = programme.enrolments[0]
    enrolments.enrolment_end(
        viewer=programme.as_(programme.lead), enrolment=enrolment, finished_on=dt.date(2026, 1, 5)
    )
    with pytest.raises(ValidationError, match="ended already"):
        enrolments.enrolment_end(
            viewer=programme.as_(programme.lead),
            enrolment=enrolment,
            finished_on=dt.date(2026, 2, 1),
        )
    with pytest.raises(PermissionDenied):
        enrolments.enrolment_end(
            viewer=programme.as_(programme.tutor),
            enrolment=enrolment,
            finished_on=dt.date(2026, 2, 1),
        )
