"""The Excel importer as pure functions: file checks, row validation against scope, applying."""
from __future__ import annotations

import io
import zipfile

import pytest

from anquan.audit.models import AuditEvent
from anquan.core.tests.factories import bad_check_char, make_enterprise, new_credit_code
from anquan.enterprises import importer
from anquan.enterprises.models import Enterprise

from .helpers import row, xlsx_bytes

pytestmark = pytest.mark.django_db


def _validate(user, rows, **kwargs):
    return importer.validate_rows(user, importer.read_rows(io.BytesIO(xlsx_bytes(rows, **kwargs))))


def _by_row(preview):
    return {r.row: r for r in preview.rows}


# ---------------------------------------------------------------- the file


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xef\xbb\xbf\xe4\xbc\x81\xe4\xb8\x9a\xe5\x90\x8d\xe7\xa7\xb0,code\n", "不是Excel工作簿"),  # a CSV
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "不是Excel工作簿"),  # an old .xls (OLE)
        (b"", "空的"),
    ],
)
def test_files_that_are_not_xlsx_are_refused_by_content(content, expected):
    with pytest.raises(importer.FileRefused) as refused:
        importer.check_file(io.BytesIO(content))
    assert expected in refused.value.message


def test_a_zip_that_is_not_a_workbook_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(importer.FileRefused, match="不是Excel工作簿"):
        importer.check_file(buf)


def test_a_broken_workbook_is_refused():
    data = xlsx_bytes([])
    with pytest.raises(importer.FileRefused, match=r"无法作为Excel工作簿打开|不是Excel"):
        importer.check_file(io.BytesIO(data[: len(data) // 2]))


def test_too_large_files_are_refused_before_reading():
    with pytest.raises(importer.FileRefused, match="超过10 MB"):
        importer.check_file(io.BytesIO(b"PK\x03\x04"), size=importer.MAX_BYTES + 1)


def test_a_real_xlsx_passes():
    importer.check_file(io.BytesIO(xlsx_bytes([row("甲公司", new_credit_code())])))


def test_missing_required_columns_are_named():
    data = xlsx_bytes([["甲公司", new_credit_code()]], headers=["企业名称", "统一社会信用代码"])
    with pytest.raises(importer.FileRefused) as refused:
        importer.read_rows(io.BytesIO(data))
    assert "所属网格" in refused.value.message and "行业领域" in refused.value.message


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    data = xlsx_bytes([row(f"公司{i}", new_credit_code()) for i in range(5)])
    with pytest.raises(importer.FileRefused, match="超过"):
        importer.read_rows(io.BytesIO(data))


def test_blank_and_example_rows_are_skipped_and_row_numbers_are_excel_rows():
    data = xlsx_bytes([row("（示例，导入前请删除此行）某某公司", "X"), [None] * 14, row("甲公司", new_credit_code())])
    rows = importer.read_rows(io.BytesIO(data))
    assert [n for n, _ in rows] == [4]


# ---------------------------------------------------------------- validation


def test_bad_check_character_is_reported_with_its_row_number(street_user):
    good, bad = new_credit_code(), bad_check_char(new_credit_code())
    preview = _validate(street_user, [row("甲公司", good), row("乙公司", bad)])
    rows = _by_row(preview)
    assert rows[2].status == "create"
    assert rows[3].status == "error"
    assert any("校验位" in e for e in rows[3].errors)


def test_codes_duplicated_within_the_file_are_errors_on_every_occurrence(street_user):
    code = new_credit_code()
    preview = _validate(street_user, [row("甲公司", code), row("丙公司", new_credit_code()), row("乙公司", code.lower())])
    rows = _by_row(preview)
    assert rows[2].status == rows[4].status == "error"
    assert "第4行" in rows[2].errors[0] and "第2行" in rows[4].errors[0]
    assert rows[3].status == "create"


def test_a_code_outside_the_users_scope_is_an_error_never_an_update(tree, street_user):
    theirs = make_enterprise(tree.grid_b, name="乙街道企业")
    preview = _validate(street_user, [row("改名企图", theirs.credit_code)])
    (result,) = preview.rows
    assert result.status == "error"
    assert result.errors == [importer.OUT_OF_SCOPE]
    assert result.enterprise_id is None


def test_a_code_in_scope_is_an_update_with_its_changes(tree, street_user):
    ours = make_enterprise(tree.grid_a, name="甲街道企业", risk_colour="blue")
    preview = _validate(street_user, [row("甲街道企业", ours.credit_code, 风险等级="红", 主要负责人="李四")])
    (result,) = preview.rows
    assert result.status == "update", result.errors
    assert result.enterprise_id == ours.pk
    changed = {c["label"]: (c["before"], c["after"]) for c in result.changes}
    assert changed["风险等级"] == ("蓝（低风险）", "红（重大风险）")
    assert "主要负责人" not in changed  # same value: not a change
    assert changed["法定代表人"] == ("张三", "王五")


def test_an_identical_row_is_unchanged(tree, street_user):
    ours = make_enterprise(tree.grid_a, name="甲街道企业", principal_phone="13800000000", address="测试路1号",
                           legal_representative="王五", principal_name="赵六")
    preview = _validate(street_user, [row("甲街道企业", ours.credit_code)])
    assert preview.rows[0].status == "unchanged", preview.rows[0].changes


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"行业领域": "造飞船"}, "不在行业目录"),
        ({"所属网格": "不存在的网格"}, "不存在或不在您的管辖范围内"),
        ({"所属网格": "乙一社区第一网格"}, "不存在或不在您的管辖范围内"),  # another street's grid
        ({"企业名称": ""}, "缺少必填项：企业名称"),
        ({"风险等级": "紫"}, "风险等级“紫”无法识别"),
        ({"证书有效期至": "明年"}, "不是有效日期"),
        ({"标准化等级": "二级", "证书编号": ""}, "证书编号"),
    ],
)
def test_bad_rows_say_why_in_chinese(street_user, overrides, message):
    preview = _validate(street_user, [row("甲公司", new_credit_code(), **overrides)])
    (result,) = preview.rows
    assert result.status == "error"
    assert any(message in e for e in result.errors), result.errors


