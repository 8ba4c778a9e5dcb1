"""Pages of the 重大事故隐患判定标准 (/hazards/criteria/): who may see and publish (system administrator, 安委办),
who may not (403: street, department, enterprise, inspector; 404: another district's own library), the list's
version, dates, items, missing items and notes, and publishing by copying a library into a new version —
the published version stays as it was.

Expectations written by hand from the task (issue 12, "an administrator can add a locality's own criteria (a new
version, never editing a published one)") and services/criteria.py's docstring."""
from __future__ import annotations

import pytest
from django.test import Client

from anquan.audit.models import AuditEvent
from anquan.core.tests.factories import make_enterprise, make_tree, make_user
from anquan.hazards.models import Checklist, ChecklistItem, ChecklistKind, ChecklistStatus
from anquan.hazards.services.criteria import criteria_publish

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]

ITEM = {"number": "1", "text": "粉尘爆炸危险场所未按规定设置泄爆装置", "basis": "示范区安委办〔2026〕1号第1条"}


def _lib(actor, **extra):
    data = {"name": "示范区粉尘涉爆重大隐患补充判定标准", "basis": "示范区安委办〔2026〕1号", "effective_from": "2026-01-01",
            "industries": ["industry_trade"], "notes": "本地补充", "items": [ITEM, {
                "number": "2", "text": "除尘系统未采取防火措施", "basis": "示范区安委办〔2026〕1号第2条",
                "conditions": [{"key": "a", "text": "未设置火花探测装置"}, {"key": "b", "text": "未设置隔爆装置"}]}]}
    data.update(extra)
    return criteria_publish(actor=actor, data=data)


@pytest.fixture
def w():
    tree = make_tree()
    e = make_enterprise(tree.grid_a)
    users = {
        "admin": make_user("sysadmin", username="admin"),
        "anweiban": make_user("anweiban", unit=tree.district, username="anweiban"),
        "linqu_anweiban": make_user("anweiban", unit=tree.other_district, username="linqu_anweiban"),
        "shi_anweiban": make_user("anweiban", unit=tree.city, username="shi_anweiban"),
        "jiedao_a": make_user("street_staff", unit=tree.street_a, username="jiedao_a"),
        "yingji": make_user("dept_staff", department=tree.yingji, username="yingji"),
        "zhifa_a": make_user("inspector", department=tree.yingji, username="zhifa_a"),
        "qiye_a": make_user("ent_manager", enterprise=e, username="qiye_a"),
    }
    national = Checklist.objects.create(code="t-national", version=1, name="测试国家判定标准", kind=ChecklistKind.MAJOR_CRITERIA,
                                        basis="测试令第1号", status=ChecklistStatus.PUBLISHED, notes="过渡期使用的临时版本",
                                        missing=[["7", "原文未能取得"]], expected_count=3)
    ChecklistItem.objects.create(checklist=national, number="1", text="国家条款一", basis="测试令第1号第一条", sort=10,
                                 suggested_level="major")
    return {"tree": tree, "users": users, "national": national,
            "district_lib": _lib(users["anweiban"]), "other_lib": _lib(users["linqu_anweiban"], name="邻区判定标准")}


def _c(w, name):
    c = Client()
    c.force_login(w["users"][name])
    return c


MAY = {"admin", "anweiban", "linqu_anweiban", "shi_anweiban"}
MAY_NOT = {"jiedao_a", "yingji", "zhifa_a", "qiye_a"}


@pytest.mark.parametrize("name", sorted(MAY | MAY_NOT))
def test_who_may_open_the_list_and_the_form(w, name):
    c = _c(w, name)
    for url in ("/hazards/criteria/", "/hazards/criteria/new/", f"/hazards/criteria/{w['national'].pk}/"):
        assert c.get(url).status_code == (200 if name in MAY else 403), (name, url)
    menu = c.get("/").content.decode()
    assert ("/hazards/criteria/" in menu) == (name in MAY)


def test_list_shows_version_dates_items_missing_and_notes(w):
    page = _c(w, "anweiban").get("/hazards/criteria/").content.decode()
    assert "测试国家判定标准" in page and "第1版" in page and "过渡期使用的临时版本" in page
    assert "缺失条款" in page and "第7项" in page
    assert "示范区粉尘涉爆重大隐患补充判定标准" in page and "2026-01-01" in page and "工贸" in page
    assert "2项" in page
    assert "邻区判定标准" not in page  # another district's own library is out of scope


def test_another_districts_library_is_404(w):
    other = w["other_lib"]
    c = _c(w, "anweiban")
    assert c.get(f"/hazards/criteria/{other.pk}/").status_code == 404
    assert c.get(f"/hazards/criteria/new/?from={other.pk}").status_code == 404
    assert c.post(f"/hazards/criteria/new/?from={other.pk}", {"name": "x"}).status_code == 404
    assert c.get("/hazards/criteria/999999/").status_code == 404
    assert c.get("/hazards/criteria/new/?from=abc").status_code == 404
    # the city sees what is published below it; the system administrator sees everything
    assert _c(w, "shi_anweiban").get(f"/hazards/criteria/{other.pk}/").status_code == 200
    assert _c(w, "admin").get(f"/hazards/criteria/{other.pk}/").status_code == 200


