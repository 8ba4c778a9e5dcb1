"""Reading a year's holiday schedule from CSV (日期,是否上班,名称), judged by its content, not its file name.

Why strict: a wrong schedule silently moves every deadline of the year, so the whole file is
checked first and every problem is reported with its row number; nothing is written unless
the file is entirely right. Offices save CSV from Excel in GBK as often as in UTF-8: both are read.
"""
from __future__ import annotations

import csv
import datetime
import io
import re

from anquan.core.errors import Invalid

MAX_BYTES = 100 * 1024
MAX_ROWS = 366
HEADER_WORDS = {"date", "日期"}
TRUE_WORDS = {"1", "true", "yes", "y", "是", "上班", "班", "工作日", "调休上班"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "放假", "休", "休息", "假", "休息日", "节假日"}
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

Day = tuple[datetime.date, bool, str]


def _text(content: bytes) -> str:
    if content.startswith(b"PK\x03\x04") or content.startswith(b"\xd0\xcf\x11\xe0") or b"\x00" in content[:4096]:
        raise Invalid({"file": ["文件内容不是CSV文本（像是Excel文件）：请在Excel中“另存为”CSV格式后再上传"]})
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid({"file": ["无法识别文件编码：请另存为UTF-8编码的CSV文件"]})  # pragma: no cover - gb18030 decodes almost anything


def parse_date(text: str) -> datetime.date | None:
    match = DATE_RE.match(text.strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_flag(text: str) -> bool | None:
    word = text.strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def parse(content: bytes | str, year: int) -> list[Day]:
    """The days of ``year`` listed in ``content``; Invalid({"file": ["第N行：…", …]}) listing every bad row."""
    if isinstance(content, bytes):
        if len(content) > MAX_BYTES:
            raise Invalid({"file": ["文件过大：一年的节假日安排不超过几十行，请检查是否选错了文件"]})
        content = _text(content)
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
    errors: list[str] = []
    days: list[Day] = []
    seen: dict[datetime.date, int] = {}
    first = True
    for row in reader:
        line = reader.line_num
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if first and cells[0].lower() in HEADER_WORDS:
            first = False
            continue
        first = False
        if len(days) + len(errors) >= MAX_ROWS:
            errors.append(f"第{line}行：行数超过{MAX_ROWS}，一年最多{MAX_ROWS}天")
            break
        if len(cells) < 3 or len([c for c in cells[3:] if c]) > 0:
            errors.append(f"第{line}行：应为3列（日期,是否上班,名称），实际{len([c for c in cells if c])}列有内容")
            continue
        day, flag, name = parse_date(cells[0]), parse_flag(cells[1]), cells[2]
        problems = []
        if day is None:
            problems.append(f"日期“{cells[0]}”无效，应为YYYY-MM-DD（如{year}-01-01）")
        elif day.year != year:
            problems.append(f"日期{day:%Y-%m-%d}不在{year}年内")
        elif day in seen:
            problems.append(f"日期{day:%Y-%m-%d}与第{seen[day]}行重复")
        if flag is None:
            problems.append(f"“是否上班”应填 是/否（或 上班/放假、1/0），不能是“{cells[1]}”")
        if not name:
            problems.append("名称必填（如“春节”“春节调休上班”）")
        elif len(name) > 50:
            problems.append("名称不能超过50字")
        if problems:
            errors.append(f"第{line}行：" + "；".join(problems))
        else:
            seen[day] = line
            days.append((day, flag, name))
    if not errors and not days:
        errors.append("文件中没有数据行：每行一天，格式为 日期,是否上班,名称")
    if errors:
        raise Invalid({"file": errors})
    return days
