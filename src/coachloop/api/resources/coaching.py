"""The API's coaching resources: a school's activity and latest visits for its coaching lead
(or an integration reading activity for that school), a teacher's own record, a coach's
teachers, and a coach recording and reading drop-ins.

Every resource calls the page's own query or service given the token's viewer, so it reads
and audits exactly as the page does. A lead's activity is named columns only: no notes, no
action-step content beyond the step's title and status, as the lead's page shows. Notes leave
only through ``dropins/{id}/``, for the people the page shows them to, and each such read is
recorded in the teacher's trail as the page's is.
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from coachloop.api.base import ApiView
from coachloop.api.models import Scope
from coachloop.api.resources.paging import PAGE_PARAMETERS, page_response
from coachloop.coaching.models import DropIn
from coachloop.coaching.portability.export import build_document
from coachloop.coaching.queries import homes
from coachloop.coaching.queries import lead as lead_queries
from coachloop.coaching.queries import loop as queries
from coachloop.coaching.queries import portability as record_queries
from coachloop.coaching.services import dropins as dropin_services
from coachloop.coaching.services.portability import teacher_record_exported
from coachloop.people import queries as people_queries
from coachloop.people.models import Role

WRITE = "coaching.write_content"
LATEST_VISITS = 100  # as many as the lead's page shows with "show more"
TEXT_LIMIT = DropIn._meta.get_field("strengths").max_length


def _needs_role(viewer, role):
    """As the page's ``member_required(role)``: no such role anywhere is a 403."""
    if not viewer.has_role(role):
        raise PermissionDenied(_("You need a role you do not have for this."))


class KindSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="coaching, mentoring, specialist or co_coaching.")
    label = serializers.CharField()


class ActivitySerializer(serializers.Serializer):
    relationship_id = serializers.IntegerField()
    teacher = serializers.CharField(source="teacher_name")
    coach = serializers.CharField(source="coach_name")
    kind = KindSerializer(allow_null=True)
    handed_over = serializers.BooleanField()
    step_title = serializers.CharField(allow_null=True, help_text="The current action step.")
    step_status = serializers.CharField(allow_null=True)
    last_visit = serializers.DateField(allow_null=True)
    rhythm = serializers.CharField(source="rhythm.status", help_text="overdue, due or ok.")
    days_since_visit = serializers.IntegerField(source="rhythm.days_since", allow_null=True)
    bucket = serializers.SerializerMethodField(
        help_text="overdue, due, not_visited or on_track, as the lead's page counts them."
    )

    def get_bucket(self, row) -> str:
        return lead_queries.bucket_of(row.rhythm)


class VisitSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    teacher = serializers.CharField(source="relationship__teacher__full_name")
    coach = serializers.CharField(source="relationship__coach__full_name")
    step_looked_for = serializers.CharField(source="followup_step__title", allow_null=True)


class ActivityPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ActivitySerializer(many=True)


class VisitPage(ActivityPage):
    results = VisitSerializer(many=True)


def _lead_school(view, slug):
    """The school the token's viewer leads coaching in (an integration: one of its schools)."""
    view.needs(Scope.READ_ACTIVITY)
    _needs_role(view.viewer, Role.COACHING_LEAD)
    return people_queries.school_for(view.viewer, slug=slug, role=Role.COACHING_LEAD)


class SchoolActivity(ApiView):
    @extend_schema(
        operation_id="school_activity",
        parameters=PAGE_PARAMETERS,
        summary="A school's running coaching, most urgent first (its coaching lead)",
        responses={200: ActivityPage},
    )
    def get(self, request, school_slug):
        school = _lead_school(self, school_slug)
        rows = queries.lead_activity(self.viewer, school=school)
        return page_response(self, rows, ActivitySerializer)


class SchoolVisits(ApiView):
    @extend_schema(
        operation_id="school_visits",
        parameters=PAGE_PARAMETERS,
        summary="A school's latest drop-ins, as activity (its coaching lead)",
        responses={200: VisitPage},
    )
    def get(self, request, school_slug):
        school = _lead_school(self, school_slug)
        rows = queries.lead_recent_visits(self.viewer, school=school, limit=LATEST_VISITS)
        return page_response(self, rows[:LATEST_VISITS], VisitSerializer)


class MyRecord(ApiView):
    @extend_schema(
        operation_id="my_record",
        summary="Your own coaching record in the token's trust (the teacher-record format)",
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="A coachloop-teacher-record/1 document (docs/export-format.md).",
            )
        },
    )
    def get(self, request):
        self.people_only()
        viewer = self.viewer
        document = build_document(record_queries.own_record(viewer))
        teacher_record_exported(
            actor=viewer.user,
            teacher=viewer.user,
            trust=viewer.trust,
            file_format="JSON, through the API",
        )
        return Response(document)


