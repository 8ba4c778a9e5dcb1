"""At 1440 px the audit log keeps every column on screen, however long a reason or a value is (issue 10, finding 6).

The screenshot is kept at var/screenshots/audit-1440.png for a person to look at.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from anquan.audit.services import record
from anquan.core.tests.factories import make_tree, make_user

pytestmark = pytest.mark.django_db(transaction=True)
LONG_REASON = "企业主要负责人称该隐患已于上周整改完毕但未能提供整改前后照片及验收记录，经现场复核发现配电箱仍未上锁、" * 6
LONG_TOKEN = "示应急检记〔2026〕1号附件" * 12  # no spaces: only overflow-wrap can break it


@pytest.fixture
def world():
    tree = make_tree()
    admin = make_user("sysadmin", username="width_admin", name="系统管理员")
    auditor = make_user("auditor", username="width_shenji", name="审计员")
    grid = tree.grid_a
    with transaction.atomic():
        for _ in range(3):
            record(actor=admin, assignment=admin.assignments.get(), obj=grid, action="orgs.unit_update",
                   before={"name": grid.name, "code": ""}, after={"name": grid.name + LONG_TOKEN, "code": "3301" * 5},
                   reason=LONG_REASON)
    return auditor


def test_no_cell_overflows_at_1440(world, login_as):
    page = login_as(world)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/audit/")
    page.wait_for_selector("table.audit-table")
    overflow = page.evaluate("""() => {
        const bad = [];
        document.querySelectorAll("table.audit-table td, table.audit-table th").forEach((cell, i) => {
            if (cell.offsetParent !== null && cell.scrollWidth > cell.clientWidth + 1) bad.push(i + ": " + cell.textContent.slice(0, 40));
        });
        const table = document.querySelector("table.audit-table").getBoundingClientRect();
        return {bad, tableRight: table.right, width: window.innerWidth, pageWidth: document.documentElement.scrollWidth};
    }""")
    shots = Path(settings.BASE_DIR) / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "audit-1440.png"), full_page=True)
    assert overflow["bad"] == [], overflow["bad"]
    assert overflow["tableRight"] <= overflow["width"], overflow
    assert overflow["pageWidth"] <= overflow["width"], overflow
    # The last column (chain · seq) is on screen, and the long reason is there in full.
    assert page.locator("table.audit-table tbody tr").first.locator("td").last.is_visible()
    assert page.get_by_text(LONG_REASON[:30]).first.is_visible()
    assert "修改行政区划" in page.locator("[data-testid=audit-action]").first.inner_text()
