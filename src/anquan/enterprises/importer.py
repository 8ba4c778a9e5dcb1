"""Excel import of enterprises: check the file, read its rows, validate every row against the
user's scope, and (on confirmation) apply the good rows through the services.

Pure functions of (user, file/rows): no HTTP, no sessions, no background machinery (that is
``import_jobs``), so every rule here is testable directly.

* A file is accepted by its *content* (an .xlsx is a zip archive that openpyxl can open),
  never by its name; at most ``MAX_BYTES`` and ``MAX_ROWS`` data rows.
* A row whose credit code belongs to an enterprise the user may update is an **update**
  (only the columns present in the file change); an unknown code is a **create**; a code
  that exists outside the user's scope is an error — never an update.
* ``validate_rows`` writes nothing. ``apply_import`` re-validates inside one transaction
  and calls ``services.enterprise_create`` / ``enterprise_update`` per row, so scope rules,
  versions, default regulators and audit events hold exactly as for the pages.
"""
from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from anquan.core.errors import DomainError
from anquan.core.workbooks import FileRefused, check_archive, table_rows
from anquan.orgs.models import Industry, OrgUnit, UnitKind

from . import credit_code as cc
from .exporter import HEADERS, REQUIRED
from .models import Enterprise, EnterpriseStatus, RiskColour, Scale, StandardGrade

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
#: Rows validated between two progress reports.
CHUNK = 500
#: Rows of the template's example start with this and are skipped.
EXAMPLE_PREFIX = "（示例"

#: Column header → form field.
COLUMNS = {
    "企业名称": "name",
    "统一社会信用代码": "credit_code",
    "法定代表人": "legal_representative",
    "主要负责人": "principal_name",
    "联系电话": "principal_phone",
    "注册地址": "address",
    "所属网格": "unit",
    "行业领域": "industries",
    "规模": "scale",
    "经营状态": "status",
    "风险等级": "risk_colour",
    "标准化等级": "standard_grade",
    "证书编号": "standard_cert_no",
    "证书有效期至": "standard_cert_expiry",
}
assert list(COLUMNS) == HEADERS
#: Other spellings people use for the same columns.
ALIASES = {
    "统一信用代码": "统一社会信用代码", "信用代码": "统一社会信用代码", "社会信用代码": "统一社会信用代码",
    "主要负责人电话": "联系电话", "电话": "联系电话", "地址": "注册地址", "网格": "所属网格", "所属网格编号": "所属网格",
    "行业": "行业领域", "企业规模": "规模", "状态": "经营状态", "风险等级颜色": "风险等级", "风险颜色": "风险等级",
    "安全生产标准化等级": "标准化等级", "标准化证书编号": "证书编号", "标准化证书有效期至": "证书有效期至", "有效期至": "证书有效期至",
}
FIELD_HEADER = {f: h for h, f in COLUMNS.items()}
DEFAULTS = {"scale": Scale.SMALL.value, "status": EnterpriseStatus.NORMAL.value, "risk_colour": RiskColour.BLUE.value}

OUT_OF_SCOPE = "该信用代码的企业不在您的管辖范围内"


# ---------------------------------------------------------------- the file


def check_file(fileobj, size: int | None = None, max_rows: int = MAX_ROWS) -> None:
    """Refuse anything that is not a real, reasonably sized .xlsx workbook (judged by content), or one that
    would unpack into far more than ``max_rows`` rows of work (``core.workbooks.check_archive``)."""
    import openpyxl

    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise FileRefused("上传的文件是空的")
    if size > MAX_BYTES:
        raise FileRefused(f"文件大小为{size / 1024 / 1024:.1f} MB，超过{MAX_BYTES // 1024 // 1024} MB的上限，请拆分后分批导入")
    head = fileobj.read(4)
    fileobj.seek(0)
    if head != b"PK\x03\x04":
        raise FileRefused("文件不是Excel工作簿（.xlsx）。请在Excel或WPS中“另存为”.xlsx格式后再上传（不支持.xls、.csv、.et等格式）")
    try:
        check_archive(fileobj, max_rows)
        fileobj.seek(0)
        wb = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
        if not wb.worksheets:
            raise FileRefused("工作簿中没有工作表")
        wb.close()
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001 - any parsing failure means the same thing to the user
        raise FileRefused("文件无法作为Excel工作簿打开，可能已损坏或不是.xlsx文件") from None
    finally:
        fileobj.seek(0)


