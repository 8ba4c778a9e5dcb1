"""Building import files for tests."""
from __future__ import annotations

import io

from openpyxl import Workbook

from anquan.enterprises.exporter import HEADERS


def xlsx_bytes(rows: list[list], headers: list[str] | None = None) -> bytes:
    """An .xlsx with ``headers`` (default: the export/import headers) and ``rows``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "企业档案"
    ws.append(headers or HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(name: str, code: str, grid: str = "甲一社区第一网格", industries: str = "工贸", **overrides) -> list:
    """One import row in HEADERS order; ``overrides`` by header name."""
    values = {
        "企业名称": name, "统一社会信用代码": code, "法定代表人": "王五", "主要负责人": "赵六", "联系电话": "13800000000",
        "注册地址": "测试路1号", "所属网格": grid, "行业领域": industries, "规模": "小型", "经营状态": "正常",
        "风险等级": "蓝", "标准化等级": "", "证书编号": "", "证书有效期至": None,
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]
