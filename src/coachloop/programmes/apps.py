from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "coachloop.programmes"
    verbose_name = _("Partnership programmes")

    def ready(self):
        from coachloop.common.trail import contribute
        from coachloop.programmes import trail

        contribute(self.label, trail.CONTRIBUTION)
