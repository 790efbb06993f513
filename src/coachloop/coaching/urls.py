from django.urls import path

app_name = "coaching"
urlpatterns = []
