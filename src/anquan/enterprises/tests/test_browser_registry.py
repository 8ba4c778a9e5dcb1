"""In the real browser: jiedao_a signs in, sees its own street's enterprises and not jiedao_b's,
and an Excel file with a bad credit code is refused row by row with nothing written."""
from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from anquan.accounts.models import RoleAssignment
from anquan.enterprises import credit_code
from anquan.enterprises.exporter import HEADERS
from anquan.enterprises.models import Enterprise, Site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_city(settings):
    from anquan.demo.generator import build_demo

    settings.DEMO_MODE = True  # the demo password signs in only in demo mode
    build_demo(seed=5, as_of=datetime.date(2026, 11, 22), streets=3, enterprises=60)
    street_a = RoleAssignment.objects.get(user__username="jiedao_a").unit
    street_b = RoleAssignment.objects.get(user__username="jiedao_b").unit
    in_a = Site.objects.filter(grid__path__startswith=street_a.path, enterprise__isnull=False).values("enterprise_id")
    own = Enterprise.objects.filter(unit__path__startswith=street_a.path).order_by("name").first()
    other = Enterprise.objects.filter(unit__path__startswith=street_b.path).exclude(pk__in=in_a).order_by("name").first()
    assert own and other
    return own, other, street_a


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h, "") for h in HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "anquan-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: not url.endswith("/login/"))


def test_street_user_sees_its_own_enterprises_only(live_page, demo_city):
    own, other, _ = demo_city
    page = live_page
    _sign_in(page, "jiedao_a")
    page.goto("/enterprises/")
    body = page.locator("body")
    assert own.name in body.inner_text()
    assert other.name not in body.inner_text()
    page.goto(f"/enterprises/?q={other.name}")
    assert other.name not in page.locator("main").inner_text()
    response = page.goto(f"/enterprises/{other.pk}/")
    assert response.status == 404
    response = page.goto(f"/enterprises/{own.pk}/")
    assert response.status == 200 and own.credit_code in page.locator("body").inner_text()


def test_import_with_a_bad_credit_code_shows_the_row_and_writes_nothing(live_page, demo_city, tmp_path):
    own, _, _ = demo_city
    grid = own.unit
    good = credit_code.make("91390102MA00000A1")
    right = credit_code.make("91390102MA00000B2")
    bad = right[:-1] + ("0" if right[-1] != "0" else "1")  # a wrong check character
    rows = [
        {"企业名称": "浏览器测试甲有限公司", "统一社会信用代码": good, "法定代表人": "张三", "主要负责人": "李四",
         "注册地址": "东城街道测试路1号", "所属网格": grid.pk, "行业领域": "工贸"},
        {"企业名称": "浏览器测试乙有限公司", "统一社会信用代码": bad, "法定代表人": "王五", "主要负责人": "赵六",
         "注册地址": "东城街道测试路2号", "所属网格": grid.pk, "行业领域": "工贸"},
    ]
    path = tmp_path / "企业导入.xlsx"
    path.write_bytes(_xlsx(rows))
    before = Enterprise.objects.count()

    page = live_page
    _sign_in(page, "jiedao_a")
    page.goto("/enterprises/import/")
    page.set_input_files("#id_file", str(path))
    page.locator("form:has(#id_file) button[type=submit]").click()
    error_row = page.locator("tr", has_text="第3行")
    error_row.wait_for(timeout=20_000)
    assert "校验位" in error_row.inner_text()
    assert page.get_by_role("button", name="全部导入").is_disabled()
    assert Enterprise.objects.count() == before
    assert not Enterprise.objects.filter(credit_code__in=[good, bad]).exists()
