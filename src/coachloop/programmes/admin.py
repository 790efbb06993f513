"""Administrators set up their trust's partnership programmes: the partner university, its
programmes and staff, modules with their reading lists, assignments with their criteria and
bands, cohorts, and the coaches' qualifications. They see who is enrolled with whom; enrolling
is the programme lead's job, on the programme's own pages.

What the three partners write is not in the admin site: submissions and their versions,
feedback, marks, moderation, extensions, meetings and their actions, goals, discussion prompts
and portfolios ("administrators configure; they do not read content", DESIGN.md).

Access, trust filtering, no deletion and auditing come from ``common.admin_site.TrustAdmin``.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coachloop.common.admin_site import TrustAdmin, TrustInline, is_trust_administrator
from coachloop.people import queries as people_queries
from coachloop.people.models import Role, User
from coachloop.programmes.models import (
    Assignment,
    Band,
    CoachQualification,
    Cohort,
    Criterion,
    Enrolment,
    Module,
    PartnerInstitution,
    Programme,
    ProgrammeStaff,
    Reading,
)

# Who may be chosen for a field that names a person: people with a current role of this kind in
# the administrator's trust, never anyone else's.
PEOPLE_FIELDS = {
    "person": (Role.PARTNER_STAFF, _("University staff in your trust.")),
    "coach": (Role.COACH, _("Coaches in your trust.")),
}


class PeopleOfTheTrust:
    """Limit every field naming a person to people of the administrator's own trust: those with
    the role now, and those the trust's rows already name (so a row whose person has since
    left still shows who it was, and can still be saved)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in PEOPLE_FIELDS and is_trust_administrator(request):
            trust = request.viewer.trust
            role, help_text = PEOPLE_FIELDS[db_field.name]
            current = people_queries.people_of(trust, role=role).values("pk")
            named = self.model.objects.filter(trust=trust).values(db_field.attname)
            kwargs["queryset"] = User.objects.filter(Q(pk__in=current) | Q(pk__in=named)).order_by(
                "full_name"
            )
            kwargs["help_text"] = help_text
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PartnerInstitution)
class PartnerInstitutionAdmin(TrustAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    fields = ["name"]


class ProgrammeStaffInline(PeopleOfTheTrust, TrustInline):
    model = ProgrammeStaff
    fields = ["person", "role"]
    verbose_name = _("member of staff")
    verbose_name_plural = _("the university's staff on this programme")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Programme)
class ProgrammeAdmin(TrustAdmin):
    list_display = ["title", "partner", "pass_mark", "fee_per_enrolment"]
    list_filter = ["partner"]
    list_select_related = ["partner"]
    search_fields = ["title"]
    fieldsets = [
        (None, {"fields": ["partner", "title"]}),
        (
            _("Marking"),
            {
                "fields": [
                    "second_marker",
                    "blind_marking",
                    "tolerance",
                    "bands_must_agree",
                    "agree_by",
                    "pass_mark",
                    "claim_minutes",
                ]
            },
        ),
        (
            _("Moderation"),
            {"fields": ["moderation_percent", "moderate_all_fails", "moderate_top_band"]},
        ),
        (
            _("Feedback and resubmission"),
            {"fields": ["teacher_feedback", "show_individual_marking", "cap_resubmissions"]},
        ),
        (
            _("Support"),
            {"fields": ["caseload_limit", "quiet_after_days", "coach_quiet_after_days"]},
        ),
        (_("Funding"), {"fields": ["fee_per_enrolment", "school_share_percent"]}),
    ]
    inlines = [ProgrammeStaffInline]


class ReadingInline(TrustInline):
    model = Reading
    fields = ["title", "citation", "url", "week"]
    verbose_name_plural = _("reading list")


@admin.register(Module)
class ModuleAdmin(TrustAdmin):
    list_display = ["code", "title", "programme", "credits", "starts_on", "ends_on"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["code", "title"]
    fields = ["programme", "code", "title", "credits", "starts_on", "ends_on"]
    inlines = [ReadingInline]


class CriterionInline(TrustInline):
    model = Criterion
    fields = ["title", "description", "weight", "position"]
    verbose_name_plural = _("criteria (each marked 0 to 100 and weighted)")


class BandInline(TrustInline):
    model = Band
    fields = ["name", "lowest", "highest", "descriptor"]
    verbose_name_plural = _("bands of marks")


@admin.register(Assignment)
class AssignmentAdmin(TrustAdmin):
    list_display = ["title", "module", "due_at", "word_limit"]
    list_filter = ["module__programme"]
    list_select_related = ["module"]
    search_fields = ["title", "module__code", "module__title"]
    fields = ["module", "title", "brief", "due_at", "word_limit"]
    inlines = [CriterionInline, BandInline]


@admin.register(Cohort)
class CohortAdmin(TrustAdmin):
    list_display = ["name", "programme", "starts_on"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name"]
    fields = ["programme", "name", "starts_on"]


@admin.register(Enrolment)
class EnrolmentAdmin(TrustAdmin):
    """Who studies with which coach and tutor, to look up: the programme lead enrols."""

    list_display = ["teacher", "cohort", "school", "coach", "tutor", "started_on", "finished_on"]
    list_filter = ["cohort__programme", "cohort", "school"]
    list_select_related = ["teacher", "cohort", "school", "coach", "tutor"]
    search_fields = ["teacher__full_name", "coach__full_name", "tutor__full_name"]
    fields = [
        "cohort",
        "teacher",
        "school",
        "coach",
        "tutor",
        "started_on",
        "finished_on",
        "fee",
        "school_share_percent",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CoachQualification)
class CoachQualificationAdmin(PeopleOfTheTrust, TrustAdmin):
    list_display = ["coach", "level", "subject", "recorded_on", "recorded_by"]
    list_filter = ["level"]
    list_select_related = ["coach", "recorded_by"]
    search_fields = ["coach__full_name", "subject"]
    fields = ["coach", "level", "subject", "recorded_on", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
