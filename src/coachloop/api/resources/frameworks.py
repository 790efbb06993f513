"""The trust's frameworks: ``GET frameworks/`` (every version), ``GET framework-versions/{id}/``
(a version as a ``coachloop-framework/1`` document, the format an import reads, so that an
export loaded again gives an identical version), ``POST frameworks/import/`` (an administrator's
token: a new version, or nothing at all and every problem listed), and the published JSON
Schemas of the framework and teacher-record formats (``GET schemas/…``, no token needed).

Frameworks are shared by everyone in the trust (any member's token reads them); an
integration's token has no scope for them.
"""

import json

import rules
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from coachloop.api.base import ApiView
from coachloop.api.resources.paging import PAGE_PARAMETERS, page_response, paged
from coachloop.coaching.portability.schema import SCHEMA_PATH as TEACHER_RECORD_SCHEMA
from coachloop.frameworks import queries
from coachloop.frameworks.exporter import framework_document
from coachloop.frameworks.loader import FrameworkFormatError, framework_schema
from coachloop.frameworks.services import framework_load


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    framework = serializers.CharField(source="framework.name")
    slug = serializers.CharField(source="framework.slug")
    number = serializers.IntegerField()
    label = serializers.CharField()
    is_current = serializers.BooleanField()
    loaded_at = serializers.DateTimeField()


class MemberView(ApiView):
    """A resource for the trust's members' own tokens, not integrations'."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.token.integration_id is not None:
            raise PermissionDenied(_("This token may not do that."))


class Versions(MemberView):
    @extend_schema(
        operation_id="frameworks_list",
        parameters=PAGE_PARAMETERS,
        responses={200: paged(VersionSerializer)},
    )
    def get(self, request):
        """Every version of the trust's frameworks, by framework, newest first."""
        return page_response(self, queries.versions(self.viewer), VersionSerializer)


class Version(MemberView):
    @extend_schema(
        operation_id="framework_versions_retrieve",
        responses={200: OpenApiTypes.OBJECT},
        description="The version as a coachloop-framework/1 document (GET schemas/framework.json).",
    )
    def get(self, request, pk):
        version = queries.version_for(self.viewer, pk)
        return Response(framework_document(version))


class Import(MemberView):
    @extend_schema(
        operation_id="frameworks_import",
        request=OpenApiTypes.OBJECT,
        responses={201: VersionSerializer},
        description=(
            "Load a coachloop-framework/1 document as the next version of the framework with "
            "its slug (or the first version of a new framework). With any problem, nothing is "
            "loaded: the 400 error lists every problem, each with where it is, in `problems`."
        ),
    )
    def post(self, request):
        if not rules.test_rule("frameworks.load", self.viewer):
            raise PermissionDenied(_("Only the trust's administrators may load a framework."))
        try:
            version = framework_load(
                trust=self.viewer.trust, data=request.data, actor=self.viewer.user
            )
        except FrameworkFormatError as error:
            return Response(
                {
                    "status": 400,
                    "code": "invalid",
                    "detail": _("The framework has problems: nothing was loaded."),
                    "problems": error.problems,
                },
                status=400,
            )
        return Response(VersionSerializer(version).data, status=201)


class PublishedSchema(APIView):
    """A JSON Schema file as published: no token needed."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []


class FrameworkSchema(PublishedSchema):
    @extend_schema(operation_id="schemas_framework", responses={200: OpenApiTypes.OBJECT}, auth=[])
    def get(self, request):
        """The JSON Schema of the coachloop-framework/1 format."""
        return Response(framework_schema())


class TeacherRecordSchema(PublishedSchema):
    @extend_schema(
        operation_id="schemas_teacher_record", responses={200: OpenApiTypes.OBJECT}, auth=[]
    )
    def get(self, request):
        """The JSON Schema of a teacher's record (coachloop-teacher-record/1)."""
        return Response(json.loads(TEACHER_RECORD_SCHEMA.read_text(encoding="utf-8")))


urlpatterns = [
    path("frameworks/", Versions.as_view(), name="frameworks"),
    path("frameworks/import/", Import.as_view(), name="framework_import"),
    path("framework-versions/<int:pk>/", Version.as_view(), name="framework_version"),
    path("schemas/framework.json", FrameworkSchema.as_view(), name="schema_framework"),
    path(
        "schemas/teacher-record.json", TeacherRecordSchema.as_view(), name="schema_teacher_record"
    ),
]
