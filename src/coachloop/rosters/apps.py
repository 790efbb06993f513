from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    name = "coachloop.rosters"
    verbose_name = _("Bringing people in")
