from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coachloop.coaching"
    verbose_name = _("Coaching")

    def ready(self):
        from coachloop.coaching import trail
        from coachloop.common.trail import contribute

        contribute(self.label, trail.CONTRIBUTION)
