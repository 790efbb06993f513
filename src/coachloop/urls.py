from allauth.socialaccount.providers.openid_connect import views as openid_connect_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from coachloop.common import download_views
from coachloop.common.health import healthz, healthz_web
from coachloop.people import two_step_views as people_two_step
from coachloop.people import views as people_views
from coachloop.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("healthz/web", healthz_web, name="healthz_web"),
    path("about/who-can-see-your-coaching/", site_views.privacy, name="privacy"),
    path("about/accessibility/", site_views.accessibility, name="accessibility"),
    path("account/", people_views.account, name="account"),
    path(
        "account/sign-out-everywhere/",
        people_views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("accounts/login/", people_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", site_views.SignOutView.as_view(), name="logout"),
    path("accounts/trust/", people_views.trust_choose, name="trust_choose"),
    path(
        "accounts/password-reset/",
        people_views.ResetPasswordView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="people/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        people_views.ChoosePasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="people/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # django-allauth's pages that Coachloop uses (two-step codes, single sign-on, sessions);
    # the paths above come first, so its sign-in and sign-out are ours. Its own password
    # links lead to ours, which are limited per address; nobody adds, changes or confirms an
    # email address of their own (single sign-on matches people by it), and nobody signs up.
    re_path(
        r"^accounts/password/reset/",
        RedirectView.as_view(pattern_name="password_reset", permanent=False),
    ),
    re_path(
        r"^accounts/(email|confirm-email|signup|phone|login/code|reauthenticate/code)/",
        people_views.not_here,
    ),
    # Single sign-on through a trust's own provider (people.single_sign_on): allauth's
    # OpenID Connect views, answering a clear page when the provider cannot be reached. A
    # person's accounts elsewhere are never linked to them, so the pages that link them
    # ("connections") and sign up through a provider are closed.
    path(
        "accounts/oidc/<str:provider_id>/login/",
        people_views.single_sign_on_step(openid_connect_views.login),
    ),
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        people_views.single_sign_on_step(openid_connect_views.callback),
    ),
    re_path(r"^accounts/3rdparty/(signup/)?$", people_views.not_here),
    # A person's sessions are on their account page (signing out everywhere); allauth's own
    # list of them would write to its table on every look.
    re_path(r"^accounts/sessions/", people_views.not_here),
    # Before allauth's own: removing a passkey checks that it is not someone's only way of
    # two-step sign-in when they must use it.
    path("accounts/2fa/webauthn/keys/<int:pk>/remove/", people_two_step.remove_key),
    path("accounts/", include("allauth.urls")),
    # A person's data: their own download, and an administrator's download and erasure.
    path("", include("coachloop.people.data_views")),
    path("frameworks/", include("coachloop.frameworks.urls")),
    # A file made by the task worker (a record's PDF): its page, then the file (common.downloads)
    path("downloads/", include((download_views.urlpatterns, "downloads"))),
    path("", include("coachloop.coaching.urls")),
    path("rollout/", include("coachloop.rollout.urls")),
    path("insights/", include("coachloop.insights.urls")),
    path("programmes/", include("coachloop.programmes.urls")),
    path("imports/", include("coachloop.rosters.urls")),
    path("admin/", admin.site.urls),
    # The REST API under /api/: its schema and documentation, and version 1; and the pages
    # for tokens and integrations (coachloop.api, docs/api.md).
    path("", include("coachloop.api.urls")),
    # An integration's webhook pages (pages, not the API: signed in, administrators only).
    path("integrations/", include(("coachloop.api.webhook_urls", "webhooks"))),
]

handler400 = "coachloop.site.views.bad_request"
handler404 = "coachloop.site.views.not_found"
handler500 = "coachloop.site.views.server_error"
handler403 = "coachloop.site.views.forbidden"
