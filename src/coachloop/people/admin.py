from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from coachloop.people.models import AcademicYear, Membership, School, Term, Trust, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_staff"]
    search_fields = ["full_name", "email"]
    list_filter = ["is_active", "is_staff"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        (
            _("Access"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]

    def get_queryset(self, request):
        # People are shared across trusts; an administrator sees only their own trust's.
        viewer = getattr(request, "viewer", None)
        queryset = super().get_queryset(request)
        if viewer is None:
            return queryset.none()
        return queryset.filter(memberships__trust=viewer.trust).distinct()


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        viewer = getattr(request, "viewer", None)
        queryset = super().get_queryset(request)
        return queryset.filter(pk=viewer.trust.pk) if viewer else queryset.none()

    def has_add_permission(self, request):
        return False


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase"]
    search_fields = ["name", "urn"]
    list_filter = ["phase"]
    exclude = ["trust"]

    def save_model(self, request, obj, form, change):
        obj.trust = request.viewer.trust
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "started_on", "finished_on"]
    list_filter = ["role", "school"]
    search_fields = ["user__full_name", "user__email"]
    autocomplete_fields = ["user"]
    exclude = ["trust"]

    def save_model(self, request, obj, form, change):
        obj.trust = request.viewer.trust
        super().save_model(request, obj, form, change)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    fields = ["name", "starts_on", "ends_on"]


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    inlines = [TermInline]
    exclude = ["trust"]

    def save_model(self, request, obj, form, change):
        obj.trust = request.viewer.trust
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for term in formset.save(commit=False):
            term.trust = request.viewer.trust
            term.save()
        formset.save_m2m()
