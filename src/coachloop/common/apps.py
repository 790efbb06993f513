from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CommonConfig(AppConfig):
    name = "coachloop.common"
    verbose_name = "Common"
    default = True

    def ready(self):
        from coachloop.common import checks  # noqa: F401 (registers the deployment checks)


class CoachloopAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on our site: access by the administrator role, in the trust's scope."""

    default = False
    default_site = "coachloop.common.admin_site.CoachloopAdminSite"
