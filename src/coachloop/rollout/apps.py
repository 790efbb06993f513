from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "coachloop.rollout"
    verbose_name = _("Rolling out coaching")

    def ready(self):
        from coachloop.common.navigation import contribute as offer_links
        from coachloop.common.personal_data import contribute
        from coachloop.rollout import navigation, personal_data

        contribute(self.label, personal_data.CONTRIBUTOR)

        offer_links("coaching:lead_home#setting-up", navigation.on_lead_home)
        offer_links("coaching:relationship_new", navigation.on_starting_coaching)
