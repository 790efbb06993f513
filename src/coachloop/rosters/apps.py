from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    name = "coachloop.rosters"
    verbose_name = _("Bringing people in")

    def ready(self):
        from coachloop.common import task_recovery
        from coachloop.common.personal_data import contribute
        from coachloop.rosters import personal_data, recovery

        task_recovery.task_given_up.connect(recovery.on_task_given_up)
        task_recovery.also_recover(recovery.sweep)
        contribute(self.label, personal_data.CONTRIBUTOR)
