"""Changing a rule for a locality and entering a year's holiday schedule: system administrators only, audited.

Both change what every later deadline means, so each runs in one transaction with its audit
event (system chain), and nothing is deleted: a replaced override is ended, a holiday day
dropped from a reloaded schedule is voided.
"""
from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from anquan.accounts.scope import active_assignments
from anquan.audit.services import record
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.orgs.models import OrgUnit

from . import values
from .catalog import RULES, Rule, parse_month_day
from .models import HolidayDay, HolidayYear, RuleOverride

MANAGE = "rules.manage"
#: Years an administrator may enter (the package covers 2004–2026; corrections are allowed too).
YEAR_RANGE = range(2000, 2101)


def manager_assignment(actor):
    """The actor's assignment that permits managing rules, or None."""
    return next((a for a in active_assignments(actor) if a.permits(MANAGE)), None)


def can_manage(actor) -> bool:
    return manager_assignment(actor) is not None


def _require_manager(actor):
    assignment = manager_assignment(actor)
    if assignment is None:
        raise Forbidden("只有系统管理员可以调整法定时限与节假日安排")
    return assignment


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": [message]})
    return reason[:500]


def clean_value(rule: Rule, raw):
    """``raw`` (from a form or the API) as a value of the rule's type and range; Invalid with a Chinese message otherwise."""
    if isinstance(rule.default, int):
        if isinstance(raw, bool):
            raise Invalid({"value": ["请填写整数"]})
        try:
            value = int(raw.strip()) if isinstance(raw, str) else raw
        except ValueError:
            raise Invalid({"value": ["请填写整数，例如 " + str(rule.default)]}) from None
        if not isinstance(value, int):
            raise Invalid({"value": ["请填写整数"]})
        if rule.min_value is not None and value < rule.min_value:
            raise Invalid({"value": [f"不能小于{rule.min_value}"]})
        if rule.max_value is not None and value > rule.max_value:
            raise Invalid({"value": [f"不能大于{rule.max_value}"]})
        return value
    value = raw.strip() if isinstance(raw, str) else raw
    if rule.kind == "text":
        if not isinstance(value, str):
            raise Invalid({"value": ["请填写名称"]})
        from anquan.core.text import clean_text

        return clean_text(value, field="value", label="取值", max_length=60)
    try:
        parse_month_day(value)
    except (TypeError, ValueError):
        raise Invalid({"value": ["请按“月-日”填写，例如 01-31"]}) from None
    return value


def _check_unit(actor, unit) -> None:
    if unit is not None and not OrgUnit.objects.visible_to(actor).filter(pk=unit.pk, voided_at__isnull=True).exists():
        raise Invalid({"unit": ["所选区划不存在或已作废"]})


def _state(key: str, unit, override: RuleOverride | None) -> dict:
    return {"key": key, "unit_id": unit.pk if unit else None, "value": values.get(key, unit),
            "override_id": override.pk if override else None}


@transaction.atomic
def override_set(*, actor, key: str, value, unit=None, reason: str) -> RuleOverride:
    """Set ``key`` to ``value`` for ``unit`` and its subtree (None: the whole system), replacing the unit's previous override."""
    assignment = _require_manager(actor)
    rule = RULES.get(key)
    if rule is None:
        raise Invalid({"key": ["未知的规则"]})
    reason = _require_reason(reason, "调整规则取值必须填写理由（例如依据的地方文件及文号）")
    value = clean_value(rule, value)
    _check_unit(actor, unit)
    current = RuleOverride.objects.select_for_update().filter(key=key, unit=unit, ended_at__isnull=True).first()
    if current is not None and current.value == value:
        raise Invalid({"value": ["与该区划当前的设置相同，无需调整"]})
    before = _state(key, unit, current)
    now = timezone.now()
    if current is not None:
        current.ended_at, current.ended_by, current.end_reason = now, actor, f"由新取值替代：{reason}"[:500]
        current.save(update_fields=["ended_at", "ended_by", "end_reason"])
    try:
        with transaction.atomic():
            override = RuleOverride.objects.create(key=key, value=value, unit=unit, reason=reason, set_by=actor, set_at=now)
    except IntegrityError:  # another administrator set the same rule for the same unit at this moment
        raise Conflict("其他管理员刚刚调整了该取值，请刷新后重试") from None
    record(actor=actor, assignment=assignment, obj=override, action="rule_override", before=before,
           after=_state(key, unit, override), reason=reason, chain_key="system")
    return override


