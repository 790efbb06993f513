"""Each area of the programmes app lists its own routes beside its views."""

from coachloop.programmes.views import marking, partnership, resubmissions, staff, students

app_name = "programmes"
urlpatterns = [
    *staff.urlpatterns,
    *marking.urlpatterns,
    *students.urlpatterns,
    *partnership.urlpatterns,
    *resubmissions.urlpatterns,
]
