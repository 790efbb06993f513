"""Each page module of the rollout app lists its own routes as ``urlpatterns``."""

import importlib
import pkgutil

from coachloop.rollout import views

app_name = "rollout"
urlpatterns = []
for _module in sorted(pkgutil.iter_modules(views.__path__), key=lambda m: m.name):
    urlpatterns += getattr(
        importlib.import_module(f"{views.__name__}.{_module.name}"), "urlpatterns", []
    )
