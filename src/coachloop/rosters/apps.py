from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    name = "coachloop.rosters"
    verbose_name = _("Bringing people in")

    def ready(self):
        from coachloop.common import task_recovery
        from coachloop.rosters import recovery

        task_recovery.task_given_up.connect(recovery.on_task_given_up)
        task_recovery.also_recover(recovery.sweep)
