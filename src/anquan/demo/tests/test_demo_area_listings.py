"""The demo's street-level listing (jiedao_a's street lists scene A14 at 街道（乡镇）级) and its 区域挂牌督办 (the
district's 安委办 lists 乙街道), both made through the services at fixed moments: with their notices' 文号,
visible to whom they concern, and the same every run."""
from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from anquan.demo.generator import build_demo
from anquan.demo.hazard_scenes import scene
from anquan.hazards.models import ListedSupervision
from anquan.hazards.models.supervision import AreaListing
from anquan.rules.calendar import SHANGHAI

AS_OF = datetime.date(2026, 3, 1)
SMALL = {"seed": 7, "as_of": AS_OF, "streets": 3, "enterprises": 60}


@pytest.mark.django_db
def test_street_and_area_listings_of_the_demo():
    demo = build_demo(**SMALL)
    users = demo.users
    street = ListedSupervision.objects.get(hazard=scene("A14"), level="street")
    assert (street.listing_unit, street.listed_by.username, street.status) == (demo.street_a, "jiedao_a", "listed")
    assert street.document_no and street.deadline == AS_OF + datetime.timedelta(days=40)
    assert street.listed_at == datetime.datetime(2026, 2, 9, 10, tzinfo=SHANGHAI)
    assert ListedSupervision.objects.filter(hazard=scene("A14"), level="district", delisted_at__isnull=True).exists()
    assert ListedSupervision.objects.visible_to(users["jiedao_a"]).filter(pk=street.pk).exists()
    assert not ListedSupervision.objects.visible_to(users["jiedao_b"]).filter(pk=street.pk).exists()

    area = AreaListing.objects.get()
    assert (area.listing_unit, area.target_unit, area.target_industry, area.listed_by.username, area.status) == (
        demo.district, demo.street_b, None, "anweiban", "listed")
    assert area.document_no and area.level == "district" and area.deadline == AS_OF + datetime.timedelta(days=45)
    assert AreaListing.objects.visible_to(users["jiedao_b"]).filter(pk=area.pk).exists()
    assert not AreaListing.objects.visible_to(users["jiedao_a"]).filter(pk=area.pk).exists()
    call_command("verify_audit")
