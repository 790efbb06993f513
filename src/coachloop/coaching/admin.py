"""Administrators configure who coaches whom. Coaching content is not in the admin site."""

from django.contrib import admin

from coachloop.coaching.models import Relationship


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["teacher", "coach", "school", "kind", "started_on", "finished_on"]
    list_filter = ["school", "kind"]
    search_fields = ["teacher__full_name", "coach__full_name"]
    autocomplete_fields = ["teacher", "coach"]
    fields = ["school", "coach", "teacher", "kind", "started_on", "finished_on"]

    def get_readonly_fields(self, request, obj=None):
        # A period is closed, never rewritten: once saved, only its end can be set.
        if obj is not None:
            return ["school", "coach", "teacher", "kind", "started_on"]
        return []

    def save_model(self, request, obj, form, change):
        obj.trust_id = obj.school.trust_id
        super().save_model(request, obj, form, change)
