"""One module per domain app; each lists its own ``urlpatterns`` (named, under ``api:v1:``).

Resources call the pages' queries and services, never a model (tests/api/test_layers.py)."""
