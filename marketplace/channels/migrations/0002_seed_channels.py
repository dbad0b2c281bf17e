"""Creates the six launch countries. More countries are added as data, not code."""

from django.db import migrations

from marketplace.channels.launch import ensure_launch_channels


def seed(apps, schema_editor):
    ensure_launch_channels(apps.get_model("channels", "Channel"), apps.get_model("channels", "TaxComponent"))


class Migration(migrations.Migration):
    dependencies = [("channels", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
