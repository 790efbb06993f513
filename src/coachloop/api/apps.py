from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "coachloop.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from coachloop.api import personal_data, rules  # noqa: F401 (rules registers itself)
        from coachloop.common.personal_data import contribute

        contribute(self.label, personal_data.CONTRIBUTOR)
