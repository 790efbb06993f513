from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "coachloop.people"
    verbose_name = _("People")

    def ready(self):
        from coachloop.people import (
            checks,  # noqa: F401 (registers the deployment checks)
            two_step,  # noqa: F401 (decides at sign-in)
        )

        _keep_allauth_out_of_the_admin_site()


def _keep_allauth_out_of_the_admin_site():
    """django-allauth registers its tables (email addresses, sign-in accounts, two-step
    methods, sessions) on the admin site, which every trust's administrator opens; they span
    every trust, so they are not shown there. What an administrator may do to them (reset a
    person's two-step sign-in) is an action on the person. Runs after the admin site has
    found every app's admin module (the admin app is ready before this one)."""
    from django.contrib import admin

    for model in list(admin.site._registry):
        if model._meta.app_label in {"account", "socialaccount", "mfa", "usersessions"}:
            admin.site.unregister(model)
