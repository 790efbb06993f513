"""Dashboards and their downloads (CSV and XLSX): aggregates only, small numbers suppressed."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coachloop.common import spreadsheets
from coachloop.common.decorators import member_required
from coachloop.common.replica import reads_from_replica
from coachloop.insights import charts, queries, tables
from coachloop.people.models import Role

LEADERS = (Role.HEADTEACHER, Role.COACHING_LEAD, Role.TRUST_LEAD)


@member_required(*LEADERS)
@reads_from_replica
def school(request, school_slug):
    dashboard = queries.school_dashboard_for(request.viewer, school_slug)
    school = dashboard.school
    target = dashboard.progress.target
    context = {
        "school": school,
        "dashboard": dashboard,
        "tables": tables.school_tables(dashboard),
        "coverage_chart": charts.weekly_percent_chart(
            dashboard.weeks,
            "coached_share",
            target=target.coached_percent if target else None,
        ),
        "dropins_chart": charts.weekly_count_chart(
            dashboard.progress.term_weeks, "dropins", axis_title=_("Drop-ins")
        ),
        "rhythm_chart": charts.weekly_percent_chart(
            dashboard.recent, "kept_share", axis_title=_("% of teachers due")
        ),
        "proposed_chart": charts.term_percent_chart(
            dashboard.proposals,
            "share",
            category_title=_("Month") if dashboard.proposals_by_month else _("Term"),
        ),
    }
    return render(request, "insights/school.html", context)


@member_required(*LEADERS)
@reads_from_replica
def school_csv(request, school_slug, table):
    dashboard = queries.school_dashboard_for(request.viewer, school_slug)
    school = dashboard.school
    return _download(tables.school_tables(dashboard), table, prefix=school.slug, suffix="csv")


@member_required(*LEADERS)
@reads_from_replica
def school_xlsx(request, school_slug, table):
    dashboard = queries.school_dashboard_for(request.viewer, school_slug)
    school = dashboard.school
    return _download(tables.school_tables(dashboard), table, prefix=school.slug, suffix="xlsx")


@member_required(Role.HEADTEACHER, Role.TRUST_LEAD)
@reads_from_replica
def trust(request):
    dashboard = queries.trust_dashboard(request.viewer)
    context = {
        "dashboard": dashboard,
        "tables": tables.trust_tables(dashboard),
        "own_pages": queries.schools_with_pages(request.viewer, dashboard.schools),
    }
    return render(request, "insights/trust.html", context)


@member_required(Role.HEADTEACHER, Role.TRUST_LEAD)
@reads_from_replica
def trust_csv(request, table):
    dashboard = queries.trust_dashboard(request.viewer)
    return _download(
        tables.trust_tables(dashboard), table, prefix=request.viewer.trust.slug, suffix="csv"
    )


@member_required(Role.HEADTEACHER, Role.TRUST_LEAD)
@reads_from_replica
def trust_xlsx(request, table):
    dashboard = queries.trust_dashboard(request.viewer)
    return _download(
        tables.trust_tables(dashboard), table, prefix=request.viewer.trust.slug, suffix="xlsx"
    )


def _download(available, key, *, prefix, suffix):
    """One table as CSV or XLSX: numbers as numbers, a hidden figure an empty cell with its
    flag column TRUE (``tables.Table.export_rows``)."""
    table = available.get(key)
    if table is None:
        raise Http404
    if suffix == "csv":
        body = spreadsheets.csv_bytes(table.columns(), table.export_rows())
        content_type = spreadsheets.CSV_TYPE
    else:
        body = spreadsheets.xlsx_bytes([table.sheet()])
        content_type = spreadsheets.XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    filename = slugify(f"{prefix}-{table.key}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{suffix}"'
    return response
