from django.urls import path

from coachloop.insights import views

app_name = "insights"
urlpatterns = [
    path("trust/", views.trust, name="trust"),
    path("trust/<slug:table>.csv", views.trust_csv, name="trust_csv"),
    path("trust/<slug:table>.xlsx", views.trust_xlsx, name="trust_xlsx"),
    path("schools/<slug:school_slug>/", views.school, name="school"),
    path("schools/<slug:school_slug>/<slug:table>.csv", views.school_csv, name="school_csv"),
    path("schools/<slug:school_slug>/<slug:table>.xlsx", views.school_xlsx, name="school_xlsx"),
]
