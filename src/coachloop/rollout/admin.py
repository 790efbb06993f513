from django.contrib import admin
from django_tasks_db.models import DBTaskResult

# Task results belong to the whole installation, not to one trust: they are for operators
# (`manage.py db_worker` logs them), so a trust's administrators do not see them.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
