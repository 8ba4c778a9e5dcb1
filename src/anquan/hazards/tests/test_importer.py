"""Hazard Excel import: checked by content, previewed with row-numbered errors, all or nothing."""
from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from anquan.audit.models import AuditEvent
from anquan.hazards import importer
from anquan.hazards.models import Hazard, HazardCategory

from .test_pages import at, media, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def xlsx(rows: list[dict], headers=None) -> bytes:
    headers = headers or importer.HEADERS
    wb = Workbook()
    ws = wb.active
    ws.title = "隐患清单"
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(**values) -> dict:
    base = {"隐患描述": "消防栓被遮挡", "隐患来源": "专家排查", "隐患等级": "一般", "整改期限": "2026-03-31",
            "整改责任人": "周工", "责任人电话": "13500000000", "整改措施": "移走杂物"}
    return {**base, **values}


def upload(content: bytes, name="隐患.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_validate_resolves_sites_and_reports_row_numbers(world):
    with at(datetime.date(2026, 3, 2), 10):
        rows = importer.read_rows(io.BytesIO(xlsx([
            row(场所编号=world.site.pk, 隐患类别="电危害"),
            row(场所名称=world.site.name, 企业统一社会信用代码=world.firm.credit_code.lower()),
            row(场所编号=world.market.pk),  # another street's site
            row(场所编号=world.site.pk, 隐患来源="路人", 整改期限="下个月", 隐患等级="特大"),
            row(场所名称="不存在的场所"),
            row(场所编号=world.site.pk, 隐患类别="没有这个类别", 隐患描述=""),
        ])))
        checks = importer.validate(world.street, rows)
    assert [c.row for c in checks] == [2, 3, 4, 5, 6, 7]
    assert checks[0].errors == [] and checks[0].data["category"] == HazardCategory.objects.get(code="2103").pk
    assert checks[1].errors == [] and checks[1].data["site"] == world.site.pk
    assert checks[2].errors == [f"场所编号“{world.market.pk}”不存在或不在您的管辖范围内"]
    assert any("隐患来源“路人”无法识别" in e for e in checks[3].errors)
    assert any("隐患等级“特大”无法识别" in e for e in checks[3].errors)
    assert any("整改期限" in e for e in checks[3].errors)
    assert any("不存在的场所" in e for e in checks[4].errors)
    assert any("隐患类别“没有这个类别”不在隐患类别目录中" in e for e in checks[5].errors)
    assert any("隐患描述" in e for e in checks[5].errors)


def test_a_file_with_one_bad_row_imports_nothing(world):
    client = world.client(world.street)
    content = xlsx([row(场所编号=world.site.pk), row(场所编号=world.site.pk, 整改期限="")])
    with at(datetime.date(2026, 3, 2), 10):
        response = client.post("/hazards/import/", {"file": upload(content)})
        assert response.status_code == 302
        preview = client.get(response["Location"])
        html = preview.content.decode()
        assert "第3行" in html and "请填写整改期限" in html and "全部无误才能导入" in html
        assert "确认导入" not in html
        confirm = client.post(response["Location"] + "confirm/", follow=True)
    assert "导入未完成，没有写入任何数据" in confirm.content.decode()
    assert Hazard.objects.count() == 0


def test_a_clean_file_imports_every_row_through_the_service(world):
    client = world.client(world.street)
    content = xlsx([
        row(场所编号=world.site.pk, 隐患描述="疏散指示灯损坏", 发现时间="2026-03-01 15:00"),
        row(场所名称=world.site.name, 企业统一社会信用代码=world.firm.credit_code, 隐患描述="安全出口上锁", 整改期限="2026年3月20日"),
        {"隐患描述": "（示例，导入前请删除此行）"},
    ])
    with at(datetime.date(2026, 3, 2), 10):
        preview_url = client.post("/hazards/import/", {"file": upload(content)})["Location"]
        html = client.get(preview_url).content.decode()
        assert "全部检查无误" in html and "确认导入2条" in html
        done = client.post(preview_url + "confirm/")
        assert client.get(preview_url).status_code == 404  # the upload is gone once imported
    assert done.status_code == 302 and done["Location"] == "/hazards/"
    hazards = Hazard.objects.order_by("id")
    assert [h.description for h in hazards] == ["疏散指示灯损坏", "安全出口上锁"]
    assert hazards[1].deadline == datetime.date(2026, 3, 20) and hazards[0].source == "expert"
    assert all(h.recorded_by == world.street and h.finder_unit == world.tree.street_a for h in hazards)
    assert AuditEvent.objects.filter(model_key="hazard", action="record").count() == 2


def test_all_or_nothing_when_a_row_fails_in_the_service(world, monkeypatch):
    from anquan.core.errors import Invalid
    from anquan.hazards import services

    real = services.hazard_record
    calls = []

    def second_fails(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Invalid({"site": ["所选场所不存在或不在您的管辖范围内"]})
        return real(**kwargs)

    monkeypatch.setattr(services, "hazard_record", second_fails)
    rows = importer.read_rows(io.BytesIO(xlsx([row(场所编号=world.site.pk), row(场所编号=world.site.pk)])))
    with at(datetime.date(2026, 3, 2), 10), pytest.raises(importer.ImportFailed) as failed:
        importer.apply(world.street, rows)
    assert failed.value.row == 3 and Hazard.objects.count() == 0


def test_files_are_checked_by_content_and_the_import_is_permitted_and_owned(world):
    client = world.client(world.street)
    fake = client.post("/hazards/import/", {"file": upload(b"name,desc\n1,2\n", "隐患.xlsx")})
    assert fake.status_code == 422 and "不是Excel工作簿" in fake.content.decode()
    no_header = client.post("/hazards/import/", {"file": upload(xlsx([], headers=["甲", "乙"]))})
    assert "没有找到表头" in no_header.content.decode()
    missing = client.post("/hazards/import/", {"file": upload(xlsx([], headers=["场所编号", "隐患描述"]))})
    assert "缺少必需的列：隐患来源、整改期限" in missing.content.decode()
    assert world.client(world.grid).get("/hazards/import/").status_code == 403  # grid workers record, not import
    assert world.client(world.firm_user).get("/hazards/import/template.xlsx").status_code == 403
    url = client.post("/hazards/import/", {"file": upload(xlsx([row(场所编号=world.site.pk)]))})["Location"]
    assert world.client(world.anweiban).get(url).status_code == 404  # someone else's upload


def test_the_template_lists_the_users_sites(world):
    response = world.client(world.street).get("/hazards/import/template.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert wb.sheetnames == ["隐患清单", "填写说明", "可选场所"]
    assert list(next(wb["隐患清单"].iter_rows(values_only=True))) == importer.HEADERS
    sites = [r[1] for r in wb["可选场所"].iter_rows(values_only=True)]
    assert world.site.name in sites and world.market.name not in sites
    # the template, filled in as it comes (example row left in), imports cleanly once a real row is added
    checks = importer.validate(world.street, importer.read_rows(io.BytesIO(b"".join(
        world.client(world.street).get("/hazards/import/template.xlsx").streaming_content))))
    assert checks == []
