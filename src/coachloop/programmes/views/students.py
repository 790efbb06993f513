"""Pages: students (being built)."""

urlpatterns = []
