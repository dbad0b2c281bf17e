"""Oscar's address forms offer only shipping countries: make each channel's country one."""

from django.db import migrations

from marketplace.channels.shipping_country import ensure_shipping_country


def forwards(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    for channel in apps.get_model("channels", "Channel").objects.all():
        ensure_shipping_country(Country, str(channel.country))


class Migration(migrations.Migration):
    dependencies = [("channels", "0002_seed_channels"), ("address", "0007_useraddress_code")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
