"""Seed the hazard catalogue: GB/T 13861-2022 category tree with industry sub-categories, the
standard-description library and the published 重大事故隐患判定标准 (data in ``catalogue_data``,
shared with the demo generator, which re-seeds after ``flush``). Idempotent by natural keys."""
from django.db import migrations


def seed(apps, schema_editor):
    from anquan.hazards.catalogue_data import seed_catalogue

    seed_catalogue(apps.get_model)


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0001_initial"),
        ("orgs", "0002_industry_catalogue"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