def _header_key(value) -> str | None:
    if value is None:
        return None
    text = re.sub(r"[\s*＊]", "", str(value))
    text = re.sub(r"[（(].*?[)）]", "", text)
    if text in COLUMNS:
        return text
    return ALIASES.get(text)


def read_rows(source) -> list[tuple[int, dict]]:
    """``[(Excel row number, {field: raw cell value})]`` of the first sheet (or the sheet named 企业档案).

    Only columns present in the file appear in the dicts; blank and example rows are skipped.
    Raises FileRefused for a file without the required columns or with too many rows.
    """
    columns, rows = table_rows(
        source, sheet="企业档案", header_key=_header_key, columns=COLUMNS, max_rows=MAX_ROWS,
        no_header="没有找到表头。第一行应为列名（企业名称、统一社会信用代码……），请使用平台提供的导入模板",
        skip=lambda data: _text(data.get("name")).startswith(EXAMPLE_PREFIX))
    missing = [h for h in REQUIRED if COLUMNS[h] not in columns.values()]
    if missing:
        raise FileRefused(f"缺少必需的列：{'、'.join(missing)}。请使用平台提供的导入模板")
    return rows


# ---------------------------------------------------------------- cell values


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _alias_map(choices, extra: dict[str, str]) -> dict[str, str]:
    out = {}
    for value, label in choices:
        out[str(value).lower()] = value
        out[str(label)] = value
        out[re.sub(r"[（(].*?[)）]", "", str(label))] = value
    out.update(extra)
    return out


SCALES = _alias_map(Scale.choices, {"大": "large", "中": "medium", "小": "small", "微": "micro"})
STATUSES = _alias_map(EnterpriseStatus.choices, {"在营": "normal", "营业": "normal", "关闭": "closed", "取缔": "closed"})
RISKS = _alias_map(RiskColour.choices, {
    "红色": "red", "橙色": "orange", "黄色": "yellow", "蓝色": "blue",
    "重大风险": "red", "较大风险": "orange", "一般风险": "yellow", "低风险": "blue",
    "重大": "red", "较大": "orange", "一般": "yellow", "低": "blue",
})
GRADES = _alias_map(StandardGrade.choices, {"无": "", "否": "", "未评定": "", "一": "1", "二": "2", "三": "3",
                                            "1级": "1", "2级": "2", "3级": "3"})


def _choice(value, mapping: dict[str, str], header: str, allowed: str, errors: list[str]):
    text = _text(value).replace("(", "（").replace(")", "）")
    key = text.lower() if text.isascii() else text
    if key in mapping:
        return mapping[key]
    if text in mapping:
        return mapping[text]
    errors.append(f"{header}“{text}”无法识别，应为{allowed}")
    return None


def _date(value, errors: list[str]):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", text
    )
    if m:
        try:
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    errors.append(f"证书有效期至“{text}”不是有效日期，应填写如 2027-12-31")
    return None


# ---------------------------------------------------------------- lookups within the user's scope


