"""Each area of the programmes app lists its own routes beside its views."""

from coachloop.programmes.views import (
    agreement,
    board,
    markers,
    marking,
    partnership,
    resubmissions,
    staff,
    students,
)

app_name = "programmes"
urlpatterns = [
    *staff.urlpatterns,
    *marking.urlpatterns,
    *agreement.urlpatterns,
    *students.urlpatterns,
    *partnership.urlpatterns,
    *board.urlpatterns,
    *markers.urlpatterns,
    *resubmissions.urlpatterns,
]
