from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "coachloop.programmes"
    verbose_name = _("Partnership programmes")

    def ready(self):
        from coachloop.common import downloads
        from coachloop.common.navigation import contribute as offer_links
        from coachloop.common.personal_data import contribute as personal_data_contribute
        from coachloop.common.trail import contribute
        from coachloop.people import two_step
        from coachloop.programmes import navigation, personal_data, rules, trail
        from coachloop.programmes.portfolio_pdf import PORTFOLIO_PDF, build_portfolio_download

        contribute(self.label, trail.CONTRIBUTION)
        personal_data_contribute(self.label, personal_data.CONTRIBUTOR)
        two_step.contribute(rules.leads_a_programme)
        offer_links("coaching:teacher_home", navigation.on_teacher_home)
        offer_links("coaching:coach_home", navigation.on_coach_home)
        downloads.register(PORTFOLIO_PDF, build_portfolio_download)
