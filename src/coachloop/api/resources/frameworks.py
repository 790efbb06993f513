"""The API's frameworks resources (issue 19): none yet."""

urlpatterns = []
