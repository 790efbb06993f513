"""Pages: marking (being built)."""

urlpatterns = []
