from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "coachloop.common"
    verbose_name = "Common"
