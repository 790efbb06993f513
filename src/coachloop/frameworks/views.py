"""The framework library, its step pages and each version as a framework file: any signed-in
member of the trust may read them."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from coachloop.common.decorators import member_required
from coachloop.frameworks import queries
from coachloop.frameworks.exporter import framework_document


@member_required()
def library(request):
    viewer = request.viewer
    return render(
        request,
        "frameworks/library.html",
        {
            "versions": queries.library(viewer),
            "coverage": queries.reference_coverage(queries.current_steps(viewer)),
        },
    )


@member_required()
def step(request, pk):
    return render(request, "frameworks/step.html", {"step": queries.step_for(request.viewer, pk)})


@require_safe
@member_required()
def version_json(request, pk):
    """A version as a ``coachloop-framework/1`` file, which ``load_framework`` reads back."""
    version = queries.version_for(request.viewer, pk)
    body = json.dumps(framework_document(version), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    name = f"{version.framework.slug}-version-{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
