"""What a report of a server error may carry (emails to ADMINS; docs/operating.md).

Django's own filter hides settings that look secret and form fields marked sensitive. A form
here may carry a coaching note, and any variable in a failing function may hold one, so with
DEBUG off every posted value and every local variable is replaced by stars: the report keeps
the traceback, the address and the field names, which is what finding the fault needs.

An address's query string may name a person too (a search for a teacher, ``?q=Jane+Smith``),
so with DEBUG off the report shows the query's names but not their values (``GET``), and
neither the request's URL nor the headers that repeat it (``QUERY_STRING``, ``RAW_URI``,
``REQUEST_URI``, the ``Referer`` of the page before) keep their query part.
"""

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# Request headers and variables (``request.META``) that hold an address with its query.
ADDRESSES = ("RAW_URI", "REQUEST_URI", "HTTP_REFERER")


def without_query(address, substitute):
    """``address`` with whatever follows its ``?`` replaced by ``substitute``."""
    if not isinstance(address, str) or "?" not in address:
        return address
    return f"{address.split('?', 1)[0]}?{substitute}"


class NoContentReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        cleansed = request.POST.copy()
        for name in cleansed:
            cleansed.setlist(name, [self.cleansed_substitute])
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if request is None or not self.is_active(request):
            return meta
        if meta.get("QUERY_STRING"):
            meta["QUERY_STRING"] = self.cleansed_substitute
        for name in ADDRESSES:
            if name in meta:
                meta[name] = without_query(meta[name], self.cleansed_substitute)
        return meta


class NoQueryExceptionReporter(ExceptionReporter):
    """Django's report, with the query string's values and the URL's query hidden (the filter
    above hides the rest)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is None or not self.filter.is_active(self.request):
            return data
        substitute = self.filter.cleansed_substitute
        data["request_GET_items"] = [(name, substitute) for name in self.request.GET]
        data["request_insecure_uri"] = without_query(data["request_insecure_uri"], substitute)
        return data
