"""Criteria by date and industry (issue 12): a checklist's end date, industries, exclusions and missing
items; an item's "并且" conditions, narrower industries, combined-element flag and source note; the
combined rules of GB 35181 ch. 6; the judgement a hazard records. Then the libraries of
``hazards.criteria_libraries`` are seeded (the thin seeds brought to the instrument's text once,
GB 35181 v1 retired)."""

import django.db.models.deletion
from django.db import migrations, models


def seed(apps, schema_editor):
    from anquan.hazards.catalogue_data import seed_criteria

    seed_criteria(apps.get_model, corrections=True)


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0007_checklistitem_finding'),
        ('orgs', '0003_industry_trade_sectors'),
    ]

    operations = [
        migrations.AddField(
            model_name='checklist',
            name='effective_to',
            field=models.DateField(blank=True, null=True, verbose_name='废止日期'),
        ),
        migrations.AddField(
            model_name='checklist',
            name='exclusions',
            field=models.JSONField(blank=True, default=list, verbose_name='不适用情形'),
        ),
        migrations.AddField(
            model_name='checklist',
            name='expected_count',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='条款总数（按原文）'),
        ),
        migrations.AddField(
            model_name='checklist',
            name='industries',
            field=models.ManyToManyField(blank=True, related_name='+', to='orgs.industry', verbose_name='适用行业领域'),
        ),
        migrations.AddField(
            model_name='checklist',
            name='missing',
            field=models.JSONField(blank=True, default=list, verbose_name='缺失条款'),
        ),
        migrations.AddField(
            model_name='checklist',
            name='notes',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
        migrations.AddField(
            model_name='checklistitem',
            name='combined',
            field=models.BooleanField(default=False, verbose_name='综合判定要素'),
        ),
        migrations.AddField(
            model_name='checklistitem',
            name='conditions',
            field=models.JSONField(blank=True, default=list, verbose_name='须同时具备的情形'),
        ),
        migrations.AddField(
            model_name='checklistitem',
            name='industries',
            field=models.JSONField(blank=True, default=list, verbose_name='适用行业（代码）'),
        ),
        migrations.AddField(
            model_name='checklistitem',
            name='source_note',
            field=models.CharField(blank=True, max_length=300, verbose_name='来源说明'),
        ),
        migrations.AddField(
            model_name='hazard',
            name='judgement',
            field=models.JSONField(blank=True, default=dict, verbose_name='判定记录'),
        ),
        migrations.CreateModel(
            name='CombinedRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=20, verbose_name='条款号')),
                ('text', models.TextField(verbose_name='内容')),
                ('basis', models.CharField(blank=True, max_length=300, verbose_name='依据')),
                ('min_elements', models.PositiveIntegerField(verbose_name='最少要素数')),
                ('place_kinds', models.JSONField(blank=True, default=list, verbose_name='适用场所')),
                ('sort', models.PositiveIntegerField(default=0, verbose_name='排序')),
                ('checklist', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='combined_rules', to='hazards.checklist', verbose_name='判定标准')),
                ('elements', models.ManyToManyField(related_name='combined_rules', to='hazards.checklistitem', verbose_name='综合判定要素')),
            ],
            options={
                'verbose_name': '综合判定规则',
                'verbose_name_plural': '综合判定规则',
                'ordering': ['checklist', 'sort', 'id'],
                'constraints': [models.UniqueConstraint(fields=('checklist', 'number'), name='combined_rule_number')],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
