from django.urls import path

from coachloop.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.library, name="library"),
]
