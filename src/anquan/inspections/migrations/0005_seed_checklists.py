"""Seed the inspection checklist templates (消防安全, 城镇燃气, 建筑施工, 工贸通用; data in
``inspections.checklist_data``, shared with the demo and tests). Idempotent by natural keys."""
from django.db import migrations


def seed(apps, schema_editor):
    from anquan.inspections.checklist_data import seed_checklists

    seed_checklists(apps.get_model)


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0004_plan_part_departments_draw_conflicts"),
        ("hazards", "0004_checklist_owner_department_major_criterion"),
        ("hazards", "0002_catalogue"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
