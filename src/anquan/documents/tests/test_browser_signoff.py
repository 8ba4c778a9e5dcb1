"""At phone size (390×844): the street's leader opens 公文签发, finds what waits on him, reviews and signs
one draft (a double tap on 签发 issues one number), sends another back with an opinion; nothing overflows."""
from __future__ import annotations

import re

import pytest

from anquan.core.tests.factories import make_tree, make_user
from anquan.documents.models import OfficialDocument, SignOff
from anquan.documents.services import drafts

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def test_leader_signs_on_a_phone(login_as, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    tree = make_tree()
    drafter = make_user("street_staff", unit=tree.street_a, name="陈拟稿")
    leader = make_user("leader", unit=tree.street_a, name="王主任", username="lingdao_phone")
    drafts.draft_create(actor=drafter, title="关于做好冬季燃气安全工作的通报", recipients="各社区",
                        paragraphs=["入冬以来燃气使用增多，请各社区逐户排查。"])
    drafts.draft_create(actor=drafter, title="关于约谈甲一社区的通知", recipients="甲一社区", kind="interview",
                        paragraphs=["定于下周约谈。"])
    page = login_as(leader)
    page.set_viewport_size(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())  # 签发 asks for confirmation

    page.goto("/")
    page.goto("/documents/signoffs/")
    assert "共 2 件" in page.locator("#signoff-count").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name=re.compile("冬季燃气安全")).click()
    page.wait_for_url(re.compile(r"/documents/signoffs/\d+/$"))
    assert "（签发后编号）" in page.locator("main").inner_text()
    page.get_by_role("button", name="核稿通过，送签发").click()
    page.wait_for_url(re.compile(r"/documents/signoffs/$"))
    assert "核稿通过" in page.locator("main").inner_text()

    page.get_by_role("link", name=re.compile("冬季燃气安全")).click()
    sign = page.get_by_role("button", name="签发")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sign.dblclick()  # a double tap
    page.wait_for_url(re.compile(r"/documents/signoffs/$"))
    document = OfficialDocument.objects.get()
    assert f"已签发，文号：{document.number}" in page.locator("main").inner_text()
    assert document.number == "甲街通报〔2026〕1号" and document.issued_by == leader
    assert OfficialDocument.objects.count() == 1

    # the other draft: sent back with an opinion; the list then has nothing for him
    page.get_by_role("link", name=re.compile("约谈甲一社区")).click()
    page.get_by_label("退回意见（必填）").fill("请写明约谈时间和地点")
    page.get_by_role("button", name="退回拟稿人").click()
    page.wait_for_url(re.compile(r"/documents/signoffs/$"))
    assert "暂无待办理的稿件" in page.locator("main").inner_text()
    returned = SignOff.objects.get(state="returned")
    assert returned.steps.last().opinion == "请写明约谈时间和地点"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
