"""The accident's official documents: 事故信息快报 of a leg, the investigation team's appointment and the 批复 — 公文
with gap-free 文号 of their own series, one document per client key, refused (with the reason) when the record is not
ready, and out of reach (404) for whoever cannot see the accident."""
from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.test import Client

from anquan.accidents.documents import issue_for_accident
from anquan.accidents.models import Accident
from anquan.accidents.services import investigation as inv_s
from anquan.accidents.services import reporting
from anquan.core.errors import Conflict, Invalid, NotFound
from anquan.documents.models import DocumentKind, OfficialDocument
from anquan.enterprises.models import Site

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]


@pytest.fixture
def world(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.MEDIA_ROOT = str(tmp_path)
    demo = build_demo(seed=11, as_of=datetime.date(2026, 11, 22), streets=3, enterprises=30, hazards_per_enterprise=0)
    site = Site.objects.filter(enterprise=demo.enterprise_a, voided_at__isnull=True).order_by("pk").first()
    accident = reporting.accident_report(actor=demo.user("qiye_a"), data={
        "site": site.pk, "occurred_at": "2026-11-22T21:00", "learned_at": "2026-11-22T21:10", "place": "一号车间",
        "account": "清理设备时被卷入", "kind": "machinery", "deaths": 1, "measures": "已停机并保护现场"})
    return demo, accident


def docx_text(document) -> str:
    with document.file.open("rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as z:
        return z.read("word/document.xml").decode()


def test_flash_reports_are_numbered_without_gaps_and_carry_the_six_contents(world):
    demo, accident = world
    district = demo.user("anweiban")
    first = issue_for_accident(district, accident, "flash", client_key="a")
    again = issue_for_accident(district, accident, "flash", client_key="a")  # the same click again
    second = issue_for_accident(district, accident, "flash", client_key="b")
    assert first.pk == again.pk and first.kind == DocumentKind.ACCIDENT_FLASH
    assert "快报" in first.number and first.number != second.number
    assert [first.number.split("〕")[1], second.number.split("〕")[1]] == ["1号", "2号"]
    text = docx_text(first)
    for part in ("事故发生单位概况", "简要经过", "已经采取的措施", "清理设备时被卷入", "死亡1人"):
        assert part in text
    assert first.recipients.endswith("应急管理局")  # the county passes it to the city's 应急管理局


def test_team_and_approval_wait_for_their_records(world):
    demo, accident = world
    district = demo.user("anweiban")
    with pytest.raises(Conflict, match="请先登记成立调查组"):
        issue_for_accident(district, accident, "team")
    with pytest.raises(Conflict, match="调查报告尚未提交"):
        issue_for_accident(district, accident, "approval")
    inv = accident.investigation
    inv = inv_s.investigation_form_team(actor=district, investigation=inv, version=inv.version, data={
        "team_formed_on": "2026-11-22", "team_leader": "区应急管理局副局长", "organized_by": "示范区人民政府"})
    team = issue_for_accident(district, Accident.objects.get(pk=accident.pk), "team")
    assert team.kind == DocumentKind.ACCIDENT_TEAM and "区应急管理局副局长" in docx_text(team)
    assert "60日" in docx_text(team)
    with pytest.raises(Invalid):
        issue_for_accident(district, accident, "nope")


def test_out_of_scope_cannot_issue_and_the_page_button_works(world):
    demo, accident = world
    with pytest.raises(NotFound):
        issue_for_accident(demo.user("jiedao_b"), accident, "flash")
    c = Client()
    c.force_login(demo.user("anweiban"))
    r = c.post(f"/accidents/{accident.pk}/document/", {"kind": "flash", "client_key": "k"}, follow=True)
    assert "公文已生成" in r.content.decode()
    assert OfficialDocument.objects.filter(kind=DocumentKind.ACCIDENT_FLASH).count() == 1
    r = c.post(f"/accidents/{accident.pk}/document/", {"kind": "team"}, follow=True)
    assert "请先登记成立调查组" in r.content.decode()
