"""What a report of a server error may carry (emails to ADMINS; docs/operating.md).

Django's own filter hides settings that look secret and form fields marked sensitive. A form
here may carry a coaching note, and any variable in a failing function may hold one, so with
DEBUG off every posted value and every local variable is replaced by stars: the report keeps
the traceback, the address and the field names, which is what finding the fault needs.
"""

from django.views.debug import SafeExceptionReporterFilter


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
