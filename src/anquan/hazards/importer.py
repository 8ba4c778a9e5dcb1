"""Excel import of hazards (e.g. the findings of an expert inspection), all or nothing.

Pure functions of (user, file/rows), testable without HTTP:

* the file is accepted by its content with the enterprise importer's checks (``check_file``);
* ``validate`` reads every row against the user's scope and writes nothing: the site by its
  number, or by name + the enterprise's 统一社会信用代码; the category by name or code; source,
  level, dates and the 五落实 through ``HazardForm`` (the messages of the record page);
* ``apply`` runs ``services.hazard_record`` for every row inside one transaction: one bad
  row (even one that went bad since the preview) rolls back all of them.
"""
from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from anquan.core.errors import DomainError
from anquan.core.workbooks import FileRefused, table_rows
from anquan.enterprises.importer import check_file as check_workbook
from anquan.enterprises.models import Site

from . import services
from .choices import HazardLevel, HazardSource
from .models import HazardCategory
from .services.recording import HazardForm

__all__ = [
    "HEADERS",
    "MAX_ROWS",
    "REQUIRED",
    "FileRefused",
    "ImportFailed",
    "RowCheck",
    "apply",
    "check_file",
    "read_rows",
    "validate",
]

#: An inspection's findings are dozens of rows; a larger file is a job for several imports.
MAX_ROWS = 2000
EXAMPLE_PREFIX = "（示例"
#: Column header → key handed to the service (``site_*`` keys are resolved to ``site``).
COLUMNS = {
    "场所编号": "site_id", "场所名称": "site_name", "企业统一社会信用代码": "credit_code", "隐患类别": "category",
    "隐患描述": "description", "具体位置": "location", "隐患来源": "source", "隐患等级": "level", "发现时间": "found_at",
    "整改责任人": "responsible_name", "责任人电话": "responsible_phone", "整改措施": "measures", "整改资金（元）": "funds",
    "整改期限": "deadline", "应急预案/防范措施": "contingency_plan",
}
HEADERS = list(COLUMNS)
REQUIRED = ["隐患描述", "隐患来源", "整改期限"]
ALIASES = {"统一社会信用代码": "企业统一社会信用代码", "信用代码": "企业统一社会信用代码", "场所": "场所名称", "场所ID": "场所编号",
           "类别": "隐患类别", "描述": "隐患描述", "位置": "具体位置", "来源": "隐患来源", "等级": "隐患等级", "发现日期": "发现时间",
           "责任人": "整改责任人", "联系电话": "责任人电话", "措施": "整改措施", "资金": "整改资金（元）", "整改资金": "整改资金（元）",
           "期限": "整改期限", "整改时限": "整改期限", "应急预案": "应急预案/防范措施", "预案": "应急预案/防范措施"}
HEADER_OF = {key: header for header, key in COLUMNS.items()}
SOURCES = {**{str(label): value for value, label in HazardSource.choices}, **{v: v for v in HazardSource.values},
           "自查": "self", "行业": "industry", "属地": "territorial", "网格": "grid", "专家": "expert", "督查": "supervision",
           "举报": "public", "媒体": "media"}
LEVELS = {**{str(label): value for value, label in HazardLevel.choices}, "一般": "general", "重大": "major",
          "general": "general", "major": "major", "": "general"}


class ImportFailed(Exception):
    """A row failed in the service during ``apply``: nothing was written."""

    def __init__(self, row: int, messages: list[str]):
        super().__init__(f"第{row}行：{'；'.join(messages)}")
        self.row, self.messages = row, messages


@dataclass
class RowCheck:
    row: int
    description: str = ""
    site_label: str = ""
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict, repr=False)


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _header_key(value) -> str | None:
    cleaned = re.sub(r"[\s*＊]", "", text(value))
    if cleaned in COLUMNS:
        return cleaned
    return ALIASES.get(re.sub(r"[（(].*?[)）]", "", cleaned))


def check_file(fileobj, size: int | None = None) -> None:
    """The enterprise importer's checks of the file, bounded by this import's ``MAX_ROWS``."""
    check_workbook(fileobj, size, max_rows=MAX_ROWS)


def read_rows(source) -> list[tuple[int, dict]]:
    """``[(Excel row number, {key: cell value})]`` of the sheet 隐患清单 (or the first one)."""
    columns, rows = table_rows(
        source, sheet="隐患清单", header_key=_header_key, columns=COLUMNS, max_rows=MAX_ROWS,
        no_header="没有找到表头。第一行应为列名（场所编号、隐患描述……），请使用平台提供的导入模板",
        skip=lambda data: any(text(v).startswith(EXAMPLE_PREFIX) for v in data.values()))
    missing = [h for h in REQUIRED if COLUMNS[h] not in columns.values()]
    if "site_id" not in columns.values() and "site_name" not in columns.values():
        missing.insert(0, "场所编号或场所名称")
    if missing:
        raise FileRefused(f"缺少必需的列：{'、'.join(missing)}。请使用平台提供的导入模板")
    return rows


