"""A partial index of the open hazards by territory path (issue 5 benchmark, docs/performance.md finding 1).

Open hazards are a few percent of all; the lists people open most (open, overdue first, in a
territory) then read this index instead of scanning every hazard of the scope.
"""
from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("hazards", "0002_catalogue")]

    operations = [
        migrations.AddIndex(
            model_name="hazard",
            index=models.Index(
                fields=["grid_path", "deadline_in_force"], name="hazard_open_path",
                opclasses=["varchar_pattern_ops", "date_ops"],
                condition=Q(voided_at__isnull=True) & ~Q(status="closed"),
            ),
        ),
    ]
