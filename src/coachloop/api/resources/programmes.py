"""The API's programmes resources (issue 19): none yet."""

urlpatterns = []