class Lookup:
    """The sites the user may record at and the category catalogue, loaded once per file."""

    def __init__(self, user):
        self.sites = Site.objects.visible_to(user, "hazard.record").filter(voided_at__isnull=True)
        self._by_id: dict[int, Site] = {}
        self.categories: dict[str, list[int]] = defaultdict(list)
        for pk, code, name in HazardCategory.objects.filter(active=True).values_list("pk", "code", "name"):
            self.categories[name].append(pk)
            self.categories[code.lower()].append(pk)

    def site(self, row: dict, errors: list[str]) -> Site | None:
        number, name, code = text(row.get("site_id")), text(row.get("site_name")), text(row.get("credit_code")).upper()
        if number:
            site = self.sites.filter(pk=int(number)).first() if number.isdigit() and len(number) < 18 else None
            if site is None:
                errors.append(f"场所编号“{number}”不存在或不在您的管辖范围内")
            return site
        if not name:
            errors.append("请填写场所编号，或场所名称和企业统一社会信用代码")
            return None
        matches = self.sites.filter(name=name)
        matches = matches.filter(enterprise__credit_code=code) if code else matches.filter(enterprise__isnull=True)
        found = list(matches.select_related("enterprise")[:2])
        if len(found) == 1:
            return found[0]
        if found:
            errors.append(f"场所“{name}”有多个同名场所，请改填场所编号（见模板“可选场所”）")
        elif code:
            errors.append(f"信用代码为{code}的企业没有名为“{name}”的场所，或不在您的管辖范围内")
        else:
            errors.append(f"场所“{name}”不存在或不在您的管辖范围内；企业的场所请同时填写企业统一社会信用代码")
        return None

    def category(self, value, errors: list[str]) -> int | None:
        name = text(value)
        if not name:
            return None
        ids = self.categories.get(name) or self.categories.get(name.lower()) or []
        if len(set(ids)) == 1:
            return ids[0]
        errors.append(f"隐患类别“{name}”{'有多个同名类别，请改填类别代码' if ids else '不在隐患类别目录中'}")
        return None


def _choice(value, mapping: dict, header: str, allowed: str, errors: list[str]) -> str | None:
    key = text(value)
    if key in mapping:
        return mapping[key]
    errors.append(f"{header}“{key}”无法识别，应为{allowed}")
    return None


def validate(user, rows: list[tuple[int, dict]]) -> list[RowCheck]:
    """Check every row; writes nothing. A row's ``data`` is what ``apply`` hands to ``hazard_record``."""
    lookup = Lookup(user)
    checks = []
    for number, row in rows:
        errors: list[str] = []
        check = RowCheck(row=number, description=text(row.get("description"))[:80], errors=errors)
        site = lookup.site(row, errors)
        if site is not None:
            check.site_label = site.name
        data = {key: text(row.get(key)) for key in ("description", "location", "found_at", "responsible_name",
                                                     "responsible_phone", "measures", "funds", "deadline", "contingency_plan")}
        data["source"] = _choice(row.get("source"), SOURCES, "隐患来源", "企业自查/行业检查/属地检查/网格巡查/专家排查/督查检查/群众举报/媒体曝光", errors)
        data["level"] = _choice(row.get("level"), LEVELS, "隐患等级", "一般/重大", errors)
        data["category"] = lookup.category(row.get("category"), errors)
        data["deadline"] = _date_text(data["deadline"])
        form = HazardForm(data={k: v for k, v in data.items() if v is not None})
        if not form.is_valid():
            for key, messages in form.errors.items():
                label = HEADER_OF.get(key, "")
                errors.extend(f"{label}：{m}" if label and label not in m else m for m in messages)
        if site is not None:
            data["site"] = site.pk
        check.data = data
        checks.append(check)
    return checks


def _date_text(value: str) -> str:
    """``2026年3月1日`` / ``2026/3/1`` / ``20260301`` → ``2026-03-01`` (anything else is left for the form to refuse)."""
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", value) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else value


@transaction.atomic
def apply(user, rows: list[tuple[int, dict]]) -> list:
    """Record every row through the service in one transaction; ImportFailed (nothing written) on any error."""
    checks = validate(user, rows)
    bad = next((c for c in checks if c.errors), None)
    if bad is not None:
        raise ImportFailed(bad.row, bad.errors)
    hazards = []
    for check in checks:
        try:
            hazards.append(services.hazard_record(actor=user, data=check.data))
        except DomainError as exc:
            messages = [m for msgs in getattr(exc, "errors", {}).values() for m in msgs] or [exc.message]
            raise ImportFailed(check.row, messages) from None
    return hazards
