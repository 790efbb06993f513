"""``GET /api/v1/me/``: who the token acts as, in which trust, with which roles and scopes.

Read from the request's ``Viewer`` (built once by the middleware); no further query.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from coachloop.api.base import ApiView


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    school = serializers.CharField(
        allow_null=True, help_text="The school's slug; none for a trust-wide role."
    )


class TrustSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class TokenSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["personal", "integration"])
    scopes = serializers.ListField(child=serializers.CharField())
    expires_at = serializers.DateTimeField()


class MeSerializer(serializers.Serializer):
    name = serializers.CharField()
    trust = TrustSerializer()
    roles = RoleSerializer(many=True)
    token = TokenSerializer()


def _me(viewer, token):
    roles = sorted(
        {(m.role, m.school.slug if m.school_id else None) for m in viewer.memberships},
        key=lambda pair: (pair[0], pair[1] or ""),
    )
    return {
        "name": viewer.user.full_name,
        "trust": {"name": viewer.trust.name, "slug": viewer.trust.slug},
        "roles": [{"role": role, "school": school} for role, school in roles],
        "token": {
            "name": token.name,
            "kind": "personal" if token.integration_id is None else "integration",
            "scopes": list(token.scopes),
            "expires_at": token.expires_at,
        },
    }


class Me(ApiView):
    @extend_schema(operation_id="me", responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(_me(self.viewer, self.token)).data)


urlpatterns = [path("me/", Me.as_view(), name="me")]
