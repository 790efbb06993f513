"""The API's coaching resources (issue 19): none yet."""

urlpatterns = []
