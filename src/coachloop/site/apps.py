from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The pages that belong to no one app: the home page that sends each person to theirs,
    the header and footer links between apps, the pages about Coachloop, the error pages and
    signing out. It sits above every app, so it alone may name them all."""

    name = "coachloop.site"
    verbose_name = _("Site")

    def ready(self):
        from coachloop.site.translations import load_without_empty_fallbacks

        load_without_empty_fallbacks()