def test_grid_by_id_and_by_long_name(tree, street_user):
    preview = _validate(street_user, [
        row("甲公司", new_credit_code(), grid=str(tree.grid_a2.pk)),
        row("乙公司", new_credit_code(), grid="甲街道/甲一社区/甲一社区第二网格"),
        row("丙公司", new_credit_code(), grid=str(tree.grid_b.pk)),
    ])
    rows = _by_row(preview)
    assert rows[2].status == rows[3].status == "create"
    assert rows[2].data["unit"] == rows[3].data["unit"] == tree.grid_a2.pk
    assert rows[4].status == "error"


def test_validation_writes_nothing(tree, street_user):
    ours = make_enterprise(tree.grid_a)
    counts = (Enterprise.objects.count(), AuditEvent.objects.count())
    preview = _validate(street_user, [row("新公司", new_credit_code()), row(ours.name, ours.credit_code, 风险等级="红")])
    assert preview.summary["create"] == 1 and preview.summary["update"] == 1
    assert (Enterprise.objects.count(), AuditEvent.objects.count()) == counts
    ours.refresh_from_db()
    assert ours.risk_colour == "blue"


# ---------------------------------------------------------------- applying


def _rows(rows):
    return importer.read_rows(io.BytesIO(xlsx_bytes(rows)))


def test_import_all_refuses_a_file_with_errors_and_writes_nothing(tree, street_user):
    counts = (Enterprise.objects.count(), AuditEvent.objects.count())
    outcome = importer.apply_import(
        street_user, _rows([row("好公司", new_credit_code()), row("坏公司", bad_check_char(new_credit_code()))]),
        only_good=False,
    )
    assert outcome.refused and "未导入任何数据" in outcome.refused
    assert (Enterprise.objects.count(), AuditEvent.objects.count()) == counts


def test_import_only_good_rows(tree, street_user):
    ours = make_enterprise(tree.grid_a, name="甲街道企业")
    theirs = make_enterprise(tree.grid_b, name="乙街道企业")
    good = new_credit_code()
    outcome = importer.apply_import(street_user, _rows([
        row("新公司", good, industries="工贸、危险化学品"),
        row("甲街道企业", ours.credit_code, 风险等级="橙"),
        row("乙街道企业改", theirs.credit_code),
        row("坏公司", bad_check_char(new_credit_code())),
    ]), only_good=True)
    assert not outcome.refused
    assert (outcome.created, outcome.updated) == (1, 1)
    created = Enterprise.objects.get(credit_code=good)
    assert created.unit == tree.grid_a
    assert sorted(created.industries.values_list("code", flat=True)) == ["hazchem", "industry_trade"]
    assert created.regulators.active().filter(department=tree.yingji).exists()  # default regulators, as the service does
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.risk_colour == "orange" and ours.version == 2
    assert theirs.name == "乙街道企业"
    # one audit event per written enterprise, attributed to the importing user
    events = AuditEvent.objects.filter(model_key="enterprise", actor=street_user)
    assert sorted(events.values_list("action", flat=True)) == ["create", "update"]


def test_import_all_of_a_clean_file(tree, street_user):
    codes = [new_credit_code() for _ in range(3)]
    outcome = importer.apply_import(street_user, _rows([row(f"公司{i}", c) for i, c in enumerate(codes)]), only_good=False)
    assert (outcome.created, outcome.updated, outcome.refused) == (3, 0, "")
    assert Enterprise.objects.filter(credit_code__in=codes).count() == 3


def test_a_user_without_the_import_right_cannot_write_through_the_importer(tree, grid_worker):
    outcome = importer.apply_import(grid_worker, _rows([row("公司", new_credit_code())]), only_good=True)
    assert outcome.created == 0
    assert not Enterprise.objects.filter(name="公司").exists()
