"""Group coaching pages: the coaching lead sets up dyads and action learning sets and sees
their activity; members see their groups and record, change and report on sessions."""

from functools import partial

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coachloop.coaching.forms.groups import (
    ActionReportForm,
    CoachingGroupForm,
    GroupSessionEditForm,
    GroupSessionForm,
    MemberAddForm,
)
from coachloop.coaching.queries import groups as queries
from coachloop.coaching.services import groups as services
from coachloop.coaching.views.editing import save_versioned
from coachloop.common.decorators import member_required
from coachloop.common.forms import add_service_errors, posted
from coachloop.common.submissions import creates_once
from coachloop.people import queries as people_queries
from coachloop.people.models import Role

SESSIONS_SHOWN = 10


def _led_school(request, school_slug):
    return people_queries.school_for(request.viewer, slug=school_slug, role=Role.COACHING_LEAD)


def _led_group(request, school_slug, group_id):
    school = _led_school(request, school_slug)
    return school, queries.led_group_for(request.viewer, school=school, pk=group_id)


def _ended(request, school, group):
    """Send the lead back to an ended group's page: nothing about it can change now."""
    messages.error(
        request,
        _("This group ended on %(date)s, so it can no longer be changed.")
        % {"date": date_format(group.finished_on, "j F Y")},
    )
    return redirect("coaching:lead_group", school.slug, group.pk)


# -- the coaching lead -------------------------------------------------------------------------


@member_required(Role.COACHING_LEAD)
def lead_groups(request, school_slug):
    school = _led_school(request, school_slug)
    found = queries.lead_groups(request.viewer, school=school)
    return render(request, "coaching/groups/lead_list.html", {"school": school, "groups": found})


