"""A webhook endpoint is bound to one of its integration's tokens, and remembers when its
secret was last rotated (the previous one signs too for a day after)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        # No endpoint exists yet (nothing made one before this migration), so no default.
        migrations.AddField(
            model_name="webhookendpoint",
            name="token",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="webhook_endpoints",
                to="api.apitoken",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="webhookendpoint",
            name="secret_rotated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
