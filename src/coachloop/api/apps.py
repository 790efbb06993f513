from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "coachloop.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from coachloop.api import personal_data, rules  # noqa: F401 (rules registers itself)
        from coachloop.common.personal_data import contribute

        contribute(self.label, personal_data.CONTRIBUTOR)

        from coachloop.api.tasks import collect_after_commit
        from coachloop.api.webhooks.events import VERBS
        from coachloop.common.audit import listen

        listen(VERBS, collect_after_commit)
