"""The 工贸 sub-sectors of 工贸企业重大事故隐患判定标准 (应急管理部令第10号) 第四条至第十条 as industries
under 工贸 (``Industry.parent``): a site of 冶金 is also 工贸 for the criteria libraries.

Idempotent by ``code``; the demo generator imports ``SUB_SECTORS`` to re-seed after ``flush``.
"""
import django.db.models.deletion
from django.db import migrations, models

#: (code, name, sort, parent code) — 第四条 冶金, 第五条 有色, 第六条 建材, 第七条 机械, 第八条 轻工,
#: 第九条 纺织, 第十条 烟草 and 商贸 (the order's own sector list).
SUB_SECTORS = [
    ("gm_metallurgy", "冶金", 121, "industry_trade"),
    ("gm_nonferrous", "有色", 122, "industry_trade"),
    ("gm_building_materials", "建材", 123, "industry_trade"),
    ("gm_machinery", "机械", 124, "industry_trade"),
    ("gm_light", "轻工", 125, "industry_trade"),
    ("gm_textile", "纺织", 126, "industry_trade"),
    ("gm_tobacco", "烟草", 127, "industry_trade"),
    ("gm_commerce", "商贸", 128, "industry_trade"),
]


def seed_sub_sectors(Industry) -> None:
    for code, name, sort, parent_code in SUB_SECTORS:
        parent = Industry.objects.filter(code=parent_code).first()
        Industry.objects.update_or_create(code=code, defaults={"name": name, "sort": sort, "parent": parent})


def seed(apps, schema_editor):
    Industry = apps.get_model("orgs", "Industry")
    seed_sub_sectors(Industry)
    # A department regulating 工贸 regulates its sub-sectors too (scopes read Department.industries: a 冶金
    # site's hazards must stay visible to the 工贸 regulator). New departments: pick them in the form.
    subs = list(Industry.objects.filter(code__in=[code for code, *_ in SUB_SECTORS]))
    for department in apps.get_model("orgs", "Department").objects.filter(industries__code="industry_trade").distinct():
        department.industries.add(*subs)


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0002_industry_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="industry",
            name="parent",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="orgs.industry", verbose_name="上级行业"),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
