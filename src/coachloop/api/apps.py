from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "coachloop.api"
    label = "api"
    verbose_name = "API"
