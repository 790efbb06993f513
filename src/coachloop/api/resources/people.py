"""The API's people resources (issue 19): none yet."""

urlpatterns = []
