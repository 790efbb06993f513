"""Dashboards and their CSV downloads: aggregates only, small numbers suppressed."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coachloop.common.decorators import member_required
from coachloop.common.text import spreadsheet_safe
from coachloop.insights import charts, queries, tables
from coachloop.people.models import Role

LEADERS = (Role.HEADTEACHER, Role.COACHING_LEAD, Role.TRUST_LEAD)


@member_required(*LEADERS)
def school(request, school_slug):
    school = queries.school_for(request.viewer, school_slug)
    dashboard = queries.school_dashboard(request.viewer, school=school)
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
def school_csv(request, school_slug, table):
    school = queries.school_for(request.viewer, school_slug)
    dashboard = queries.school_dashboard(request.viewer, school=school)
    return _csv(tables.school_tables(dashboard), table, prefix=school.slug)


@member_required(Role.HEADTEACHER, Role.TRUST_LEAD)
def trust(request):
    dashboard = queries.trust_dashboard(request.viewer)
    context = {
        "dashboard": dashboard,
        "tables": tables.trust_tables(dashboard),
        "own_pages": queries.schools_with_pages(request.viewer, dashboard.schools),
    }
    return render(request, "insights/trust.html", context)


@member_required(Role.HEADTEACHER, Role.TRUST_LEAD)
def trust_csv(request, table):
    dashboard = queries.trust_dashboard(request.viewer)
    return _csv(tables.trust_tables(dashboard), table, prefix=request.viewer.trust.slug)


def _csv(available, key, *, prefix):
    table = available.get(key)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = slugify(f"{prefix}-{table.key}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow([str(h) for h in table.headers])
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in table.text_rows()])
    return response
