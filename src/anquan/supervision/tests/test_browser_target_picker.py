"""The 对象 picker of 警示约谈 in a real browser (desktop, the 安委办's office work): anweiban types part
of an enterprise's name, picks it from the htmx results, searches again (the pick stays), and saves;
Enter in the search box does not submit the form."""
from __future__ import annotations

import pytest

from anquan.enterprises.models import Enterprise

from ..models import Interview

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.MEDIA_ROOT = str(tmp_path)
    return build_demo(seed=11, streets=3, enterprises=20, hazards_per_enterprise=0)


def test_anweiban_picks_the_target_by_searching(live_page, login_as, demo):
    firm = Enterprise.objects.get(pk=demo.enterprise_a.pk)
    page = login_as(demo.users["anweiban"])
    page.goto("/supervision/interviews/new/")
    assert page.locator("select#f-target").count() == 0
    page.fill("#f-target-q", firm.name[:4])
    page.press("#f-target-q", "Enter")  # searches, never saves the half-filled form
    option = page.locator(f'#target-results input[value="enterprise:{firm.pk}"]')
    option.wait_for()
    page.locator(f'label[for="{option.get_attribute("id")}"]').click()
    page.locator(f'#target-chosen input[value="enterprise:{firm.pk}"]').wait_for()
    page.fill("#f-target-q", demo.street_b.name)  # another search keeps the pick
    page.locator(f'#target-results input[value="unit:{demo.street_b.pk}"]').wait_for()
    assert page.locator(f'#target-chosen input[value="enterprise:{firm.pk}"]').is_checked()
    assert not Interview.objects.exists()
    page.fill("#f-participants", "企业主要负责人、安全管理人员")
    page.fill("#f-content", "近期隐患整改不力，约谈警示")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("警示约谈已登记").wait_for()
    assert Interview.objects.get().target_enterprise_id == firm.pk
