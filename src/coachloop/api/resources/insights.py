"""Dashboards: ``GET schools/{slug}/dashboard/`` and ``GET trust/dashboard/``.

The very tables the pages draw (``insights.tables``), read through the same queries and
checks (``insights.queries.school_dashboard_for``, ``trust_dashboard``), converted as the
downloads convert them (``Table.export_rows``): a figure leaves only as ``Figure.number``,
rounded as the page shows it, and a figure the page hides is ``null`` with ``hidden`` true.
Nothing here can be more precise, or show more, than the page.

For the people the pages are for (a school's: its headteacher and coaching lead and the trust
leads; the trust's: trust leads and headteachers), and integrations with ``read_aggregates``.
"""

import datetime as dt

from django.urls import path
from django.utils.text import slugify
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from coachloop.api.base import ApiView
from coachloop.api.models import Scope
from coachloop.common.replica import reading_from_replica
from coachloop.insights import queries, tables
from coachloop.people.models import Role

SCHOOL_READERS = {Role.HEADTEACHER, Role.COACHING_LEAD, Role.TRUST_LEAD}
TRUST_READERS = {Role.HEADTEACHER, Role.TRUST_LEAD}


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=["text", "date", "int", "decimal", "number", "percent"])


class CellSerializer(serializers.Serializer):
    value = serializers.JSONField(
        help_text="A number, a date (YYYY-MM-DD) or text; null when hidden or when there is none.",
    )
    hidden = serializers.BooleanField(help_text="Hidden on the page too: too few people.")


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    caption = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=CellSerializer(many=True))


class NamedSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class SchoolDashboardSerializer(serializers.Serializer):
    school = NamedSerializer()
    tables = TableSerializer(many=True)


class TrustDashboardSerializer(serializers.Serializer):
    trust = NamedSerializer()
    tables = TableSerializer(many=True)


def _cell(kind, values):
    """One cell from a download row's values (``Table.export_rows``): a number with its
    hidden flag, or a date or text."""
    if kind in tables.NUMERIC:
        number, hidden = next(values), next(values)
        return {"value": number, "hidden": bool(hidden)}
    value = next(values)
    if isinstance(value, dt.date):
        value = value.isoformat()
    return {"value": value, "hidden": False}


def table_data(table) -> dict:
    """A dashboard table as JSON, converted exactly as its CSV and XLSX are."""
    kinds = table.column_kinds()
    rows = []
    for exported in table.export_rows():
        values = iter(exported)
        rows.append([_cell(kind, values) for kind in kinds])
    return {
        "key": table.key,
        "caption": str(table.caption),
        "columns": [
            {"key": slugify(str(header)).replace("-", "_"), "label": str(header), "type": kind}
            for header, kind in zip(table.headers, kinds, strict=True)
        ],
        "rows": rows,
    }


class DashboardView(ApiView):
    readers = SCHOOL_READERS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.needs(Scope.READ_AGGREGATES)
        if not self.viewer.roles() & self.readers:
            raise PermissionDenied()


class SchoolDashboard(DashboardView):
    @extend_schema(operation_id="school_dashboard", responses={200: SchoolDashboardSerializer})
    def get(self, request, slug):
        """A school's dashboard: every table its page shows, hidden figures hidden."""
        with reading_from_replica():
            dashboard = queries.school_dashboard_for(self.viewer, slug)
            school = dashboard.school
            found = [table_data(t) for t in tables.school_tables(dashboard).values()]
        return Response({"school": {"name": school.name, "slug": school.slug}, "tables": found})


class TrustDashboard(DashboardView):
    readers = TRUST_READERS

    @extend_schema(operation_id="trust_dashboard", responses={200: TrustDashboardSerializer})
    def get(self, request):
        """The trust's dashboard: its schools side by side, as its page shows them."""
        with reading_from_replica():
            dashboard = queries.trust_dashboard(self.viewer)
            found = [table_data(t) for t in tables.trust_tables(dashboard).values()]
        trust = self.viewer.trust
        return Response({"trust": {"name": trust.name, "slug": trust.slug}, "tables": found})


urlpatterns = [
    path("schools/<slug:slug>/dashboard/", SchoolDashboard.as_view(), name="school_dashboard"),
    path("trust/dashboard/", TrustDashboard.as_view(), name="trust_dashboard"),
]
