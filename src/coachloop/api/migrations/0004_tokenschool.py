"""The schools an integration's token is limited to get their token's trust: the table Django
made for ``ApiToken.schools`` becomes the ``TokenSchool`` model (same table, same rows), then
takes a ``trust`` column filled from each row's token, and its unique pair becomes
(trust, token, school), so the table can be distributed by ``trust_id`` (docs/scaling.md)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def rows_take_their_tokens_trust(apps, schema_editor):
    TokenSchool = apps.get_model("api", "TokenSchool")
    ApiToken = apps.get_model("api", "ApiToken")
    TokenSchool.objects.update(
        trust_id=Subquery(ApiToken.objects.filter(pk=OuterRef("apitoken_id")).values("trust_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_tokenwindow_trust"),
        ("people", "0011_retention_and_erasure"),
    ]

    operations = [
        # The table exists: only Django's idea of it changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TokenSchool",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "apitoken",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="api.apitoken",
                            ),
                        ),
                        (
                            "school",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="people.school",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "api_apitoken_schools",
                        "unique_together": {("apitoken", "school")},
                    },
                ),
                migrations.AlterField(
                    model_name="apitoken",
                    name="schools",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", through="api.TokenSchool", to="people.school"
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="tokenschool",
            name="trust",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.trust",
            ),
        ),
        migrations.RunPython(rows_take_their_tokens_trust, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tokenschool",
            name="trust",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="people.trust",
            ),
        ),
        migrations.AlterUniqueTogether(name="tokenschool", unique_together=set()),
        migrations.AddConstraint(
            model_name="tokenschool",
            constraint=models.UniqueConstraint(
                fields=("trust", "apitoken", "school"), name="api_token_school_once"
            ),
        ),
    ]
