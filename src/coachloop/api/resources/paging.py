"""Lists a page at a time (``api.pagination.Pages``), and their shape in the schema."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from coachloop.api.pagination import Pages

PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="The page, from 1."),
    OpenApiParameter("page_size", int, description="Items a page: 100 unless asked, at most 500."),
]

_PAGED = {}


def paged(serializer_class):
    """The schema of a page of ``serializer_class`` items (one component per item kind)."""
    if serializer_class not in _PAGED:
        name = serializer_class.__name__.removesuffix("Serializer")
        _PAGED[serializer_class] = type(
            f"{name}PageSerializer",
            (serializers.Serializer,),
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializer_class(many=True),
                "Meta": type("Meta", (), {"ref_name": f"{name}Page"}),
            },
        )
    return _PAGED[serializer_class]


def page_response(view, items, serializer_class):
    """One page of ``items`` (a queryset, read in a fixed number of queries) as the answer."""
    paginator = Pages()
    page = paginator.paginate_queryset(items, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
