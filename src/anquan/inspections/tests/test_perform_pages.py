"""The task pages without a browser: my open tasks first on the list, filters, the detail's full record
(who will go for a planned task; time, place, content, problems, handling, signatures or 拒绝签字, hazards)."""
from __future__ import annotations

import datetime
import re
import uuid

import pytest
import time_machine
from django.test import Client

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards.models import Hazard
from anquan.inspections.models import Inspection
from anquan.inspections.services import perform

from .factories import make_task, png_bytes

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(NOW, tick=False):
        t = make_tree()
        za = make_user("inspector", department=t.yingji, name="执法甲")
        zb = make_user("inspector", department=t.yingji, name="执法乙")
        firm = make_enterprise(t.grid_a, name="甲街道五金厂", industries=("industry_trade",))
        site = make_site(t.grid_a, enterprise=firm, name="五金厂一车间", address="甲街道五金路1号")
        other = make_site(t.grid_a, enterprise=firm, name="五金厂仓库")
        theirs = make_task(other, inspectors=[zb], department=t.yingji, planned_on=datetime.date(2026, 12, 30))
        mine = make_task(site, inspectors=[za, zb], department=t.yingji, planned_on=datetime.date(2026, 11, 2), items=2)
        yield {"t": t, "za": za, "zb": zb, "mine": mine, "theirs": theirs, "site": site}


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_list_shows_my_open_tasks_first(world):
    html = client(world["za"]).get("/inspections/").content.decode()
    assert "我的待办检查（1）" in html
    links = re.findall(r'href="/inspections/(\d+)/', html)
    assert links[0] == str(world["mine"].pk)  # the card of my task, before the whole list
    assert f'href="/inspections/{world["mine"].pk}/perform/"' in html
    # filters
    html = client(world["za"]).get("/inspections/?q=仓库").content.decode()
    assert f'href="/inspections/{world["theirs"].pk}/"' in html and f'href="/inspections/{world["mine"].pk}/"' not in html.split("共 ")[1]
    html = client(world["za"]).get("/inspections/?status=performed").content.decode()
    assert "暂无检查任务" in html


def test_detail_of_a_planned_task_says_who_will_go(world):
    html = client(world["zb"]).get(f"/inspections/{world['mine'].pk}/").content.decode()
    assert "拟派检查人员" in html and "执法甲、执法乙" in html
    assert "开始检查" in html


def test_detail_of_a_performed_task_is_the_full_record(world):
    task, za, zb = world["mine"], world["za"], world["zb"]
    part = task.parts.get()
    items = list(part.checklist.items.order_by("sort"))
    with time_machine.travel(NOW, tick=False):
        perform.answer_save(actor=za, inspection=task, data={"client_id": uuid.uuid4(), "part": part.pk, "item": items[0].pk,
                                                             "result": "nonconform", "hazard_description": "灭火器过期", "hazard_location": "车间北门"})
        perform.answer_save(actor=zb, inspection=task, data={"client_id": uuid.uuid4(), "part": part.pk, "item": items[1].pk, "result": "conform"})
        for user in (za, zb):
            perform.signature_add(actor=za, inspection=task, data={"client_id": uuid.uuid4(), "signer_kind": "inspector", "person": user.person_id}, image=png_bytes())
        perform.signature_add(actor=za, inspection=task, data={"client_id": uuid.uuid4(), "signer_kind": "representative", "name": "王经理",
                                                                "refused": True, "note": "拒签，两名执法人员见证"})
        task = Inspection.objects.get(pk=task.pk)
        perform.inspection_complete(actor=za, inspection=task, version=task.version,
                                    data={"summary": "检查车间消防设施", "handling": "责令限期整改"})
    hazard = Hazard.objects.get(inspection=task)
    html = client(za).get(f"/inspections/{task.pk}/").content.decode()
    for text in ("2026-11-20 10:00", "甲街道五金路1号", "检查车间消防设施", "责令限期整改", "第1项：灭火器过期（车间北门）",
                 "拒绝签字", "拒签，两名执法人员见证", hazard.number, f'href="/hazards/{hazard.pk}/"', "检查人员 执法甲"):
        assert text in html, text
    assert html.count('class="insp-signature"') == 2
    assert "开始检查" not in html and "继续检查" not in html
    # the phone page of a performed task sends the inspector to the record
    response = client(za).get(f"/inspections/{task.pk}/perform/")
    assert response.status_code == 302 and response["Location"] == f"/inspections/{task.pk}/"


def test_perform_page_is_for_the_task_inspectors(world):
    task = world["mine"]
    other = make_user("inspector", department=world["t"].yingji, name="执法丙")
    response = client(other).get(f"/inspections/{task.pk}/perform/")
    assert response.status_code == 403 and "只有本任务的检查人员" in response.content.decode()
    html = client(world["za"]).get(f"/inspections/{task.pk}/perform/").content.decode()
    assert 'id="task-data"' in html and "完成检查" in html and "代表拒绝签字" in html