class CoachRowSerializer(serializers.Serializer):
    relationship_id = serializers.IntegerField(source="relationship.pk")
    teacher = serializers.CharField(source="relationship.teacher.full_name")
    school = serializers.CharField(source="relationship.school.slug")
    kind = KindSerializer()
    step_title = serializers.CharField(source="current_step.title", allow_null=True)
    last_visit = serializers.DateField(source="relationship.last_visit", allow_null=True)
    rhythm = serializers.CharField(source="rhythm.status", help_text="overdue, due or ok.")
    days_since_visit = serializers.IntegerField(source="rhythm.days_since", allow_null=True)
    need = serializers.CharField(help_text="overdue, due, not_visited or ok.")
    has_draft = serializers.BooleanField()


class CoachPage(ActivityPage):
    results = CoachRowSerializer(many=True)


class Coaching(ApiView):
    @extend_schema(
        operation_id="my_coaching",
        parameters=PAGE_PARAMETERS,
        summary="The teachers you coach now, most in need of a drop-in first",
        responses={200: CoachPage},
    )
    def get(self, request):
        self.people_only()
        _needs_role(self.viewer, Role.COACH)
        return page_response(self, homes.coach_home(self.viewer).rows, CoachRowSerializer)


class DropInSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    uuid = serializers.UUIDField()
    relationship_id = serializers.IntegerField()
    teacher = serializers.CharField(source="relationship.teacher.full_name")
    coach = serializers.CharField(source="relationship.coach.full_name")
    visited_on = serializers.DateField()
    class_or_group = serializers.CharField()
    minutes = serializers.IntegerField()
    strengths = serializers.CharField()
    noticed = serializers.CharField()
    evidence = serializers.CharField()
    followup = serializers.CharField(help_text="habit, emerging, not_yet, no_chance or empty.")
    step_looked_for = serializers.CharField(source="followup_step.title", allow_null=True)


class DropInWriteSerializer(serializers.Serializer):
    """A drop-in as a coach records it, with the page's form's limits and messages."""

    uuid = serializers.UUIDField(
        help_text="Made by the client for each drop-in: sending it again is a retry, not a new "
        "drop-in."
    )
    visited_on = serializers.DateField(
        error_messages={"required": _("Enter the date of the visit.")}
    )
    class_or_group = serializers.CharField(
        max_length=80, error_messages={"required": _("Enter the class or group you visited.")}
    )
    minutes = serializers.IntegerField(
        min_value=1,
        max_value=120,
        error_messages={
            "required": _("Enter how many minutes you were in the lesson."),
            "invalid": _("Enter the minutes as a whole number, for example 15."),
            "min_value": _("Enter at least 1 minute."),
            "max_value": _("Enter 120 minutes or fewer."),
        },
    )
    strengths = serializers.CharField(
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Enter at least one thing that went well.")},
    )
    noticed = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
    evidence = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
    followup = serializers.ChoiceField(
        choices=DropIn.FollowUp.choices,
        required=False,
        allow_blank=True,
        help_text="Whether the current action step was visible: needed when there is one.",
    )


class DropIns(ApiView):
    @extend_schema(
        operation_id="dropin_record",
        summary="Record a drop-in for a teacher you coach (a retry with its uuid records once)",
        request=DropInWriteSerializer,
        responses={
            201: OpenApiResponse(DropInSerializer, description="Recorded."),
            200: OpenApiResponse(
                DropInSerializer, description="Already recorded with this uuid: the first."
            ),
        },
    )
    def post(self, request, relationship_id):
        self.people_only()
        viewer = self.viewer
        relationship = queries.relationship_for(viewer, relationship_id, rule=WRITE)
        sent = DropInWriteSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        values = dict(sent.validated_data)
        step = queries.current_step(relationship)
        if step is None:
            values.pop("followup", None)
        elif not values.get("followup"):
            raise ValidationError({"followup": [_("Say whether the current step was visible.")]})
        earlier = queries.recorded_dropin(viewer, relationship=relationship, uuid=values["uuid"])
        dropin = dropin_services.dropin_record(viewer=viewer, relationship=relationship, **values)
        answer = status.HTTP_200_OK if dropin.pk == earlier else status.HTTP_201_CREATED
        return Response(DropInSerializer(dropin).data, status=answer)


class DropInDetail(ApiView):
    @extend_schema(
        operation_id="dropin",
        summary="One recorded drop-in, for its teacher and coach (recorded in the teacher's "
        "trail as the page's read is)",
        responses={200: DropInSerializer},
    )
    def get(self, request, dropin_id):
        self.people_only()
        dropin = queries.dropin_for(self.viewer, dropin_id)
        return Response(DropInSerializer(dropin).data)


urlpatterns = [
    path(
        "schools/<slug:school_slug>/activity/",
        SchoolActivity.as_view(),
        name="school_activity",
    ),
    path("schools/<slug:school_slug>/visits/", SchoolVisits.as_view(), name="school_visits"),
    path("me/record/", MyRecord.as_view(), name="my_record"),
    path("coaching/", Coaching.as_view(), name="coaching"),
    path("coaching/<int:relationship_id>/dropins/", DropIns.as_view(), name="dropins"),
    path("dropins/<int:dropin_id>/", DropInDetail.as_view(), name="dropin"),
]
