"""The hazard foreign key is gone: what a notification is about is its generic target (0003 moved the values)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0003_hazard_to_target"),
    ]

    operations = [
        migrations.RemoveField(model_name="notification", name="hazard"),
    ]
