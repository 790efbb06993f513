from django.urls import path

from coachloop.rosters.views import history, schools, staff

app_name = "rosters"

urlpatterns = [
    path("", history.imports_home, name="home"),
    path("staff/", staff.staff_upload, name="staff_upload"),
    path("staff/coachloop-staff.csv", staff.staff_template, {"suffix": "csv"}, name="template_csv"),
    path(
        "staff/coachloop-staff.xlsx",
        staff.staff_template,
        {"suffix": "xlsx"},
        name="template_xlsx",
    ),
    path("<int:import_id>/", staff.import_page, name="import"),
    path("<int:import_id>/progress/", staff.import_progress, name="import_progress"),
    path("<int:import_id>/apply/", staff.import_apply, name="import_apply"),
    path("<int:import_id>/organisations/", staff.org_confirm, name="org_confirm"),
    path("schools/", schools.schools_upload, name="schools_upload"),
    path("schools/<int:import_id>/", schools.schools_import, name="schools_import"),
    path("schools/<int:import_id>/apply/", schools.schools_apply, name="schools_apply"),
]
