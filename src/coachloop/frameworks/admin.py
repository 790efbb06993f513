"""Admin for frameworks. Versions are made by loading a document (``manage.py load_framework``),
never by hand, so the structure (versions, codes, order) is read-only here; an administrator may
correct the wording of a strand or step. Reference frameworks are public documents imported
from a file, and read-only.

Access, trust filtering and auditing come from ``common.admin_site.TrustAdmin``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coachloop.common.admin_site import TrustAdmin, TrustInline
from coachloop.frameworks.models import (
    Framework,
    FrameworkVersion,
    ReferenceFramework,
    ReferenceStatement,
    Step,
    StepMapping,
    Strand,
)


class TrustOwnedAdmin(TrustAdmin):
    """Versions come from loading a document, never from the admin, so nothing is added."""

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyInline(TrustInline):
    template = "admin/edit_inline/tabular.html"  # nothing to type, so a compact table
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FrameworkVersionInline(ReadOnlyInline):
    model = FrameworkVersion
    fields = readonly_fields = ["number", "label", "is_current", "loaded_at"]
    ordering = ["-number"]


@admin.register(Framework)
class FrameworkAdmin(TrustOwnedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    fields = ["name", "slug", "description"]
    inlines = [FrameworkVersionInline]


@admin.register(Strand)
class StrandAdmin(TrustOwnedAdmin):
    list_display = ["code", "title", "version", "position"]
    list_filter = ["version__framework", "version__is_current"]
    search_fields = ["code", "title", "summary"]
    list_select_related = ["version__framework"]
    fields = ["version", "code", "position", "title", "summary"]
    readonly_fields = ["version", "code", "position"]


class StepMappingInline(ReadOnlyInline):
    model = StepMapping
    fields = readonly_fields = ["statement"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("statement")


@admin.register(Step)
class StepAdmin(TrustOwnedAdmin):
    list_display = ["code", "title", "strand", "framework_version"]
    list_filter = ["strand__version__framework", "strand__version__is_current", "strand__code"]
    search_fields = ["code", "title", "looks_like", "why_it_works", "how_to_rehearse"]
    list_select_related = ["strand__version__framework"]
    fields = [
        "strand",
        "code",
        "position",
        "title",
        "looks_like",
        "why_it_works",
        "how_to_rehearse",
    ]
    readonly_fields = ["strand", "code", "position"]
    inlines = [StepMappingInline]

    @admin.display(description=_("version"), ordering="strand__version__number")
    def framework_version(self, obj):
        return obj.strand.version


class ReadOnlyAdmin(TrustAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReferenceFramework)
class ReferenceFrameworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "publisher"]
    search_fields = ["name", "slug"]


@admin.register(ReferenceStatement)
class ReferenceStatementAdmin(ReadOnlyAdmin):
    list_display = ["code", "short_text", "section_number", "kind", "framework"]
    list_filter = ["framework", "section_number", "kind"]
    search_fields = ["code", "text", "heading", "section_title"]
    list_select_related = ["framework"]

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text[:100]