@transaction.atomic
def override_end(*, actor, override: RuleOverride, reason: str) -> RuleOverride:
    """Withdraw an override: the locality falls back to the value above it (or the default). The row stays on record."""
    assignment = _require_manager(actor)
    reason = _require_reason(reason, "撤销地方取值必须填写理由")
    override = RuleOverride.objects.select_for_update().get(pk=override.pk)
    if override.ended_at is not None:
        raise Invalid({"__all__": ["该取值已终止"]})
    before = _state(override.key, override.unit, override)
    override.ended_at, override.ended_by, override.end_reason = timezone.now(), actor, reason
    override.save(update_fields=["ended_at", "ended_by", "end_reason"])
    record(actor=actor, assignment=assignment, obj=override, action="rule_override_end", before=before,
           after=_state(override.key, override.unit, None), reason=reason, chain_key="system")
    return override


def _check_days(year: int, days) -> list[tuple[datetime.date, bool, str]]:
    errors, seen, clean = [], set(), []
    for i, item in enumerate(days, start=1):
        try:
            day, is_workday, name = item
        except (TypeError, ValueError):
            errors.append(f"第{i}项：应为（日期, 是否上班, 名称）")
            continue
        name = (name or "").strip()
        if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime) or day.year != year:
            errors.append(f"第{i}项：日期{day}不在{year}年内")
        elif day in seen:
            errors.append(f"第{i}项：日期{day:%Y-%m-%d}重复")
        elif not isinstance(is_workday, bool):
            errors.append(f"第{i}项：“是否上班”必须是是/否")
        elif not name or len(name) > 50:
            errors.append(f"第{i}项：名称必填，且不超过50字（例如“春节”“春节调休上班”）")
        else:
            seen.add(day)
            clean.append((day, is_workday, name))
    if not errors and not any(not w for _, w, _ in clean):
        errors.append("没有任何放假日期：请录入国务院办公厅通知中的全部放假和调休上班日期")
    if errors:
        raise Invalid({"days": errors})
    return clean


def _day_list(year: int) -> list[str]:
    rows = HolidayDay.objects.filter(date__year=year, voided_at__isnull=True).order_by("date")
    return [f"{d.date:%Y-%m-%d} {'上班' if d.is_workday else '放假'} {d.name}" for d in rows]


@transaction.atomic
def holiday_year_load(*, actor, year: int, days, source_document: str, reason: str = "") -> HolidayYear:
    """Enter (or correct) the official holiday schedule of ``year``: every holiday and 调休 working day.

    Replaces what was entered for the year before; days no longer listed are voided, not deleted.
    """
    assignment = _require_manager(actor)
    if not isinstance(year, int) or year not in YEAR_RANGE:
        raise Invalid({"year": [f"年份必须在{YEAR_RANGE.start}–{YEAR_RANGE.stop - 1}之间"]})
    source_document = (source_document or "").strip()
    if not source_document:
        raise Invalid({"source_document": ["请填写依据文件（如国务院办公厅关于某年部分节假日安排的通知及文号）"]})
    clean = _check_days(year, days)
    existing = {d.date: d for d in HolidayDay.objects.select_for_update().filter(date__year=year)}
    previous = HolidayYear.objects.select_for_update().filter(year=year).first()
    before = {"source_document": previous.source_document if previous else None, "days": _day_list(year)}
    now = timezone.now()
    for day, is_workday, name in clean:
        row = existing.pop(day, None) or HolidayDay(date=day)
        row.is_workday, row.name, row.entered_by, row.entered_at = is_workday, name, actor, now
        row.voided_at, row.void_reason = None, ""
        row.save()
    note = f"重新录入{year}年节假日安排时未列出（{source_document}）"[:500]
    HolidayDay.objects.filter(pk__in=[d.pk for d in existing.values() if d.voided_at is None]).update(
        voided_at=now, void_reason=note)
    holiday_year, _ = HolidayYear.objects.update_or_create(
        year=year, defaults={"source_document": source_document[:200], "entered_by": actor, "entered_at": now})
    record(actor=actor, assignment=assignment, obj=holiday_year, action="holiday_load", before=before,
           after={"source_document": source_document, "days": _day_list(year)},
           reason=(reason or "").strip() or source_document, chain_key="system")
    return holiday_year
