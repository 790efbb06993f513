"""Calendar feeds keep a hash of their secret, not the secret.

Each existing feed's token is hashed where it stands, so the addresses people have already
added to their calendar apps keep working. Going back cannot recover the secrets: each feed
then gets a new one, and its person needs a new address from the "Your calendar" page.
"""

import hashlib
import secrets

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("rollout", "CalendarFeed")
    feeds = list(CalendarFeed.objects.only("pk", "token"))
    for feed in feeds:
        feed.token_hash = hashlib.sha256(feed.token.encode()).hexdigest()
    CalendarFeed.objects.bulk_update(feeds, ["token_hash"], batch_size=1000)


def new_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("rollout", "CalendarFeed")
    feeds = list(CalendarFeed.objects.only("pk"))
    for feed in feeds:
        feed.token = secrets.token_urlsafe(32)
    CalendarFeed.objects.bulk_update(feeds, ["token"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("rollout", "0003_read_after_end_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # Without its uniqueness and default first, so that going back can add the column
        # empty and fill it with new secrets, one per feed.
        migrations.AlterField(
            model_name="calendarfeed",
            name="token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, new_tokens),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