@member_required(Role.COACHING_LEAD)
@creates_once
def lead_group_new(request, school_slug):
    school = _led_school(request, school_slug)
    staff = queries.school_staff(request.viewer, school=school)
    form = CoachingGroupForm(posted(request), staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.coaching_group_create(
                viewer=request.viewer, school=school, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is set up. Its members will find it under My groups.")
                % {"name": group.name},
            )
            return redirect("coaching:lead_group", school.slug, group.pk)
    return render(request, "coaching/groups/lead_form.html", {"school": school, "form": form})


@member_required(Role.COACHING_LEAD)
def lead_group(request, school_slug, group_id):
    school, group = _led_group(request, school_slug, group_id)
    page = queries.lead_group_page(request.viewer, group=group)
    return render(request, "coaching/groups/lead_group.html", {"school": school, "page": page})


@member_required(Role.COACHING_LEAD)
@creates_once
def lead_group_member_add(request, school_slug, group_id):
    school, group = _led_group(request, school_slug, group_id)
    if group.finished_on is not None:
        return _ended(request, school, group)
    form = MemberAddForm(posted(request), staff=queries.addable_staff(request.viewer, group=group))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.group_member_add(
                viewer=request.viewer, group=group, person=form.cleaned_data["person"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(person)s has joined the group.") % {"person": member.person}
            )
            return redirect("coaching:lead_group", school.slug, group.pk)
    return render(
        request,
        "coaching/groups/lead_member_add.html",
        {"school": school, "group": group, "form": form},
    )


@member_required(Role.COACHING_LEAD)
def lead_group_member_remove(request, school_slug, group_id, member_id):
    school, group = _led_group(request, school_slug, group_id)
    if group.finished_on is not None:
        return _ended(request, school, group)
    member = queries.led_member_for(request.viewer, group=group, pk=member_id)
    form = forms.Form(posted(request))
    if request.method == "POST":
        try:
            services.group_member_remove(viewer=request.viewer, member=member)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s has left the group and no longer sees its sessions.")
                % {"person": member.person},
            )
            return redirect("coaching:lead_group", school.slug, group.pk)
    return render(
        request,
        "coaching/groups/lead_member_remove.html",
        {"school": school, "group": group, "member": member, "form": form},
    )


@member_required(Role.COACHING_LEAD)
def lead_group_end(request, school_slug, group_id):
    school, group = _led_group(request, school_slug, group_id)
    if group.finished_on is not None:
        return _ended(request, school, group)
    form = forms.Form(posted(request))
    if request.method == "POST":
        try:
            services.coaching_group_end(viewer=request.viewer, group=group)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s has ended.") % {"name": group.name})
            return redirect("coaching:lead_group", school.slug, group.pk)
    return render(
        request, "coaching/groups/lead_end.html", {"school": school, "group": group, "form": form}
    )


# -- members -----------------------------------------------------------------------------------


@member_required()
def my_groups(request):
    return render(
        request, "coaching/groups/mine.html", {"groups": queries.my_groups(request.viewer)}
    )


@member_required()
def group_detail(request, group_id):
    group = queries.group_for(request.viewer, group_id)
    show_all = request.GET.get("sessions") == "all"
    page = queries.group_page(
        request.viewer, group=group, session_limit=None if show_all else SESSIONS_SHOWN
    )
    return render(request, "coaching/groups/group.html", {"page": page})


@member_required()
@creates_once
def group_session_new(request, group_id):
    group = queries.group_for(request.viewer, group_id, rule=queries.WRITE)
    members = queries.current_members(request.viewer, group=group)
    form = GroupSessionForm(posted(request), members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_session_record(viewer=request.viewer, group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session recorded. Everyone in the group can read it."))
            return redirect("coaching:group", group.pk)
    return render(
        request,
        "coaching/groups/session_form.html",
        {
            "group": group,
            "form": form,
            "open_actions": queries.open_actions(request.viewer, group=group),
        },
    )


@member_required()
def group_session_edit(request, session_id):
    session = queries.group_session_for(request.viewer, session_id, rule=queries.WRITE_SESSION)
    members = queries.current_members(request.viewer, group=session.group, session=session)
    options = {"members": members, "reported": session.reported_on is not None}
    conflict = None
    if request.method == "POST":
        form, conflict, saved = save_versioned(
            request,
            GroupSessionEditForm,
            partial(services.group_session_update, viewer=request.viewer, session=session),
            **options,
        )
        if saved:
            messages.success(request, _("Session updated."))
            return redirect("coaching:group", session.group_id)
    else:
        form = GroupSessionEditForm(initial=GroupSessionForm.initial_for(session), **options)
    return render(
        request,
        "coaching/groups/session_edit.html",
        {"session": session, "group": session.group, "form": form, "conflict": conflict},
    )


@member_required()
def group_action_report(request, session_id):
    session = queries.group_session_for(request.viewer, session_id, rule=queries.WRITE_SESSION)
    if not session.action:
        messages.error(
            request, _("No action was set at this session, so there is nothing to report on.")
        )
        return redirect("coaching:group", session.group_id)
    conflict = None
    if request.method == "POST":
        form, conflict, saved = save_versioned(
            request,
            ActionReportForm,
            partial(services.group_action_report, viewer=request.viewer, session=session),
        )
        if saved:
            messages.success(
                request,
                _("What happened with %(person)s's action is recorded.")
                % {"person": session.presenter or _("the presenter")},
            )
            return redirect("coaching:group", session.group_id)
    else:
        form = ActionReportForm(
            initial={
                "version": session.version,
                "action_report": session.action_report,
                "reported_on": session.reported_on or timezone.localdate(),
            }
        )
    return render(
        request,
        "coaching/groups/action_report.html",
        {"session": session, "group": session.group, "form": form, "conflict": conflict},
    )


urlpatterns = [
    path("lead/<slug:school_slug>/groups/", lead_groups, name="lead_groups"),
    path("lead/<slug:school_slug>/groups/new/", lead_group_new, name="lead_group_new"),
    path("lead/<slug:school_slug>/groups/<int:group_id>/", lead_group, name="lead_group"),
    path(
        "lead/<slug:school_slug>/groups/<int:group_id>/add-member/",
        lead_group_member_add,
        name="lead_group_member_add",
    ),
    path(
        "lead/<slug:school_slug>/groups/<int:group_id>/members/<int:member_id>/remove/",
        lead_group_member_remove,
        name="lead_group_member_remove",
    ),
    path(
        "lead/<slug:school_slug>/groups/<int:group_id>/end/", lead_group_end, name="lead_group_end"
    ),
    path("groups/", my_groups, name="my_groups"),
    path("groups/<int:group_id>/", group_detail, name="group"),
    path("groups/<int:group_id>/sessions/new/", group_session_new, name="group_session_new"),
    path("groups/sessions/<int:session_id>/edit/", group_session_edit, name="group_session_edit"),
    path(
        "groups/sessions/<int:session_id>/what-happened/",
        group_action_report,
        name="group_action_report",
    ),
]
