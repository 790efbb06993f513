"""``/api/``: the OpenAPI schema and its documentation (public), and version 1's resources;
and, outside ``/api/`` (whose answers are JSON), the pages where people make tokens and
administrators set up integrations (``api.views``)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from coachloop.api.resources import coaching, frameworks, insights, me, people, programmes
from coachloop.api.views import integrations as integration_pages
from coachloop.api.views import tokens as token_pages

app_name = "api"


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's static files, in a page with no inline style
    or script (the site's content security policy)."""

    template_name = "api/docs.html"


v1 = [
    *me.urlpatterns,
    *people.urlpatterns,
    *frameworks.urlpatterns,
    *insights.urlpatterns,
    *coaching.urlpatterns,
    *programmes.urlpatterns,
]

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", Docs.as_view(url_name="api:schema"), name="docs"),
    path("api/v1/", include((v1, "v1"))),
]

# Pages, signed in through the site.
urlpatterns += [
    path("account/api-tokens/", token_pages.tokens, name="tokens"),
    path("account/api-tokens/new/", token_pages.token_new, name="token_new"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        token_pages.token_revoke_page,
        name="token_revoke",
    ),
    path("integrations/", integration_pages.integrations, name="integrations"),
    path("integrations/new/", integration_pages.integration_new, name="integration_new"),
    path("integrations/<int:pk>/", integration_pages.integration, name="integration"),
    path(
        "integrations/<int:pk>/tokens/new/",
        integration_pages.integration_token_new,
        name="integration_token_new",
    ),
    path(
        "integrations/<int:pk>/tokens/<int:token_pk>/revoke/",
        integration_pages.integration_token_revoke,
        name="integration_token_revoke",
    ),
]