class Lookup:
    """Industries and the grids the user may use for each action, loaded once per validation."""

    def __init__(self, user):
        self.user = user
        self.industries: dict[str, int] = {}
        for pk, code, name in Industry.objects.values_list("pk", "code", "name"):
            self.industries[name] = pk
            self.industries[code.lower()] = pk
        self.industry_names = dict(Industry.objects.values_list("pk", "name"))
        self._grids: dict[str, tuple[dict, dict, dict]] = {}
        self._unit_names: dict[int, str] = {}

    def grids(self, action: str):
        """(by id, by name → [ids], by long name) of the grids ``action`` may use."""
        if action not in self._grids:
            from anquan.orgs.display import long_names

            units = list(
                OrgUnit.objects.visible_to(self.user, action).filter(kind=UnitKind.GRID, voided_at__isnull=True)
                .only("id", "name", "path")
            )
            longs = long_names(units, sep="/")
            by_id = {u.pk: u.name for u in units}
            by_name: dict[str, list[int]] = defaultdict(list)
            for u in units:
                by_name[u.name].append(u.pk)
            by_long = {longs[u.pk]: u.pk for u in units}
            self._grids[action] = (by_id, dict(by_name), by_long)
        return self._grids[action]

    def unit_name(self, pk) -> str:
        if pk not in self._unit_names:
            self._unit_names[pk] = OrgUnit.objects.filter(pk=pk).values_list("name", flat=True).first() or f"#{pk}"
        return self._unit_names[pk]

    def resolve_grid(self, value, action: str, errors: list[str]) -> int | None:
        by_id, by_name, by_long = self.grids(action)
        text = _text(value)
        number = re.fullmatch(r"#?(\d+)", text) or re.search(r"[（(]#?(\d+)[)）]\s*$", text)
        if number and int(number[1]) in by_id:
            return int(number[1])
        compact = re.sub(r"\s*/\s*|\s+", "/", text)
        if compact in by_long:
            return by_long[compact]
        ids = by_name.get(text, [])
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            errors.append(f"所属网格“{text}”在您的管辖范围内有{len(ids)}个同名网格，请改填网格编号（见模板“填写说明”）")
        else:
            errors.append(f"所属网格“{text}”不存在或不在您的管辖范围内")
        return None

    def resolve_industries(self, value, errors: list[str]) -> list[int]:
        names = [n.strip() for n in re.split(r"[、,，;；/\n]+", _text(value)) if n.strip()]
        ids, unknown = [], []
        for name in names:
            pk = self.industries.get(name) or self.industries.get(name.lower())
            if pk is None:
                unknown.append(name)
            elif pk not in ids:
                ids.append(pk)
        if unknown:
            errors.append(f"行业领域“{'、'.join(unknown)}”不在行业目录中")
        return ids


# ---------------------------------------------------------------- rows


@dataclass
class RowResult:
    """What will happen to one row: ``create`` / ``update`` / ``unchanged`` / ``error``."""

    row: int
    status: str
    name: str = ""
    credit_code: str = ""
    errors: list[str] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    enterprise_id: int | None = None
    version: int | None = None
    #: The values handed to the service (kept in memory only, not in the stored preview).
    data: dict = field(default_factory=dict, repr=False)

    STATUS_LABELS = {"create": "新增", "update": "更新", "unchanged": "无变化", "error": "错误"}

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS[self.status]

    def as_dict(self) -> dict:
        return {
            "row": self.row, "status": self.status, "name": self.name, "credit_code": self.credit_code,
            "errors": self.errors, "changes": self.changes, "enterprise_id": self.enterprise_id, "version": self.version,
        }


@dataclass
class Preview:
    rows: list[RowResult]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def summary(self) -> dict:
        return {s: self.count(s) for s in ("create", "update", "unchanged", "error")} | {"total": len(self.rows)}

    @property
    def clean(self) -> bool:
        return self.count("error") == 0

    @property
    def good(self) -> list[RowResult]:
        return [r for r in self.rows if r.status in ("create", "update")]


