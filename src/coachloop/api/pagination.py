"""Pages of a list: ``?page=2``, 100 items a page, or ``?page_size=`` up to 500."""

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
