"""The trust's schools, people and roles: ``GET schools/``, ``GET people/``, ``GET people/{id}/``,
``GET roles/``, ``POST roles/`` (start a role) and ``POST roles/{id}/end/``.

People and roles are an administrator's (rule ``people.manage_roles``): a person's
administrator token, or an integration's token with ``read_people`` (reads) or
``write_roles`` (writes). An integration may start and end teacher and coach roles only; a
leader's role needs a person's administrator token (who signed in with two steps). Every
write is the admin site's own service (``membership_start``, ``membership_finish``), audited
with the token's person or the integration's account as the actor.
"""

import rules
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from coachloop.api.base import ApiView
from coachloop.api.models import Scope
from coachloop.api.resources.paging import PAGE_PARAMETERS, page_response, paged, query_of
from coachloop.people import queries, services
from coachloop.people.models import Role
from coachloop.rosters.queries import open_schools

# The roles an integration's ``write_roles`` may start and end.
INTEGRATION_ROLES = (Role.TEACHER, Role.COACH)


class SchoolSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    slug = serializers.CharField(help_text="The school's short name, used in its addresses.")
    urn = serializers.CharField(help_text="The school's unique reference number, if known.")
    phase = serializers.CharField()


class MembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    role = serializers.ChoiceField(choices=Role.choices)
    school = serializers.CharField(
        source="school.slug", allow_null=True, help_text="None for a trust-wide role."
    )
    started_on = serializers.DateField()
    finished_on = serializers.DateField(allow_null=True)


class RoleWithPersonSerializer(MembershipSerializer):
    person = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="user.full_name")


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="full_name")
    email = serializers.SerializerMethodField(
        help_text="While they hold a role here; none for someone who has left (their address "
        "is no longer the trust's to give)."
    )
    roles = MembershipSerializer(many=True, source="roles_here")

    def get_email(self, person) -> str | None:
        today = timezone.localdate()
        holds_one = any(
            role.started_on <= today and (role.finished_on is None or role.finished_on >= today)
            for role in person.roles_here
        )
        return person.email if holds_one else None


class RolesQuery(serializers.Serializer):
    school = serializers.SlugField(
        required=False, help_text="Only the roles in this school (its short name)."
    )
    current = serializers.BooleanField(
        required=False,
        help_text="true: only the roles held today; false: only the others.",
    )


class RoleStart(serializers.Serializer):
    person = serializers.IntegerField(help_text="The person's id (GET people/).")
    role = serializers.ChoiceField(choices=Role.choices)
    school = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="The school's short name; none for a trust-wide role.",
    )
    started_on = serializers.DateField(required=False, help_text="Today unless given.")


class RoleEnd(serializers.Serializer):
    finished_on = serializers.DateField(required=False, help_text="Today unless given.")


class PeopleView(ApiView):
    """A resource of the trust's people and roles."""

    scope = Scope.READ_PEOPLE

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.needs(self.scope)
        if not rules.test_rule("people.manage_roles", self.viewer):
            raise PermissionDenied(_("Only the trust's administrators may do this."))


class Schools(ApiView):
    @extend_schema(
        operation_id="schools_list",
        parameters=PAGE_PARAMETERS,
        responses={200: paged(SchoolSerializer)},
    )
    def get(self, request):
        """The trust's open schools, by name (anyone with a token of the trust)."""
        return page_response(self, open_schools(self.viewer), SchoolSerializer)


class People(PeopleView):
    @extend_schema(
        operation_id="people_list",
        parameters=PAGE_PARAMETERS,
        responses={200: paged(PersonSerializer)},
    )
    def get(self, request):
        """Everyone who holds or held a role in the trust, by name, with their roles here."""
        return page_response(self, queries.people_for_admin(self.viewer), PersonSerializer)


class Person(PeopleView):
    @extend_schema(operation_id="people_retrieve", responses={200: PersonSerializer})
    def get(self, request, pk):
        person = queries.person_for_admin(self.viewer, pk)
        return Response(PersonSerializer(person).data)


class Roles(PeopleView):
    def initial(self, request, *args, **kwargs):
        self.scope = Scope.WRITE_ROLES if request.method == "POST" else Scope.READ_PEOPLE
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="roles_list",
        parameters=[RolesQuery, *PAGE_PARAMETERS],
        responses={200: paged(RoleWithPersonSerializer)},
    )
    def get(self, request):
        """The trust's roles, by person: in one school, and current or not, if asked."""
        asked = query_of(request, RolesQuery)
        school = None
        if asked.get("school") is not None:
            school = _school(self.viewer, asked["school"], field="school")
        roles = queries.roles_for_admin(self.viewer, school=school, current=asked.get("current"))
        return page_response(self, roles, RoleWithPersonSerializer)

    @extend_schema(
        operation_id="roles_start",
        request=RoleStart,
        responses={201: RoleWithPersonSerializer},
    )
    def post(self, request):
        """Start a role: a teacher's or coach's with an integration's ``write_roles``; any role
        with an administrator's own token."""
        sent = RoleStart(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        _may_change(self, data["role"])
        try:
            person = queries.person_for_admin(self.viewer, data["person"])
        except Http404:
            raise ValidationError(
                {"person": [_("Nobody with this id has a role in your trust.")]}
            ) from None
        school = _school(self.viewer, data["school"], field="school") if data["school"] else None
        try:
            membership = services.membership_start(
                actor=self.viewer.user,
                trust=self.viewer.trust,
                user=person,
                role=data["role"],
                school=school,
                started_on=data.get("started_on"),
            )
        except DjangoPermissionDenied as denied:
            raise PermissionDenied(str(denied) or None) from None
        return Response(RoleWithPersonSerializer(membership).data, status=201)


class RoleEndView(PeopleView):
    scope = Scope.WRITE_ROLES

    @extend_schema(
        operation_id="roles_end",
        request=RoleEnd,
        responses={200: RoleWithPersonSerializer},
    )
    def post(self, request, pk):
        """End a role, today or on the day given (not before it started)."""
        sent = RoleEnd(data=request.data)
        sent.is_valid(raise_exception=True)
        membership = queries.role_for_admin(self.viewer, pk)
        _may_change(self, membership.role)
        ended = services.membership_finish(
            actor=self.viewer.user,
            membership=membership,
            finished_on=sent.validated_data.get("finished_on") or timezone.localdate(),
        )
        return Response(RoleWithPersonSerializer(ended).data)


def _may_change(view, role):
    if view.token.integration_id is not None and role not in INTEGRATION_ROLES:
        raise PermissionDenied(
            _(
                "An integration may start and end teacher and coach roles only. An "
                "administrator starts and ends other roles, with their own token or in "
                "Coachloop."
            )
        )


def _school(viewer, slug, *, field):
    school = queries.school_of_trust(viewer, slug)
    if school is None:
        raise ValidationError({field: [_("No school in your trust has this short name.")]})
    return school


urlpatterns = [
    path("schools/", Schools.as_view(), name="schools"),
    path("people/", People.as_view(), name="people"),
    path("people/<int:pk>/", Person.as_view(), name="person"),
    path("roles/", Roles.as_view(), name="roles"),
    path("roles/<int:pk>/end/", RoleEndView.as_view(), name="role_end"),
]
