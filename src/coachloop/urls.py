from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coachloop.common import views as common_views
from coachloop.people import views as people_views

urlpatterns = [
    path("", common_views.home, name="home"),
    path("about/who-can-see-your-coaching/", common_views.privacy, name="privacy"),
    path("about/accessibility/", common_views.accessibility, name="accessibility"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", common_views.SignOutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        people_views.ResetPasswordView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        people_views.ChoosePasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("frameworks/", include("coachloop.frameworks.urls")),
    path("", include("coachloop.coaching.urls")),
    path("rollout/", include("coachloop.rollout.urls")),
    path("insights/", include("coachloop.insights.urls")),
    path("programmes/", include("coachloop.programmes.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "coachloop.common.views.not_found"
handler403 = "coachloop.common.views.forbidden"
