"""Text that cannot break a writer: one input rule for every text field, and one cleaner for every writer.

Why: the .xlsx and .docx files the platform writes are XML, and XML 1.0 cannot carry most control
characters (everything below U+0020 except tab, LF and CR), U+FFFE/U+FFFF, nor a lone UTF-16 surrogate
(which cannot even be encoded as UTF-8). A red-team pass found an enterprise address holding ``\\u000b``
(a vertical tab, which Word puts in a text copied with Shift+Enter) making the street's whole
enterprise export answer 500, a hazard description with ``\\x0b`` whose 责令限期整改指令书 failed every
time, and ``\\u0003`` or a lone surrogate in a 通报 paragraph answering 500 from the API.

So, twice:

* **on input** such text is refused with a Chinese message (``CONTROL_MESSAGE``): Django forms get the
  rule on every text field through ``TextRuleMixin`` (each form of the project inherits it — a test
  checks), the API through its body/query parser (``core.api_support.TextRuleParser``), and services
  that take plain strings through ``clean_text`` (which also enforces the column's length);
* **on output** every writer passes text through ``xml_safe``, because what is stored already (before
  this rule, by a migration, by an import of an old file) must still export and print.

Spreadsheet cells get one more rule (``sheet_value``/``text_cell``): a text is written as text, never as
a formula — an enterprise named ``=HYPERLINK("http://x","y")`` must not become a live link in the
export a district officer opens.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

from .errors import Invalid

#: Characters XML 1.0 cannot carry (tab, LF and CR allowed), plus lone surrogates (a Python str never
#: holds a surrogate *pair*: a pair decodes to one code point, so any surrogate found is alone).
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

CONTROL_MESSAGE = "包含无法识别的控制字符，请删除后重新输入"

#: Texts a spreadsheet program may read as a formula or a command when typed or pasted (OWASP "CSV injection").
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def has_illegal(text: str) -> bool:
    return ILLEGAL.search(text) is not None


def xml_safe(text):
    """``text`` without the characters XML cannot carry; anything that is not a str is returned unchanged."""
    if isinstance(text, str) and ILLEGAL.search(text):
        return ILLEGAL.sub("", text)
    return text


def too_long(max_length: int, label: str = "") -> str:
    return f"{label or '内容'}不能超过{max_length}个字（现有内容过长，请删减）"


def refuse_control_characters(value) -> None:
    """A Django validator: the input rule for one text value."""
    if isinstance(value, str) and has_illegal(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = False,
               required_message: str = "") -> str:
    """A plain string a service received (a reason, a note) made ready to store: stripped, refused in Chinese
    (``Invalid`` → 422 / a form error) when it holds control characters, is longer than its column
    ``max_length`` (never a DataError on PostgreSQL), or is empty while ``required``."""
    text = "" if value is None else str(value).strip()
    if has_illegal(text):
        raise Invalid({field: [f"{label}{CONTROL_MESSAGE}"]})
    if len(text) > max_length:
        raise Invalid({field: [too_long(max_length, label)]})
    if required and not text:
        raise Invalid({field: [required_message or f"请填写{label}"]})
    return text


def illegal_paths(data, path: str = "") -> dict[str, list[str]]:
    """Where in a parsed JSON value (dicts, lists, strings; keys too) the input rule is broken:
    ``{"paragraphs.1": [CONTROL_MESSAGE]}``; empty when all is well."""
    found: dict[str, list[str]] = {}
    if isinstance(data, str):
        if has_illegal(data):
            found[path or "__all__"] = [CONTROL_MESSAGE]
    elif isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and has_illegal(key):
                found[xml_safe(name) or "__all__"] = [CONTROL_MESSAGE]
            else:
                found.update(illegal_paths(value, name))
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            found.update(illegal_paths(value, f"{path}.{i}" if path else str(i)))
    return found


class TextRuleMixin:
    """Every form of the project inherits this (first, before ``forms.Form``/``forms.ModelForm``): each text
    field — declared or generated from a model — refuses control characters with ``CONTROL_MESSAGE``.
    Django itself only refuses NUL; the rest would be stored and break the exports and documents later.
    Length is the field's own ``max_length`` (a ModelForm takes the column's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and refuse_control_characters not in field.validators:
                field.validators.append(refuse_control_characters)


# ------------------------------------------------------------------ the last guard, at the database

#: What no database column can hold: PostgreSQL refuses NUL in text, and a lone surrogate cannot be encoded.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def guard_columns(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """``pre_save`` of every model of the project: a text longer than its column, or holding what no column
    can hold, is refused as ``Invalid`` (a 422 / form error in Chinese) instead of a DataError on PostgreSQL
    and a 500 — the net under the checks at the edge (forms, schemas, ``clean_text``), for the field someone
    forgot. SQLite ignores ``max_length``, so without it a test on SQLite passes what PostgreSQL refuses."""
    if raw or not sender.__module__.startswith("anquan."):
        return
    errors: dict[str, list[str]] = {}
    for field in sender._meta.concrete_fields:
        if update_fields is not None and field.name not in update_fields:
            continue
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str):
            continue
        if field.max_length and len(value) > field.max_length and getattr(field, "get_internal_type", None):
            if field.get_internal_type() in ("CharField", "SlugField", "EmailField", "URLField"):
                errors.setdefault(field.name, []).append(too_long(field.max_length, str(field.verbose_name)))
        if UNSTORABLE.search(value):
            errors.setdefault(field.name, []).append(f"{field.verbose_name}{CONTROL_MESSAGE}")
    if errors:
        raise Invalid(errors)


# ------------------------------------------------------------------ spreadsheets (openpyxl)

def _is_formula_text(value: str) -> bool:
    from openpyxl.cell.cell import ERROR_CODES

    return value.startswith("=") or value in ERROR_CODES


def text_cell(ws, value):
    """A value ready for ``ws.append`` on a write-only openpyxl sheet: text made XML-safe, and a text that
    openpyxl would store as a formula (a leading ``=``) or an error code stored as a plain string cell."""
    if isinstance(value, str) and _is_formula_text(xml_safe(value)):
        return write_only_cell(ws, value)
    return xml_safe(value)


def write_only_cell(ws, value):
    """A ``WriteOnlyCell`` (to be styled) holding ``value`` under the same rule as ``text_cell``."""
    from openpyxl.cell import WriteOnlyCell

    value = xml_safe(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and _is_formula_text(value):
        cell.data_type = "s"
    return cell


def text_cells(ws, values: Iterable) -> list:
    """A row for ``ws.append`` on a write-only sheet, every text through ``text_cell``."""
    return [text_cell(ws, v) for v in values]


def sheet_value(cell, value):
    """Put ``value`` into a cell of an ordinary (not write-only) openpyxl sheet as ``text_cell`` does; the cell."""
    if isinstance(value, str):
        value = xml_safe(value)
        cell.value = value
        if _is_formula_text(value):
            cell.data_type = "s"
    else:
        cell.value = value
    return cell


__all__ = ["CONTROL_MESSAGE", "FORMULA_LEADS", "ILLEGAL", "TextRuleMixin", "clean_text", "guard_columns", "has_illegal",
           "illegal_paths", "refuse_control_characters", "sheet_value", "text_cell", "text_cells", "too_long",
           "write_only_cell", "xml_safe"]
