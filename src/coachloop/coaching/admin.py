"""Administrators say who coaches whom. Coaching content is not in the admin site.

A coaching period is started, and later ended; it is never rewritten, so a change of coach is
an end and a new start. Coaching started here is marked so, and the teacher's page says it
was; its coach reads what came before it only as any new coach does, with the teacher's
agreement.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from coachloop.coaching import services
from coachloop.coaching.models import Relationship
from coachloop.coaching.services.relationships import KIND_FIELDS, relationship_end_problem
from coachloop.common.admin_site import FinishOnceForm, PeriodAdmin, is_trust_administrator
from coachloop.people import queries as people_queries
from coachloop.people.models import Role


class RelationshipStartForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "school" in self.fields:
            # Only imported history has no school; coaching started here is at one.
            self.fields["school"].required = True
        if "kind" in self.fields:
            # Co-coaching is a pair of relationships: the coaching lead's page starts it.
            self.fields["kind"].choices = [
                choice
                for choice in self.fields["kind"].choices
                if choice[0] != Relationship.Kind.CO_COACHING
            ]

    def clean(self):
        data = super().clean()
        if not self.errors:
            services.relationship_check(
                school=data["school"],
                coach=data["coach"],
                teacher=data["teacher"],
                kind=data["kind"],
                started_on=data["started_on"],
                **{name: data.get(name) for name in KIND_FIELDS},
            )
        return data


class RelationshipEndForm(FinishOnceForm):
    already_finished = _("This coaching has already ended. Start a new period instead.")
    before_start = _("Coaching cannot end before it started.")
    may_finish_later = False  # ending it closes the current step now

    finishing_help = ngettext_lazy(
        "Ending the coaching closes the teacher's current step and cannot be undone. The coach "
        "can still read the record, not change it, for %(days)d day.",
        "Ending the coaching closes the teacher's current step and cannot be undone. The coach "
        "can still read the record, not change it, for %(days)d days.",
        "days",
    )

    def clean_finished_on(self):
        value = super().clean_finished_on()
        problem = value and relationship_end_problem(relationship=self.instance, finished_on=value)
        if problem:
            raise ValidationError(problem)
        return value


class RunningFilter(admin.SimpleListFilter):
    title = _("running or ended")
    parameter_name = "running"

    def lookups(self, request, model_admin):
        return [("yes", _("Running")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(finished_on__isnull=self.value() == "yes")
        return queryset


@admin.register(Relationship)
class RelationshipAdmin(PeriodAdmin):
    list_display = ["teacher", "coach", "school", "started_on", "finished_on"]
    list_filter = [RunningFilter, "school"]
    list_select_related = ["teacher", "coach", "school"]
    search_fields = ["teacher__full_name", "coach__full_name"]
    start_fields = ["school", "coach", "teacher", "kind", "started_on", *KIND_FIELDS]
    start_form = RelationshipStartForm
    finish_form = RelationshipEndForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if is_trust_administrator(request) and db_field.name in ("coach", "teacher"):
            role = Role.COACH if db_field.name == "coach" else Role.TEACHER
            kwargs["queryset"] = people_queries.people_of(request.viewer.trust, role=role)
            kwargs["help_text"] = _("People with this role at the school on the start date.")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def start(self, request, obj):
        return services.relationship_start(
            actor=request.user,
            school=obj.school,
            coach=obj.coach,
            teacher=obj.teacher,
            kind=obj.kind,
            started_on=obj.started_on,
            in_admin=True,
            **{name: getattr(obj, name) for name in KIND_FIELDS},
        )

    def finish(self, request, obj):
        services.relationship_end(actor=request.user, relationship=obj, finished_on=obj.finished_on)