def parse_row(raw: dict, lookup: Lookup, *, updating: bool) -> tuple[dict, list[str]]:
    """Cell values → form data (ids for grid and industries, choice values); errors in Chinese."""
    errors: list[str] = []
    data: dict = {}
    blank = [FIELD_HEADER[f] for f in COLUMNS.values() if f in raw and _text(raw[f]) == ""]
    required_blank = [h for h in REQUIRED if COLUMNS[h] in raw and h in blank]
    if required_blank:
        errors.append(f"缺少必填项：{'、'.join(required_blank)}")
    action = "enterprise.update" if updating else "enterprise.create"
    for name, value in raw.items():
        header = FIELD_HEADER[name]
        empty = _text(value) == ""
        if name in ("name", "legal_representative", "principal_name", "principal_phone", "address", "standard_cert_no"):
            data[name] = _text(value)
        elif name == "credit_code":
            data[name] = cc.normalize(_text(value))
        elif name == "unit":
            if not empty:
                data[name] = lookup.resolve_grid(value, action, errors)
        elif name == "industries":
            if not empty:
                data[name] = lookup.resolve_industries(value, errors)
        elif name in ("scale", "status", "risk_colour"):
            if empty:
                if not updating:
                    data[name] = DEFAULTS[name]
                continue
            mapping, allowed = {
                "scale": (SCALES, "大型、中型、小型或微型"),
                "status": (STATUSES, "正常或关闭取缔"),
                "risk_colour": (RISKS, "红、橙、黄或蓝"),
            }[name]
            data[name] = _choice(value, mapping, header, allowed, errors)
        elif name == "standard_grade":
            data[name] = "" if empty else _choice(value, GRADES, header, "一级、二级、三级或未达标", errors)
        elif name == "standard_cert_expiry":
            data[name] = "" if empty else _date(value, errors)
    if not updating:
        for name, default in DEFAULTS.items():
            data.setdefault(name, default)
    return data, errors


def _form_errors(form) -> list[str]:
    out = []
    for name, messages in form.errors.items():
        header = FIELD_HEADER.get(name) or (str(form.fields[name].label) if name in form.fields else "")
        for message in messages:
            out.append(f"{header}：{message}" if header else str(message))
    return out


def _display(name: str, value, lookup: Lookup) -> str:
    if value in (None, "", []):
        return "（空）"
    if name == "unit":
        return lookup.unit_name(value)
    if name == "industries":
        return "、".join(lookup.industry_names.get(i, str(i)) for i in sorted(value))
    field_obj = Enterprise._meta.get_field(name)
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    return str(value)


def _current(enterprise, name: str):
    if name == "industries":
        return sorted(i.pk for i in enterprise.industries.all())
    if name == "unit":
        return enterprise.unit_id
    return getattr(enterprise, name)


def _cleaned(form, name: str):
    value = form.cleaned_data.get(name)
    if name == "industries":
        return sorted(i.pk for i in value or [])
    if name == "unit":
        return value.pk if value else None
    if value is None and name != "standard_cert_expiry":
        return ""
    return value


def _validate_one(raw_row, code, existing, lookup, user) -> RowResult:
    from .forms import EnterpriseForm
    from .services import _form_data

    number, raw = raw_row
    result = RowResult(row=number, status="error", name=_text(raw.get("name")), credit_code=code)
    enterprise = existing.get(code)
    updating = enterprise is not None
    data, errors = parse_row(raw, lookup, updating=updating)
    data["credit_code"] = code
    result.data = data
    if errors:
        result.errors = errors
        return result
    if updating:
        before = {name: _current(enterprise, name) for name in data}
        form = EnterpriseForm(data=_form_data(data, enterprise), instance=enterprise, user=user, action="enterprise.update")
    else:
        form = EnterpriseForm(data=data, user=user, action="enterprise.create")
    if not form.is_valid():
        result.errors = _form_errors(form)
        return result
    if not updating:
        result.status = "create"
        return result
    result.enterprise_id, result.version = enterprise.pk, enterprise.version
    for name in data:
        old, new = before[name], _cleaned(form, name)
        if (old or "") != (new or ""):
            result.changes.append({"label": FIELD_HEADER[name], "before": _display(name, old, lookup),
                                   "after": _display(name, new, lookup)})
    result.status = "update" if result.changes else "unchanged"
    return result


