"""Lists a page at a time (``api.pagination.Pages``), and their shape in the schema."""

from rest_framework import serializers

from coachloop.api.pagination import Pages


class PageQuery(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1, help_text="The page, from 1.")
    page_size = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=Pages.max_page_size,
        help_text="Items a page: 100 unless asked, at most 500.",
    )


PAGE_PARAMETERS = [PageQuery]


def query_of(request, serializer_class):
    """The query string read by ``serializer_class``: a value that is not what it should be
    (an empty one too) is a 400 naming it, never quietly ignored."""
    asked = serializer_class(data=request.query_params.dict())
    asked.is_valid(raise_exception=True)
    return asked.validated_data


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
    query_of(view.request, PageQuery)
    paginator = Pages()
    page = paginator.paginate_queryset(items, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
