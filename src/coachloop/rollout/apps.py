from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "coachloop.rollout"
    verbose_name = _("Rolling out coaching")
