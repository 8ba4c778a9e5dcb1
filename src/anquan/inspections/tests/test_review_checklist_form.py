"""Review: saving a checklist draft that was published meanwhile keeps what the user typed (409, Chinese reason)."""
import pytest
import time_machine
from django.test import Client

from anquan.inspections.services import checklists as cl

from . import plans_world as pw

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield pw.build()


def test_edit_post_after_publish_keeps_the_typed_rows(w):
    draft = cl.checklist_create(actor=w["yingji"], data={"name": "消防检查表", "items": pw.items(1, "消防")})
    c = Client()
    c.force_login(w["yingji"])
    assert c.get(f"/checklists/{draft.pk}/edit/").status_code == 200
    cl.checklist_publish(actor=w["yingji"], checklist=draft)  # published by someone while the form was open
    response = c.post(f"/checklists/{draft.pk}/edit/", {
        "name": "消防检查表（改）", "industry": "", "basis": "", "rows": "1",
        "item-0-number": "1", "item-0-text": "疏散通道是否堵塞（刚刚输入）", "item-0-suggested_level": "general",
    })
    assert response.status_code == 409
    body = response.content.decode()
    assert "疏散通道是否堵塞（刚刚输入）" in body and "消防检查表（改）" in body
    assert "不能修改" in body
    draft.refresh_from_db()
    assert draft.name == "消防检查表" and draft.status == "published"
    assert list(draft.items.values_list("text", flat=True)) == ["消防第1项"]
