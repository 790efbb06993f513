"""Pages: staff (being built)."""

urlpatterns = []
