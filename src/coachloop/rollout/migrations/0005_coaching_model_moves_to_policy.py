"""The trust's coaching policy and each school's coaching model move to the policy app.

Only Django's state changes here: the tables stay as they are, and ``policy`` 0001 takes the
models over. No other model points at them, so nothing else needs repointing.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("rollout", "0004_calendar_feed_keeps_a_hash"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SchoolModel"),
                migrations.DeleteModel(name="TrustPolicy"),
            ],
            database_operations=[],
        ),
    ]
