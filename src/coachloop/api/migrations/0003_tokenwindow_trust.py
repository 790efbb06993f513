"""A token's rate windows carry their token's trust, like every row hanging off a tenant row,
so the table can be distributed by ``trust_id`` with the rest (docs/scaling.md). The windows
already counted take their token's trust."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def windows_take_their_tokens_trust(apps, schema_editor):
    TokenWindow = apps.get_model("api", "TokenWindow")
    ApiToken = apps.get_model("api", "ApiToken")
    TokenWindow.objects.update(
        trust_id=Subquery(ApiToken.objects.filter(pk=OuterRef("token_id")).values("trust_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_webhookendpoint_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="tokenwindow",
            name="trust",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.trust",
            ),
        ),
        migrations.RunPython(windows_take_their_tokens_trust, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tokenwindow",
            name="trust",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.trust",
            ),
        ),
        migrations.RemoveConstraint(model_name="tokenwindow", name="api_token_window_unique"),
        migrations.AddConstraint(
            model_name="tokenwindow",
            constraint=models.UniqueConstraint(
                fields=("trust", "token", "minute"), name="api_token_window_unique"
            ),
        ),
    ]
