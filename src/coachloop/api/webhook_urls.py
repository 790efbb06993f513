"""The webhook pages of an integration (session-signed-in, for administrators), under
``/integrations/<integration>/webhooks/``, in the ``webhooks`` namespace."""

from django.urls import path

from coachloop.api.webhooks import views

urlpatterns = [
    path("<int:integration_pk>/webhooks/", views.endpoints, name="endpoints"),
    path("<int:integration_pk>/webhooks/new/", views.endpoint_new, name="endpoint_new"),
    path("<int:integration_pk>/webhooks/<int:endpoint_pk>/", views.endpoint, name="endpoint"),
    path(
        "<int:integration_pk>/webhooks/<int:endpoint_pk>/rotate/",
        views.endpoint_rotate,
        name="endpoint_rotate",
    ),
    path(
        "<int:integration_pk>/webhooks/<int:endpoint_pk>/pause/",
        views.endpoint_pause,
        name="endpoint_pause",
    ),
    path(
        "<int:integration_pk>/webhooks/<int:endpoint_pk>/deliveries/<int:delivery_pk>/again/",
        views.delivery_send_again,
        name="delivery_send_again",
    ),
]
