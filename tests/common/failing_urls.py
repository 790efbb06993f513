"""The project's routes and one that fails, for the tests of what a server error does."""

from django.urls import path

from coachloop.urls import urlpatterns as project_urlpatterns

SECRET_IN_THE_FORM = "A-coaching-note-that-must-stay-3c9e"


def fails(request):
    note = request.POST.get("notes", "")  # noqa: F841 (a local variable a report might show)
    raise RuntimeError("Something went wrong in a view")


urlpatterns = [path("failing/", fails), *project_urlpatterns]
