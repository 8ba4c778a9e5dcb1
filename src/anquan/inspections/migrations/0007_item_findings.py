"""Give the seeded checklist items their finding (``ChecklistItem.finding``, hazards 0007): the
statement a 不符合 answer makes, which titles the hazard it raises (``checklist_data.FINDINGS``)."""
from django.db import migrations


def fill(apps, schema_editor):
    from anquan.inspections.checklist_data import fill_findings

    fill_findings(apps.get_model)


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0006_plan_target_sites"),
        ("hazards", "0007_checklistitem_finding"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
