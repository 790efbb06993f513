"""The API's programmes resources: the programmes a programme's lead leads, and an
assignment's released marks for its lead.

Released marks are the marks teachers have been given; work not yet released is never listed,
and only each teacher's current attempt is. Each read is recorded in each teacher's trail
("released marks, through the API"), as the exam board's is. Integration tokens are refused
here, ``read_marks`` included (docs/api.md): an integration acts for the trust, while a
programme's marks are its partner university's staff's to read, and no trust-side role reads
them on a page.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from coachloop.api.base import ApiView
from coachloop.api.resources.paging import PAGE_PARAMETERS, page_response
from coachloop.programmes.queries import exam_board


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    due_at = serializers.DateTimeField()


class ModuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    assignments = AssignmentSerializer(many=True, source="assignments.all")


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    partner = serializers.CharField(source="partner.name")
    modules = ModuleSerializer(many=True, source="modules.all")


class ProgrammePage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProgrammeSerializer(many=True)


class Programmes(ApiView):
    @extend_schema(
        operation_id="programmes",
        parameters=PAGE_PARAMETERS,
        summary="The programmes you lead, with their modules' assignments",
        responses={200: ProgrammePage},
    )
    def get(self, request):
        self.people_only()
        return page_response(self, exam_board.programmes_led(self.viewer), ProgrammeSerializer)


class MarksSerializer(serializers.Serializer):
    submission_id = serializers.IntegerField()
    teacher = serializers.CharField()
    school = serializers.CharField()
    attempt = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    extended_to = serializers.DateTimeField(allow_null=True)
    handed_in_at = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()
    first_marker = serializers.CharField(allow_blank=True)
    first_mark = serializers.IntegerField(allow_null=True)
    second_marker = serializers.CharField(allow_blank=True)
    second_mark = serializers.IntegerField(allow_null=True)
    third_marker = serializers.CharField(allow_blank=True)
    third_mark = serializers.IntegerField(allow_null=True)
    agreed_mark = serializers.IntegerField(allow_null=True)
    how_agreed = serializers.CharField(allow_blank=True)
    why = serializers.CharField(allow_blank=True)
    in_moderation_sample = serializers.BooleanField()
    moderator = serializers.CharField(allow_blank=True)
    moderated_mark = serializers.IntegerField(allow_null=True)
    moderation_note = serializers.CharField(allow_blank=True)
    corrected_mark = serializers.IntegerField(allow_null=True)
    cap = serializers.IntegerField(allow_null=True)
    final_mark = serializers.IntegerField(allow_null=True)
    band = serializers.CharField(allow_blank=True)
    released_at = serializers.DateTimeField(allow_null=True)


class MarksPage(ProgrammePage):
    results = MarksSerializer(many=True)


class ReleasedMarks(ApiView):
    @extend_schema(
        operation_id="released_marks",
        parameters=PAGE_PARAMETERS,
        summary="An assignment's released marks, each teacher's current attempt (its "
        "programme's lead)",
        responses={200: MarksPage},
    )
    def get(self, request, assignment_id):
        self.people_only()
        _assignment, rows = exam_board.released_marks(self.viewer, assignment_id)
        return page_response(self, rows, MarksSerializer)


urlpatterns = [
    path("programmes/", Programmes.as_view(), name="programmes"),
    path(
        "assignments/<int:assignment_id>/released-marks/",
        ReleasedMarks.as_view(),
        name="released_marks",
    ),
]
