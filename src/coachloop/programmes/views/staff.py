"""Pages for the university's staff and the programme lead: the programmes someone works on,
a programme, enrolling a teacher, an assignment's submissions with the lead's marking actions
(second marker, moderation sample, release), momentum, funding, and a school's programme
aggregates for its headteacher."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted, refusal_text
from coachloop.common.submissions import creates_once
from coachloop.people.models import Role
from coachloop.programmes.forms.staff import (
    EndPlaceForm,
    EnrolForm,
    QualificationForm,
    ReleaseForm,
)
from coachloop.programmes.queries import staff_pages as queries
from coachloop.programmes.queries.funding import programme_funding, school_funding
from coachloop.programmes.queries.marking_pages import marking_queue
from coachloop.programmes.queries.momentum import momentum as momentum_for
from coachloop.programmes.services import enrolments, moderation, qualifications


@member_required()
def home(request):
    page = queries.programmes_home(request.viewer)
    # Whoever marks sees at once how much is waiting for them.
    queue = marking_queue(request.viewer) if page.marks else None
    return render(request, "programmes/staff/home.html", {"page": page, "queue": queue})


@member_required()
def programme(request, programme_id):
    page = queries.programme_page(request.viewer, programme_id)
    return render(request, "programmes/staff/programme.html", {"page": page})


@member_required()
def coaches(request, programme_id):
    page = queries.coaches_page(request.viewer, programme_id, page=request.GET.get("page"))
    return render(request, "programmes/staff/coaches.html", {"page": page})


@member_required()
def cohort(request, cohort_id):
    page = queries.cohort_page(request.viewer, cohort_id, page=request.GET.get("page"))
    return render(request, "programmes/staff/cohort.html", {"page": page})


@member_required()
def enrolment_end(request, enrolment_id):
    enrolment = queries.enrolment_for_lead(request.viewer, enrolment_id)
    form = EndPlaceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            enrolments.enrolment_end(
                viewer=request.viewer,
                enrolment=enrolment,
                finished_on=form.cleaned_data["finished_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s's place has ended. What they wrote with their coach and tutor stays "
                    "theirs to read."
                )
                % {"name": enrolment.teacher.full_name},
            )
            return redirect("programmes:cohort", enrolment.cohort_id)
    context = {"enrolment": enrolment, "form": form}
    return render(request, "programmes/staff/enrolment_end.html", context)


@member_required()
@creates_once
def enrol(request, programme_id):
    programme, _roles = queries.programme_for_staff(
        request.viewer, programme_id, allowed=(queries.LEAD,)
    )
    form = EnrolForm(posted(request), choices=queries.enrol_choices(request.viewer, programme))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = enrolments.enrolment_add(viewer=request.viewer, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is enrolled on %(cohort)s.")
                % {"name": enrolment.teacher.full_name, "cohort": enrolment.cohort.name},
            )
            return redirect("programmes:programme", programme.pk)
    return render(request, "programmes/staff/enrol.html", {"programme": programme, "form": form})


@member_required()
def assignment(request, assignment_id):
    page = queries.assignment_page(request.viewer, assignment_id, page=request.GET.get("page"))
    return render(request, "programmes/staff/assignment.html", {"page": page})


@require_POST
@member_required()
def sample_draw(request, assignment_id):
    found, _roles = queries.assignment_for_staff(
        request.viewer, assignment_id, allowed=(queries.LEAD,)
    )
    try:
        sample = moderation.moderation_sample_draw(viewer=request.viewer, assignment=found)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        drawn = ngettext(
            "The moderation sample is drawn: %(n)s submission goes to the moderator.",
            "The moderation sample is drawn: %(n)s submissions go to the moderator.",
            len(sample),
        ) % {"n": len(sample)}
        left_out = queries.being_marked(found)
        if left_out:
            drawn += " " + ngettext(
                "%(n)s submission still being marked is left out: draw again once it is marked.",
                "%(n)s submissions still being marked are left out: draw again once they are "
                "marked.",
                left_out,
            ) % {"n": left_out}
        messages.success(request, drawn)
    return redirect("programmes:assignment", found.pk)


@require_POST
@member_required()
def sample_add(request, submission_id):
    """The lead adds one submission to the moderation sample by hand."""
    submission = queries.submission_for_lead(request.viewer, submission_id)
    try:
        moderation.moderation_sample_add(viewer=request.viewer, submission=submission)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(
            request,
            _("%(name)s's work is in the moderation sample: it goes to the moderator.")
            % {"name": submission.enrolment.teacher.full_name},
        )
    return redirect("programmes:assignment", submission.assignment_id)


@member_required()
@creates_once
def release(request, assignment_id):
    """A release's confirmation: the page says how many teachers' marks it releases, that they
    see them at once and that it cannot be undone (a GET writes nothing); the page's form,
    sent with its confirmation, releases them."""
    page = queries.release_page(request.viewer, assignment_id)
    form = ReleaseForm(posted(request), ready_now=page.ready)
    if request.method == "POST" and form.is_valid():
        try:
            released = moderation.marks_release(viewer=request.viewer, assignment=page.assignment)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Marks released: %(n)s teacher can now see their mark and feedback.",
                    "Marks released: %(n)s teachers can now see their mark and feedback.",
                    len(released),
                )
                % {"n": len(released)},
            )
            return redirect("programmes:assignment", page.assignment.pk)
    return render(request, "programmes/staff/release.html", {"page": page, "form": form})


@member_required()
def momentum(request, programme_id):
    page = momentum_for(request.viewer, programme_id)
    return render(request, "programmes/staff/momentum.html", {"page": page})


@member_required()
def funding(request, programme_id):
    whole, rows = programme_funding(request.viewer, programme_id)
    context = {"programme_id": programme_id, "whole": whole, "rows": rows}
    return render(request, "programmes/staff/funding.html", context)


@member_required(Role.HEADTEACHER, Role.TRUST_LEAD)
def school_programmes(request, school_slug):
    school = queries.school_for_programmes(request.viewer, school_slug)
    rows = school_funding(request.viewer, school)
    return render(request, "programmes/staff/school.html", {"school": school, "rows": rows})


@member_required()
@creates_once
def qualification(request, programme_id, coach_id):
    programme, _roles = queries.programme_for_staff(
        request.viewer, programme_id, allowed=(queries.LEAD,)
    )
    coach, current = queries.coach_on_programme(programme, coach_id)
    initial = {"level": current.level, "subject": current.subject} if current else None
    form = QualificationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            qualifications.coach_qualification_record(
                viewer=request.viewer, programme=programme, coach=coach, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s's qualification is recorded.") % {"name": coach.full_name}
            )
            return redirect("programmes:momentum", programme.pk)
    context = {"programme": programme, "coach": coach, "current": current, "form": form}
    return render(request, "programmes/staff/qualification.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("<int:programme_id>/", programme, name="programme"),
    path("<int:programme_id>/enrol/", enrol, name="enrol"),
    path("cohorts/<int:cohort_id>/", cohort, name="cohort"),
    path("enrolments/<int:enrolment_id>/end/", enrolment_end, name="enrolment_end"),
    path("<int:programme_id>/momentum/", momentum, name="momentum"),
    path("<int:programme_id>/funding/", funding, name="funding"),
    path("<int:programme_id>/coaches/", coaches, name="coaches"),
    path(
        "<int:programme_id>/coaches/<int:coach_id>/qualification/",
        qualification,
        name="qualification",
    ),
    path("assignments/<int:assignment_id>/", assignment, name="assignment"),
    path("assignments/<int:assignment_id>/sample/", sample_draw, name="sample_draw"),
    path("assignments/<int:assignment_id>/release/", release, name="release"),
    path("submissions/<int:submission_id>/sample/", sample_add, name="sample_add"),
    path("schools/<slug:school_slug>/", school_programmes, name="school_programmes"),
]
