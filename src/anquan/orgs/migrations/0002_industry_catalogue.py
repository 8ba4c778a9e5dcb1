"""Seed the industry catalogue (行业领域) that departments and enterprises refer to.

Idempotent: rows are matched by ``code`` and their name and sort order brought up to
date, so re-running (or running after a locality renamed nothing) changes nothing.
The demo generator imports ``CATALOGUE`` from here to re-seed after ``flush``.
"""
from django.db import migrations

#: (code, name, sort) — the national campaign sectors (专项整治重点行业领域).
CATALOGUE = [
    ("hazchem", "危险化学品", 10),
    ("gas", "城镇燃气", 20),
    ("fire_key", "消防重点单位", 30),
    ("road_transport", "道路运输", 40),
    ("water_transport", "水上交通", 50),
    ("construction", "建筑施工", 60),
    ("coal_mine", "煤矿", 70),
    ("non_coal_mine", "非煤矿山", 80),
    ("fireworks", "烟花爆竹", 90),
    ("crowded", "人员密集场所", 100),
    ("special_equipment", "特种设备", 110),
    ("industry_trade", "工贸", 120),
    ("school", "学校", 130),
    ("rental", "出租房", 140),
    ("civil_explosives", "民用爆炸物品", 150),
]


def seed(apps, schema_editor):
    Industry = apps.get_model("orgs", "Industry")
    for code, name, sort in CATALOGUE:
        Industry.objects.update_or_create(code=code, defaults={"name": name, "sort": sort})


class Migration(migrations.Migration):

    dependencies = [
        ("orgs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
