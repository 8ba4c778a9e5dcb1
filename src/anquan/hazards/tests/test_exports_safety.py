"""The hazard loop's spreadsheets written by openpyxl (the statutory 统计分析表, the import template with the
user's sites) survive control characters already stored and write formula-like names as text (issue 11)."""
from __future__ import annotations

import io

import pytest
from django.test import Client

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.core.tests.xlsx_checks import HOSTILE, no_formulas
from anquan.hazards.statutory_report import enterprise_report_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tree = make_tree()
    enterprise = make_enterprise(tree.grid_a, name=HOSTILE, address="甲路\x0b1号", principal_name="@王五")
    make_site(tree.grid_a, enterprise=enterprise, name="=1+1\x0c厂区")
    return tree, enterprise


def test_statutory_report_of_a_hostile_enterprise(world):
    _, enterprise = world
    texts = no_formulas(enterprise_report_xlsx(enterprise, 2026, 4))
    assert HOSTILE in texts and "甲路1号" in texts and any("@王五" in t for t in texts)


def test_import_template_lists_hostile_sites_as_text(world):
    tree, _ = world
    client = Client()
    client.force_login(make_user("street_staff", unit=tree.street_a))
    response = client.get("/hazards/import/template.xlsx")
    assert response.status_code == 200
    texts = no_formulas(b"".join(response.streaming_content) if response.streaming else io.BytesIO(response.content).read())
    assert "=1+1厂区" in texts and HOSTILE in texts


@pytest.mark.parametrize("kind", ["hazards", "rectification", "responsibility"])
def test_hazard_ledgers_write_formula_like_descriptions_as_text(kind):
    """The ledgers (and the workbench registers) write through ``jobs.xlsx``: inline strings, never formulas."""
    import datetime

    from django.utils import timezone

    from anquan.core.tests.factories import add_role
    from anquan.core.tests.matrix_world import png
    from anquan.hazards import exports, services
    from anquan.hazards.models import Hazard

    tree = make_tree()
    enterprise = make_enterprise(tree.grid_a, name=HOSTILE)
    site = make_site(tree.grid_a, enterprise=enterprise, name="+厂区")
    user = make_user("street_staff", unit=tree.street_a)
    add_role(user, "grid_worker", unit=tree.grid_a)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    hazard = services.hazard_record(actor=user, data={"site": site.pk, "description": "-描述", "source": "territorial",
                                                      "deadline": deadline.isoformat()}, photos=[png()])
    Hazard.objects.filter(pk=hazard.pk).update(description="=1+1\x0b描述", location="@位置")
    on = timezone.localdate()
    texts = no_formulas(exports.export(kind, "隐患台账", Hazard.objects.filter(pk=hazard.pk), on).read())
    assert "=1+1描述" in texts
    if kind in ("hazards", "responsibility"):
        assert HOSTILE in texts  # the enterprise (责任单位)
