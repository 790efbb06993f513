from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "coachloop.people"
    verbose_name = _("People")

    def ready(self):
        from coachloop.common.personal_data import contribute
        from coachloop.people import (
            checks,  # noqa: F401 (registers the deployment checks)
            personal_data,
            two_step,  # noqa: F401 (decides at sign-in)
        )

        contribute(self.label, personal_data.CONTRIBUTOR)
        _keep_allauth_out_of_the_admin_site()
        _watch_signing_in()


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


def _watch_signing_in():
    """A session's clock starts at every sign-in (Django's signal, which every way in sends);
    a sign-in is recorded once django-allauth has finished it, every step done (allauth's own
    signal, with the steps noted in the session), and someone in two trusts who came through
    one trust's provider works in that trust; a new password ends every other session."""
    from allauth.account import signals as allauth_signals
    from django.contrib.auth.signals import user_logged_in

    from coachloop.people import adapters, sessions, sign_in_records

    user_logged_in.connect(sessions.clock_start, dispatch_uid="coachloop.session_clock")
    user_logged_in.connect(
        adapters.forget_the_trust_signed_in_for, dispatch_uid="coachloop.untied_trust"
    )
    allauth_signals.user_logged_in.connect(
        sign_in_records.on_signed_in, dispatch_uid="coachloop.sign_in"
    )
    allauth_signals.user_logged_in.connect(
        adapters.work_in_the_providers_trust, dispatch_uid="coachloop.providers_trust"
    )
    for signal in (allauth_signals.password_changed, allauth_signals.password_set):
        signal.connect(sessions.on_password_changed, dispatch_uid="coachloop.password_changed")
