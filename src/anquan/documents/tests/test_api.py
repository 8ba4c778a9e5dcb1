"""API /api/v1/documents: list/detail/file, issue per kind, void; scoped (404), ids in bodies (422),
not permitted (403), not ready (409), bad input (422 in Chinese)."""
from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.test import Client

from anquan.core.tests.factories import make_user
from anquan.documents.models import OfficialDocument

from .world import build

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 22, 4, 0, tzinfo=datetime.UTC)


@pytest.fixture
def w():
    with time_machine.travel(NOON, tick=False):
        yield build()


def api(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(c, path, body):
    return c.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


@pytest.mark.frozen(NOON)
def test_issue_each_kind_then_list_and_download(w):
    zf = api(w.zhifa_a)
    r = post(zf, "/documents/inspection-record", {"inspection": w.inspection.pk})
    assert r.status_code == 201, r.content
    record = r.json()
    assert record["number"] == "示应急检记〔2026〕1号" and record["kind_label"] == "现场检查记录"
    assert record["inspection"] == w.inspection.pk and record["issuer_department"] == w.tree.yingji.pk
    r = post(zf, "/documents/rectification-order", {"inspection": w.inspection.pk})
    assert r.status_code == 201 and r.json()["number"] == "示应急责改〔2026〕1号"
    r = post(api(w.zhifa_b), "/documents/recheck-opinion", {"hazard": w.checked.pk})
    assert r.status_code == 201 and r.json()["number"] == "示应急复查〔2026〕1号"
    r = post(api(w.anweiban), "/documents/listing-notice", {"listing": w.listing.pk})
    assert r.status_code == 201 and r.json()["number"] == "示安委办督办〔2026〕1号"
    r = post(api(w.anweiban), "/documents/circular", {"kind": "interview", "title": "警示约谈通知书", "recipients": "示范甲化工有限公司",
                                                    "paragraphs": ["请主要负责人按时参加约谈。"], "hazard": w.listing.hazard_id})
    assert r.status_code == 201 and r.json()["number"] == "示安委办约谈〔2026〕1号"

    listing = zf.get("/api/v1/documents", {"kind": "inspection_record"}).json()
    assert listing["count"] == 1 and listing["items"][0]["number"] == record["number"]
    # zhifa sees all five: its department issued three, the other two are about a hazard its department found
    assert zf.get("/api/v1/documents", {"year": 2026}).json()["count"] == 5
    street_b = api(make_user("street_staff", unit=w.tree.street_b))
    assert street_b.get("/api/v1/documents", {"year": 2026}).json()["count"] == 0
    file = zf.get(record["file_url"])
    assert file.status_code == 200 and b"".join(file.streaming_content)[:2] == b"PK"
    assert zf.get(f"/api/v1/documents/{record['id']}").json()["sha256"] == record["sha256"]


@pytest.mark.frozen(NOON)
def test_scope_and_errors(w):
    zf = api(w.zhifa_a)
    doc = post(zf, "/documents/inspection-record", {"inspection": w.inspection.pk}).json()
    outsider = api(make_user("street_staff", unit=w.tree.street_b))
    assert outsider.get(f"/api/v1/documents/{doc['id']}").status_code == 404
    assert outsider.get(doc["file_url"]).status_code == 404
    assert outsider.get("/api/v1/documents").json()["count"] == 0
    r = post(outsider, "/documents/inspection-record", {"inspection": w.inspection.pk})
    assert r.status_code == 422 and r.json()["errors"]["inspection"] == ["检查不存在或不在您的管辖范围内"]
    grid = api(make_user("grid_worker", unit=w.tree.grid_a))
    assert post(grid, "/documents/inspection-record", {"inspection": w.inspection.pk}).status_code == 403
    assert post(zf, "/documents/recheck-opinion", {"hazard": w.hazards[1].pk}).status_code == 409
    r = post(zf, "/documents/rectification-order", {})
    assert r.status_code == 422 and "二选一" in r.json()["errors"]["inspection"][0]
    r = post(zf, "/documents/circular", {"title": "", "paragraphs": []})
    assert r.status_code == 422 and r.json()["errors"]["title"] == ["请填写公文标题"]
    r = post(zf, "/documents/circular", {"title": "x", "paragraphs": "abc"})
    assert r.status_code == 422
    assert zf.get("/api/v1/documents/99999999999999999999").status_code == 422
    assert zf.get("/api/v1/documents", {"year": "abc"}).status_code == 422


@pytest.mark.frozen(NOON)
def test_void_through_the_api(w):
    zf = api(w.zhifa_a)
    doc = post(zf, "/documents/circular", {"title": "关于检查情况的通报", "paragraphs": ["正文"]}).json()
    qiye = api(make_user("ent_manager", enterprise=w.enterprise))
    assert post(qiye, f"/documents/{doc['id']}/void", {"version": doc["version"], "reason": "错"}).status_code == 404
    assert post(zf, f"/documents/{doc['id']}/void", {"version": doc["version"], "reason": " "}).status_code == 422
    r = post(zf, f"/documents/{doc['id']}/void", {"version": doc["version"], "reason": "标题有误"})
    assert r.status_code == 200 and r.json()["void_reason"] == "标题有误" and r.json()["voided_at"]
    assert post(zf, f"/documents/{doc['id']}/void", {"version": r.json()["version"], "reason": "再次"}).status_code == 409
    assert OfficialDocument.objects.get().voided_at is not None


@pytest.mark.frozen(NOON)
def test_lost_file_answers_404_in_chinese_not_500(w):
    from anquan.documents.generators import issue_inspection_record

    doc = issue_inspection_record(w.zhifa_a, w.inspection)
    doc.file.storage.delete(doc.file.name)
    zf = api(w.zhifa_a)
    for suffix in ("file", "pdf"):
        r = zf.get(f"/api/v1/documents/{doc.pk}/{suffix}")
        assert r.status_code == 404, (suffix, r.status_code)
        assert r.json()["detail"] == "公文文件已丢失，请联系系统管理员"
