from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "coachloop.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from coachloop.api import (
            navigation,
            personal_data,
            rules,  # noqa: F401 (it registers itself)
        )
        from coachloop.api.tasks import collect_after_commit
        from coachloop.api.webhooks.events import VERBS
        from coachloop.common.audit import listen
        from coachloop.common.navigation import contribute as offer_links
        from coachloop.common.personal_data import contribute

        contribute(self.label, personal_data.CONTRIBUTOR)
        offer_links("account", navigation.on_account)
        listen(VERBS, collect_after_commit)