def validate_rows(user, rows: Iterable[tuple[int, dict]], progress: Callable[[int, int], None] | None = None) -> Preview:
    """Decide, for every row, create / update / unchanged / error — without writing anything.

    ``rows`` come from ``read_rows``; ``progress(done, total)`` is called after each chunk.
    """
    rows = list(rows)
    total = len(rows)
    lookup = Lookup(user)
    codes: list[str] = [cc.normalize(_text(raw.get("credit_code"))) for _, raw in rows]
    seen: dict[str, list[int]] = defaultdict(list)
    for (number, _), code in zip(rows, codes, strict=True):
        if code:
            seen[code].append(number)
    results: list[RowResult] = []
    for start in range(0, total, CHUNK):
        chunk = rows[start:start + CHUNK]
        chunk_codes = codes[start:start + CHUNK]
        wanted = {c for c in chunk_codes if c and cc.problem(c) is None}
        # Unscoped on purpose: only to tell "exists outside your scope" from "new" (nothing of it is shown).
        known = dict(Enterprise.objects.filter(credit_code__in=wanted).values_list("credit_code", "voided_at"))
        updatable = {
            e.credit_code: e
            for e in Enterprise.objects.visible_to(user, "enterprise.update").filter(credit_code__in=wanted)
            .select_related("unit").prefetch_related("industries")
        }
        for raw_row, code in zip(chunk, chunk_codes, strict=True):
            number, raw = raw_row
            result = RowResult(row=number, status="error", name=_text(raw.get("name")), credit_code=code)
            problem = "缺少必填项：统一社会信用代码" if not code else cc.problem(code)
            if problem:
                result.errors.append(problem)
            elif len(seen[code]) > 1:
                others = "、".join(str(n) for n in seen[code] if n != number)
                result.errors.append(f"统一社会信用代码在文件中重复出现（另见第{others}行），请只保留一行")
            elif code in known and code not in updatable:
                result.errors.append(OUT_OF_SCOPE)
            elif code in known and known[code] is not None:
                result.errors.append("该信用代码的企业已作废，不能通过导入更新")
            else:
                result = _validate_one(raw_row, code, updatable, lookup, user)
            results.append(result)
        if progress:
            progress(min(start + CHUNK, total), total)
    return Preview(results)


# ---------------------------------------------------------------- applying


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    skipped: list[dict] = field(default_factory=list)
    refused: str = ""
    preview: Preview | None = None

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "skipped": self.skipped, "refused": self.refused}


class _Abort(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def apply_import(user, rows: Iterable[tuple[int, dict]], *, only_good: bool,
                 progress: Callable[[int, int], None] | None = None,
                 check_progress: Callable[[int, int], None] | None = None) -> ImportOutcome:
    """Re-validate, then write the good rows in one transaction through the services (one audit event each).

    ``check_progress`` reports the re-validation, ``progress`` the writing.

    ``only_good=False`` ("全部导入") refuses the whole file if any row is in error;
    ``only_good=True`` ("仅导入无误的行") imports the good rows and lists the others as skipped.
    """
    from . import services

    outcome = ImportOutcome()
    # Validation only reads: it runs before the write transaction, so the write lock (one writer at a
    # time on SQLite) is held only while writing. The services check every row again inside it
    # (scope, uniqueness, and the version seen here), so a change made in between is caught.
    preview = validate_rows(user, rows, progress=check_progress)
    outcome.preview = preview
    if not only_good and not preview.clean:
        outcome.refused = f"文件中有{preview.count('error')}行错误，未导入任何数据。请修改后重新上传，或选择“仅导入无误的行”"
        return outcome
    try:
        with transaction.atomic():
            good = preview.good
            for done, row in enumerate(good, start=1):
                try:
                    with transaction.atomic():
                        if row.status == "create":
                            services.enterprise_create(actor=user, data=row.data)
                            outcome.created += 1
                        else:
                            enterprise = Enterprise.objects.visible_to(user, "update").filter(pk=row.enterprise_id).first()
                            if enterprise is None:
                                raise DomainError(OUT_OF_SCOPE)
                            data = {k: v for k, v in row.data.items() if k != "credit_code"}
                            services.enterprise_update(actor=user, enterprise=enterprise, version=row.version, data=data)
                            outcome.updated += 1
                except DomainError as exc:
                    messages = [m for msgs in exc.errors.values() for m in msgs] or [exc.message]
                    if not only_good:
                        raise _Abort(f"第{row.row}行导入失败：{'；'.join(messages)}。未导入任何数据") from None
                    outcome.skipped.append({"row": row.row, "reason": "；".join(messages)})
                if progress and (done % 100 == 0 or done == len(good)):
                    progress(done, len(good))
    except _Abort as abort:
        outcome.created = outcome.updated = 0
        outcome.skipped = []
        outcome.refused = abort.message
    return outcome
