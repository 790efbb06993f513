"""Kinds of coaching, ending it and handing it over.

The school's coaching lead starts mentoring, specialist coaching or co-coaching (instructional
coaching starts on the team's "assign a coach" page), ends any coaching, and hands coaching
over to a new coach. When coaching starts after something of the teacher's (a handover, their
own earlier stages or goal notes), the teacher answers whether the coach may read what came
before; after a handover the new coach reads the earlier coaching on its own page.

A lead of another school is shown a 404; someone who leads no school, a 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coachloop.coaching.forms.relationships import (
    DEFAULT_MENTORING_DAYS,
    CoCoachingForm,
    ConsentForm,
    EndForm,
    HandoverForm,
    MentoringForm,
    SpecialistForm,
)
from coachloop.coaching.queries import loop as queries
from coachloop.coaching.queries import relationships as rel_queries
from coachloop.coaching.services import handover as handover_services
from coachloop.coaching.services import relationships as services
from coachloop.common import navigation
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.people import queries as people_queries
from coachloop.people.models import Role
from coachloop.policy import queries as policy_queries

LEAD = Role.COACHING_LEAD
Kind = rel_queries.Kind
STARTED = {
    Kind.MENTORING: gettext_lazy("%(coach)s now mentors %(teacher)s."),
    Kind.SPECIALIST: gettext_lazy("%(coach)s now gives %(teacher)s specialist coaching."),
    Kind.CO_COACHING: gettext_lazy("%(teacher)s and %(peer)s now coach each other."),
}
START_TITLES = {
    Kind.MENTORING: gettext_lazy("Start mentoring"),
    Kind.SPECIALIST: gettext_lazy("Start specialist coaching"),
    Kind.CO_COACHING: gettext_lazy("Start co-coaching"),
}


def _school(request, slug):
    return people_queries.school_for(request.viewer, slug=slug, role=LEAD)


def _day(value):
    return date_format(value, "j F Y")


@member_required(LEAD)
def relationship_new(request, school_slug):
    """The kinds of coaching a lead can start, each in a sentence: first those other apps offer
    (instructional coaching starts on rollout's team page), reading the page's ``school``."""
    school = _school(request, school_slug)
    offers = navigation.offers("coaching:relationship_new", request.viewer)
    return render(request, "coaching/relationships/new.html", {"school": school, "offers": offers})


def assign_coach(request, school, form):
    """Start the coaching an "assign a coach" form describes (its ``kind``), or put the
    service's problems on the form: past the school's caseload limit, ``OverCaseload`` makes
    the form ask the lead to confirm (``form.ask_to_confirm``); coaching of this kind the
    teacher has from another coach, ``SameKindRunning``, makes it ask whether to end that or
    keep both (``form.ask_same_kind``). Whether it started."""
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.coach_assign(
            viewer=request.viewer,
            school=school,
            coach=data["coach"],
            teacher=data["teacher"],
            started_on=data["started_on"],
            over_limit_confirmed=data["assign_anyway"],
            kind=form.kind,
            same_kind=data["same_kind"] or None,
            **form.kind_fields(),
        )
    except services.SameKindRunning as error:
        form.same_kind_running = error.running
        form.add_error("same_kind", error.messages)
        return False
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _co_coaching_started(request, school, form):
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.co_coaching_start(
            viewer=request.viewer,
            school=school,
            teacher=data["teacher"],
            peer=data["peer"],
            started_on=data["started_on"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def _start_form(request, school, kind):
    viewer = request.viewer
    initial = {"started_on": timezone.localdate()}
    teachers = rel_queries.teachers_of(viewer, school=school)
    if kind == Kind.CO_COACHING:
        return CoCoachingForm(posted(request), initial=initial, teachers=teachers)
    people = rel_queries.assign_choices(viewer, school=school)
    if kind == Kind.MENTORING:
        initial["cadence_days"] = DEFAULT_MENTORING_DAYS
        return MentoringForm(posted(request), initial=initial, **people)
    model = policy_queries.school_model(school)
    strands = rel_queries.strands_for_school(viewer, school=school, framework_id=model.framework_id)
    return SpecialistForm(posted(request), initial=initial, strands=strands, **people)


@member_required(LEAD)
@creates_once
def relationship_start(request, school_slug, kind):
    """Start mentoring, specialist coaching or co-coaching in the school. Mentoring and
    specialist coaching go through the team's "assign a coach" flow, caseload limit and all."""
    school = _school(request, school_slug)
    kind = rel_queries.KIND_SLUGS.get(kind)
    if kind is None:
        raise Http404
    form = _start_form(request, school, kind)
    if kind == Kind.CO_COACHING:
        started = _co_coaching_started(request, school, form)
    else:
        started = assign_coach(request, school, form)
    if started:
        names = {
            name: person.full_name
            for name, person in form.cleaned_data.items()
            if name in ("teacher", "coach", "peer")
        }
        messages.success(request, STARTED[kind] % names)
        return redirect("coaching:lead_home", school.slug)
    context = {"school": school, "kind": kind, "title": START_TITLES[kind], "form": form}
    return render(request, "coaching/relationships/start.html", context)


@member_required(LEAD)
def relationship_end(request, relationship_id):
    relationship = rel_queries.relationship_to_run(request.viewer, relationship_id)
    form = EndForm(posted(request), initial={"finished_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_close(
                viewer=request.viewer,
                relationship=relationship,
                finished_on=form.cleaned_data["finished_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if relationship.kind == Kind.CO_COACHING:
                message = _("The co-coaching of %(one)s and %(other)s has ended.") % {
                    "one": relationship.teacher.full_name,
                    "other": relationship.coach.full_name,
                }
            else:
                message = _(
                    "The coaching has ended. %(coach)s can read the record, not change it, "
                    "until %(date)s."
                ) % {
                    "coach": relationship.coach.full_name,
                    "date": _day(relationship.coach_reads_until),
                }
            messages.success(request, message)
            return redirect("coaching:lead_home", relationship.school.slug)
    context = {
        "relationship": relationship,
        "kind": rel_queries.kind_of(relationship),
        "read_days": policy_queries.read_after_end_days(relationship.school),
        "form": form,
    }
    return render(request, "coaching/relationships/end.html", context)


@member_required(LEAD)
@creates_once
def relationship_handover(request, relationship_id):
    viewer = request.viewer
    relationship = rel_queries.relationship_to_run(viewer, relationship_id)
    co_coaching = relationship.kind == Kind.CO_COACHING
    form = HandoverForm(
        None if co_coaching else posted(request),
        coaches=rel_queries.coaches_for_handover(viewer, relationship=relationship),
        limit=rel_queries.caseload_limit(viewer, school=relationship.school),
    )
    if request.method == "POST" and not co_coaching and form.is_valid():
        coach = form.cleaned_data["coach"]
        try:
            handover_services.relationship_hand_over(
                viewer=viewer, relationship=relationship, coach=coach
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(coach)s now coaches %(teacher)s, carrying on from the current step. "
                    "%(teacher)s will be asked whether %(coach)s may read their earlier notes."
                )
                % {"coach": coach.full_name, "teacher": relationship.teacher.full_name},
            )
            return redirect("coaching:lead_home", relationship.school.slug)
    context = {
        "relationship": relationship,
        "kind": rel_queries.kind_of(relationship),
        "co_coaching": co_coaching,
        "current_step": queries.current_step(relationship),
        "read_days": policy_queries.read_after_end_days(relationship.school),
        "form": form,
    }
    return render(request, "coaching/relationships/handover.html", context)


CONSENT_MESSAGES = {
    # (handed over, answer): what the teacher is told
    (True, ConsentForm.AGREE): gettext_lazy(
        "%(coach)s can now read your earlier coaching notes. You can stop this at any time."
    ),
    (True, ConsentForm.WITHDRAW): gettext_lazy(
        "%(coach)s can no longer read your earlier coaching notes."
    ),
    (False, ConsentForm.AGREE): gettext_lazy(
        "%(coach)s can now read what you recorded before your coaching with them began. You "
        "can stop this at any time."
    ),
    (False, ConsentForm.WITHDRAW): gettext_lazy(
        "%(coach)s can no longer read what you recorded before your coaching with them began."
    ),
}


@member_required(Role.TEACHER)
def earlier_consent(request, relationship_id):
    """The teacher says whether their coach may read what came before their coaching: the
    earlier coaching after a handover, and their own earlier stages and goal notes."""
    viewer = request.viewer
    relationship = rel_queries.earlier_content_question(viewer, pk=relationship_id)
    form = ConsentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        answer = form.cleaned_data["answer"]
        coach = relationship.coach.full_name
        handed_over = relationship.handed_over_from_id is not None
        if answer == ConsentForm.AGREE:
            handover_services.earlier_content_consent_give(viewer=viewer, relationship=relationship)
            message = CONSENT_MESSAGES[handed_over, answer] % {"coach": coach}
        elif answer == ConsentForm.WITHDRAW:
            handover_services.earlier_content_consent_withdraw(
                viewer=viewer, relationship=relationship
            )
            message = CONSENT_MESSAGES[handed_over, answer] % {"coach": coach}
        else:
            message = _(
                "Nothing has been shared with %(coach)s. You can decide later, from this page."
            ) % {"coach": coach}
        messages.success(request, message)
        return redirect("coaching:teacher_home")
    return render(
        request,
        "coaching/relationships/consent.html",
        {"relationship": relationship, "form": form},
    )


@member_required()
def earlier_record(request, relationship_id):
    """The coaching handed over to this coach: activity, and notes once the teacher agrees."""
    earlier = rel_queries.earlier_record(request.viewer, relationship_id)
    return render(
        request,
        "coaching/relationships/earlier.html",
        {"earlier": earlier, "relationship": earlier.relationship},
    )


urlpatterns = [
    path(
        "lead/<slug:school_slug>/coaching/new/",
        relationship_new,
        name="relationship_new",
    ),
    path(
        "lead/<slug:school_slug>/coaching/new/<slug:kind>/",
        relationship_start,
        name="relationship_start",
    ),
    path(
        "lead/coaching/<int:relationship_id>/end/",
        relationship_end,
        name="relationship_end",
    ),
    path(
        "lead/coaching/<int:relationship_id>/hand-over/",
        relationship_handover,
        name="relationship_handover",
    ),
    path(
        "me/coaching/<int:relationship_id>/earlier-notes/",
        earlier_consent,
        name="earlier_consent",
    ),
    path(
        "coach/teachers/<int:relationship_id>/earlier/",
        earlier_record,
        name="earlier_record",
    ),
]
