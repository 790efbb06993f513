"""The API's insights resources (issue 19): none yet."""

urlpatterns = []
