"""Pages: partnership (being built)."""

urlpatterns = []