def _form(source: Checklist, **extra) -> dict:
    items = list(source.items.order_by("sort", "id"))
    data = {"name": source.name, "basis": source.basis, "effective_from": "2026-12-01", "effective_to": "",
            "industries": ["industry_trade"], "notes": "第二版", "item_count": str(len(items) + 1), "action": "publish"}
    for n, i in enumerate(items):
        data.update({f"i{n}-number": i.number, f"i{n}-text": i.text, f"i{n}-basis": i.basis,
                     f"i{n}-conditions": "\n".join(f"{c['key']}. {c['text']}" for c in i.conditions),
                     f"i{n}-industries": "", f"i{n}-category": ""})
    n = len(items)
    data.update({f"i{n}-number": "3", f"i{n}-text": "粉尘爆炸危险场所设置在非框架结构的多层建构筑物内",
                 f"i{n}-basis": "示范区安委办〔2026〕2号第3条",
                 f"i{n}-conditions": "a. 场所设在多层建筑内\n并且人员密集", f"i{n}-industries": "gm_metallurgy, gm_light",
                 f"i{n}-category": ""})
    data.update(extra)
    return data


def test_copy_into_a_new_version_leaves_the_published_one_unchanged(w):
    lib = w["district_lib"]
    before = sorted(lib.items.values_list("number", "text", "conditions"))
    c = _c(w, "anweiban")
    page = c.get(f"/hazards/criteria/new/?from={lib.pk}").content.decode()
    assert "第2版" in page and ITEM["text"] in page and "a. 未设置火花探测装置" in page
    response = c.post(f"/hazards/criteria/new/?from={lib.pk}", _form(lib))
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Checklist.objects.get(code=lib.code, version=2)
    assert response["Location"] == f"/hazards/criteria/{new.pk}/"
    assert new.owner_unit_id == w["tree"].district.pk and new.status == ChecklistStatus.PUBLISHED
    items = {i.number: i for i in new.items.all()}
    assert set(items) == {"1", "2", "3"}
    assert items["2"].conditions == [{"key": "a", "text": "未设置火花探测装置"}, {"key": "b", "text": "未设置隔爆装置"}]
    assert items["3"].conditions == [{"key": "a", "text": "场所设在多层建筑内"}, {"key": "b", "text": "并且人员密集"}]
    assert items["3"].industries == ["gm_metallurgy", "gm_light"]
    lib.refresh_from_db()
    assert lib.version == 1 and sorted(lib.items.values_list("number", "text", "conditions")) == before
    assert AuditEvent.objects.filter(action="publish", object_id=str(new.pk)).exists()
    detail = c.get(f"/hazards/criteria/{new.pk}/").content.decode()
    assert "不能修改" in detail and "须同时具备" in detail


def test_a_districts_copy_of_a_national_library_is_a_new_local_library(w):
    national = w["national"]
    c = _c(w, "anweiban")
    response = c.post(f"/hazards/criteria/new/?from={national.pk}", _form(national, name="示范区补充标准"))
    assert response.status_code == 302
    assert Checklist.objects.filter(code=national.code).count() == 1  # the national one is not versioned by a district
    new = Checklist.objects.get(name="示范区补充标准")
    assert new.code != national.code and new.version == 1 and new.owner_unit_id == w["tree"].district.pk


def test_the_system_administrator_versions_a_national_library(w):
    national = w["national"]
    response = _c(w, "admin").post(f"/hazards/criteria/new/?from={national.pk}", _form(national))
    assert response.status_code == 302
    assert Checklist.objects.get(code=national.code, version=2).owner_unit_id is None


def test_those_who_may_not_cannot_publish(w):
    national = w["national"]
    for name in MAY_NOT:
        response = _c(w, name).post("/hazards/criteria/new/", _form(national, name=f"{name}的标准"))
        assert response.status_code == 403, name
    assert not Checklist.objects.filter(name__endswith="的标准").exists()


def test_errors_are_shown_in_chinese_and_nothing_is_published(w):
    c = _c(w, "anweiban")
    count = Checklist.objects.count()
    bad = {"name": "", "basis": "", "effective_from": "2026-13-45", "item_count": "2", "action": "publish",
           "i0-number": "1", "i0-text": "", "i0-basis": "", "i1-number": "", "i1-text": ""}
    response = c.post("/hazards/criteria/new/", bad)
    assert response.status_code == 422
    page = response.content.decode()
    assert "这个字段是必填项" in page or "请填写" in page
    # a valid header but an item without its basis, and duplicate numbers
    data = {"name": "测试", "basis": "测试文件", "effective_from": "2026-12-01", "item_count": "3", "action": "publish",
            "i0-number": "1", "i0-text": "内容", "i0-basis": "", "i1-number": "1", "i1-text": "内容二", "i1-basis": "出处",
            "i2-number": "1", "i2-text": "内容三", "i2-basis": "出处"}
    page = c.post("/hazards/criteria/new/", data).content.decode()
    assert "条款号、内容和依据（出处）都要填写" in page and "重复" in page
    page = c.post("/hazards/criteria/new/", {**data, "item_count": "0"}).content.decode()
    assert "至少要有一个条款" in page
    assert Checklist.objects.count() == count
    for junk in ({"item_count": "x"}, {"item_count": "-5"}, {"item_count": "99999"}, {"industries": ["nope"]},
                 {"effective_to": "2020-01-01"}):
        assert c.post("/hazards/criteria/new/", {**data, **junk}).status_code in (422, 409), junk
    assert Checklist.objects.count() == count


def test_more_rows_keep_what_was_typed(w):
    c = _c(w, "anweiban")
    page = c.post("/hazards/criteria/new/", {"name": "草拟中", "item_count": "1", "i0-number": "9", "i0-text": "保留的内容",
                                             "action": "more"}).content.decode()
    assert "保留的内容" in page and 'name="i5-number"' in page and 'value="6"' in page
    assert not Checklist.objects.filter(name="草拟中").exists()
