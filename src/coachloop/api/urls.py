"""``/api/``: the OpenAPI schema and its documentation (public), and version 1's resources."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from coachloop.api.resources import coaching, frameworks, insights, me, people, programmes

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
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", Docs.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include((v1, "v1"))),
]
