"""The framework library and its step pages: any signed-in member of the trust may read them."""

from django.shortcuts import render

from coachloop.common.decorators import member_required
from coachloop.frameworks import queries


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
