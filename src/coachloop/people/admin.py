"""Administrators keep their trust's people, schools, roles and school years here.

People are added with their first role and choose their own password from an email; nobody
else ever knows it. Roles are periods: an administrator starts one or finishes one, and never
edits or deletes the past.
"""

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coachloop.common.admin_site import (
    FinishOnceForm,
    PeriodAdmin,
    TrustAdmin,
    TrustInline,
    is_trust_administrator,
)
from coachloop.common.formsets import BoundedInlineFormSet
from coachloop.common.tenancy import scopes_disabled
from coachloop.people import services
from coachloop.people.admin_single_sign_on import TrustDetailsForm, signed_in_through
from coachloop.people.models import (
    AcademicYear,
    ExternalId,
    Membership,
    Role,
    School,
    Term,
    Trust,
    User,
)

admin.site.unregister(Group)  # roles are memberships, not permission groups


class FinishOnlyForm(FinishOnceForm):
    """Finishing one of this person's existing roles (new roles are started elsewhere)."""

    already_finished = _("This role has already finished. Start a new role instead.")
    before_start = _("A role cannot finish before it started.")
    finishing_help = _(
        "From the day after, the person no longer has this role or what it gives them here. "
        "This cannot be undone: start a new role instead."
    )


class CurrentRolesInline(TrustInline):
    model = Membership
    form = FinishOnlyForm
    fk_name = "user"
    verbose_name = _("role")
    verbose_name_plural = _("roles, past and present")
    fields = ["role", "school", "started_on", "finished_on"]
    readonly_fields = ["role", "school", "started_on"]
    ordering = ["-started_on"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("school")


class NewRolesFormSet(BoundedInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if form.errors or not form.has_changed() or not getattr(form, "cleaned_data", None):
                continue
            key = (form.cleaned_data.get("role"), form.cleaned_data.get("school"))
            if key in seen:
                raise ValidationError(_("The same role in the same school is given twice."))
            seen.add(key)


class NewRoleInline(TrustInline):
    model = Membership
    formset = NewRolesFormSet
    fk_name = "user"
    verbose_name = _("role")
    verbose_name_plural = _("add a role")
    fields = ["role", "school", "started_on"]

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj else 0

    def get_min_num(self, request, obj=None, **kwargs):
        return 0 if obj else 1  # someone new is added with their first role

    def get_queryset(self, request):
        return super().get_queryset(request).none()


def save_role_forms(request, formset, *, user):
    """Start new roles and finish changed ones, through the services that audit them."""
    trust = request.viewer.trust
    # The admin's change message reads these, as if ``formset.save()`` had run.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed() or not form.cleaned_data:
            continue
        membership = form.instance
        if membership.pk is None:
            started = services.membership_start(
                actor=request.user,
                trust=trust,
                user=user,
                role=membership.role,
                school=membership.school,
                started_on=membership.started_on,
            )
            formset.new_objects.append(started)
        elif "finished_on" in form.changed_data and membership.finished_on:
            finished = services.membership_finish(
                actor=request.user, membership=membership, finished_on=membership.finished_on
            )
            formset.changed_objects.append((finished, ["finished_on"]))


class PersonForm(forms.ModelForm):
    trust = None  # set by the admin for the request

    def clean(self):
        data = super().clean()
        if self.instance.pk and not self.errors:
            problem = services.person_update_problem(
                trust=self.trust,
                person=self.instance,
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
                is_active=data.get("is_active", False),
            )
            if problem:
                raise ValidationError(problem)
        return data

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        problem = services.email_problem(
            trust=self.trust, email=email, person=self.instance if self.instance.pk else None
        )
        if problem:
            raise ValidationError(problem)
        return email


class PersonAddForm(PersonForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]
        help_texts = {
            "email": _("They sign in with it. We email them a link to choose their password.")
        }


class PersonChangeForm(PersonForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "is_active"]


class RoleHereFilter(admin.SimpleListFilter):
    """People with a current role of this kind in the administrator's trust (not elsewhere)."""

    title = _("current role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() not in Role.values or not is_trust_administrator(request):
            return queryset
        holders = Membership.objects.current().filter(trust=request.viewer.trust, role=self.value())
        return queryset.filter(pk__in=holders.values("user_id"))


@admin.register(User)
class PersonAdmin(TrustAdmin):
    list_display = ["full_name", "email", "is_active"]
    list_filter = ["is_active", RoleHereFilter]
    search_fields = ["full_name", "email"]
    ordering = ["full_name"]
    readonly_fields = ["last_login", "date_joined", "two_step", "identifiers", "personal_data"]
    inlines = [CurrentRolesInline, NewRoleInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = PersonChangeForm if obj else PersonAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        if is_trust_administrator(request):
            form.trust = request.viewer.trust
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "full_name"]
        return [
            "email",
            "full_name",
            "is_active",
            "last_login",
            "date_joined",
            "two_step",
            "identifiers",
            "personal_data",
        ]

    @admin.display(description=_("their data"))
    def personal_data(self, obj):
        """Where a subject access request and erasure are answered (``people.data_views``)."""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("person_data", args=[obj.pk]),
            _("Download everything held about them, or erase them"),
        )

    @admin.display(description=_("identifiers in other systems"))
    def identifiers(self, obj):
        """What this trust's other systems call the person (their OneRoster sourcedId, their
        TRN). Set by roster imports, so shown and not edited: a wrong one is put right in the
        roster and imported again."""
        # The request's trust scope keeps this to the administrator's own trust.
        found = ExternalId.objects.filter(person=obj)
        return "; ".join(str(identifier) for identifier in found) or _("None.")

    @admin.display(description=_("two-step sign-in"))
    def two_step(self, obj):
        """What the person has set up, and the way to reset it."""
        kinds = list(Authenticator.objects.filter(user_id=obj.pk).values_list("type", flat=True))
        if not kinds:
            return _("Not set up.")
        parts = []
        if Authenticator.Type.TOTP in kinds:
            parts.append(str(_("an authenticator app")))
        keys = kinds.count(Authenticator.Type.WEBAUTHN)
        if keys:
            parts.append(
                ngettext(
                    "%(count)d passkey or security key", "%(count)d passkeys or security keys", keys
                )
                % {"count": keys}
            )
        if Authenticator.Type.RECOVERY_CODES in kinds:
            parts.append(str(_("recovery codes")))
        url = reverse("admin:people_user_two_step_reset", args=[obj.pk])
        return format_html(
            '{} <a href="{}">{}</a>',
            _("Set up: %(ways)s.") % {"ways": ", ".join(parts)},
            url,
            _("Reset two-step sign-in"),
        )

    def get_urls(self):
        reset = self.admin_site.admin_view(self.two_step_reset_view)
        return [
            path("<path:object_id>/two-step/reset/", reset, name="people_user_two_step_reset"),
            *super().get_urls(),
        ]

    def two_step_reset_view(self, request, object_id):
        """Confirm, then reset the person's two-step sign-in (``services.two_step_reset``)."""
        person = self.get_object(request, unquote(object_id))
        if person is None or not self.has_change_permission(request, person):
            raise Http404
        trust = request.viewer.trust
        problem = services.two_step_reset_problem(trust=trust, person=person)
        if request.method == "POST" and problem is None:
            services.two_step_reset(actor=request.user, trust=trust, person=person)
            messages.success(
                request,
                _(
                    "%(name)s's two-step sign-in was reset. They have been signed out "
                    "everywhere and emailed to say so."
                )
                % {"name": person},
            )
            return redirect("admin:people_user_change", person.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reset two-step sign-in"),
            "subtitle": None,
            "opts": self.opts,
            "object": person,
            "problem": problem,
            "set_up": Authenticator.objects.filter(user_id=person.pk).exists(),
        }
        return TemplateResponse(request, "admin/people/user/two_step_reset.html", context)

    def get_queryset(self, request):
        # People are shared across trusts; an administrator sees those with a role in theirs.
        queryset = super().get_queryset(request)
        if not is_trust_administrator(request):
            return queryset
        return queryset.filter(memberships__trust=request.viewer.trust).distinct()

    def get_inlines(self, request, obj):
        return [NewRoleInline] if obj is None else self.inlines

    def save_model(self, request, obj, form, change):
        trust = request.viewer.trust
        data = form.cleaned_data
        if change and form.has_changed():
            services.person_update(
                actor=request.user,
                trust=trust,
                person=obj,
                full_name=data["full_name"],
                email=data["email"],
                is_active=data["is_active"],
            )
        elif not change:
            person = services.person_add(
                actor=request.user, trust=trust, email=data["email"], full_name=data["full_name"]
            )
            obj.pk = person.pk
            obj._state.adding = False
            services.person_invite(person=person, base_url=request.build_absolute_uri("/"))
            messages.info(
                request,
                _("%(name)s was emailed a link to choose a password.") % {"name": person},
            )

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            save_role_forms(request, formset, user=form.instance)


@admin.register(Membership)
class MembershipAdmin(PeriodAdmin):
    list_display = ["user", "role", "school", "started_on", "finished_on"]
    list_filter = ["role", "school"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user", "school"]
    start_fields = ["user", "role", "school", "started_on"]
    finish_form = FinishOnlyForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and is_trust_administrator(request):
            # Only people of this trust: a posted id of anyone else is not a valid choice.
            kwargs["queryset"] = User.objects.filter(
                memberships__trust=request.viewer.trust
            ).distinct()
            kwargs["help_text"] = _(
                "Someone new to the trust is added under People, with their first role."
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def start(self, request, obj):
        return services.membership_start(
            actor=request.user,
            trust=request.viewer.trust,
            user=obj.user,
            role=obj.role,
            school=obj.school,
            started_on=obj.started_on,
        )

    def finish(self, request, obj):
        services.membership_finish(actor=request.user, membership=obj, finished_on=obj.finished_on)


@admin.register(Trust)
class TrustDetailsAdmin(TrustAdmin):
    form = TrustDetailsForm
    list_display = ["name", "slug"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "companies_house_number"]}),
        (
            _("In the schools register"),
            {"fields": ["register_group_uid", "register_group_id"]},
        ),
        (_("Signing in"), {"fields": ["password_sign_in", "two_step_for_everyone"]}),
        (_("Staying signed in"), {"fields": ["idle_minutes"]}),
        (_("Keeping records"), {"fields": ["retention_years"]}),
    ]
    # The register's identifiers come from the first import of the trust's schools, which
    # checks them against the register's own files; after that only operators change them.
    readonly_fields = ["slug", "register_group_uid", "register_group_id"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.signed_in_through = frozenset(signed_in_through(request))
        return form

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_trust_administrator(request):
            return queryset
        return queryset.filter(pk=request.viewer.trust.pk)

    def has_add_permission(self, request, obj=None):
        return False


class SchoolForm(forms.ModelForm):
    def clean_urn(self):
        urn = self.cleaned_data.get("urn", "").strip()
        # URNs are national: a clash with a school in any trust is a clash.
        with scopes_disabled():
            taken = School.objects.filter(urn=urn).exclude(pk=self.instance.pk).exists()
        if urn and taken:
            raise ValidationError(_("Another school already has this URN."))
        return urn


@admin.register(School)
class SchoolAdmin(TrustAdmin):
    form = SchoolForm
    list_display = ["name", "urn", "phase", "closed_on"]
    search_fields = ["name", "urn"]
    list_filter = ["phase"]
    fields = [
        "name",
        "slug",
        "urn",
        "phase",
        "establishment_type",
        "local_authority",
        "closed_on",
    ]
    prepopulated_fields = {"slug": ["name"]}


class TermInline(TrustInline):
    model = Term
    fields = ["name", "starts_on", "ends_on"]


@admin.register(AcademicYear)
class AcademicYearAdmin(TrustAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    fields = ["name", "starts_on", "ends_on"]
    inlines = [TermInline]
