"""The URL (``DATABASE_URL``) by which another process reaches a PostgreSQL database of the
test run's server."""

from urllib.parse import quote


def postgres_url(settings_dict, name=None):
    user, password = quote(settings_dict["USER"] or ""), quote(settings_dict["PASSWORD"] or "")
    host, port = settings_dict["HOST"] or "localhost", settings_dict["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{name or settings_dict['NAME']}"
