from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "coachloop.insights"
    verbose_name = _("Insights")

    def ready(self):
        from coachloop.common.navigation import contribute as offer_links
        from coachloop.insights import navigation

        offer_links("coaching:lead_home", navigation.on_lead_home)
