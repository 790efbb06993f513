from django.urls import path

from coachloop.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.library, name="library"),
    path("steps/<int:pk>/", views.step, name="step"),
    path("versions/<int:pk>.json", views.version_json, name="version_json"),
]
