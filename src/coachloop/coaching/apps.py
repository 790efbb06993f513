from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coachloop.coaching"
    verbose_name = _("Coaching")

    def ready(self):
        from coachloop.coaching import personal_data, trail
        from coachloop.coaching.portability.pdf import build_record_download
        from coachloop.coaching.services.portability import RECORD_PDF
        from coachloop.common import downloads
        from coachloop.common.personal_data import contribute as personal_data_contribute
        from coachloop.common.trail import contribute

        contribute(self.label, trail.CONTRIBUTION)
        personal_data_contribute(self.label, personal_data.CONTRIBUTOR)
        downloads.register(RECORD_PDF, build_record_download)
