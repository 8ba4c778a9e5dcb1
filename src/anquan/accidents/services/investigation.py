"""The investigation to 批复, the one-year evaluation, 四不放过 and closing the case (第十九条至第三十二条; 安全生产法第八十六条)."""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from anquan.core.errors import Conflict, Invalid
from anquan.core.services import authorize, bump_version
from anquan.core.text import clean_text
from anquan.notifications.services import notify_event
from anquan.rules.calendar import today

from .. import rules
from ..choices import AccidentStatus, FourNotsItem
from ..models import REPORT_PARTS, Accident, AppraisalPeriod, FourNots, Investigation
from .common import audit, authorize_investigator, next_status, require_open, snap

MAX_MEMBERS = 50


def _date(value, field: str, label: str, *, not_before: datetime.date | None = None, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise Invalid({field: [f"请填写{label}"]})
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            value = parse_date(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        raise Invalid({field: [f"{label}格式不正确，例如 2026-11-22"]})
    if not 2000 <= value.year <= 2999:
        raise Invalid({field: [f"{label}应在2000年1月1日至今天之间"]})
    if value > today():
        raise Invalid({field: [f"{label}不能晚于今天"]})
    if not_before is not None and value < not_before:
        raise Invalid({field: [f"{label}不能早于{not_before:%Y-%m-%d}"]})
    return value


def _lock(investigation: Investigation, version) -> tuple[Investigation, Accident]:
    inv = Investigation.objects.select_related("accident__unit", "body_unit").get(pk=investigation.pk)
    require_open(inv.accident)
    bump_version(inv, version)
    return inv, inv.accident


def _move(accident: Accident, verb: str) -> None:
    accident.status = next_status(accident, verb)
    accident.save(update_fields=["status", "updated_at"])


def _recompute_due(inv: Investigation) -> None:
    inv.due_on = rules.investigation_due(inv.accident.occurred_at, inv.appraisal_days(), inv.extension_days)


def _members(raw) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_MEMBERS:
        raise Invalid({"team_members": [f"调查组成员应为列表（最多{MAX_MEMBERS}人）"]})
    members = []
    for i, m in enumerate(raw):
        if not isinstance(m, dict):
            raise Invalid({"team_members": [f"第{i + 1}名成员格式不正确"]})
        members.append({k: clean_text(m.get(k), field="team_members", label=label, max_length=100, required=(k == "name"))
                        for k, label in (("name", "成员姓名"), ("unit", "所在单位"), ("role", "职务/分工"))})
    return members


@transaction.atomic
def investigation_form_team(*, actor, investigation: Investigation, version, data: dict) -> Investigation:
    """Form the investigation team (已报告 → 调查中). ``entrust_to_unit`` only for a no-casualty 一般 accident (第十九条第三款)."""
    assignment = authorize_investigator(actor, investigation.accident)
    inv, accident = _lock(investigation, version)
    before = snap(inv)
    entrust = bool(data.get("entrust_to_unit"))
    if entrust and not rules.may_entrust_to_unit(accident.level, accident.deaths, accident.missing,
                                                  accident.serious_injuries, accident.injuries):
        raise Invalid({"entrust_to_unit": ["只有未造成人员伤亡的一般事故，县级人民政府才可以委托事故发生单位组织调查（第十九条第三款）"]})
    inv.entrusted_to_unit = entrust
    inv.team_formed_on = _date(data.get("team_formed_on") or today(), "team_formed_on", "调查组成立日期", not_before=accident.occurred_on)
    inv.team_leader = clean_text(data.get("team_leader"), field="team_leader", label="调查组组长", max_length=100, required=True)
    inv.team_members = _members(data.get("team_members"))
    inv.organized_by = clean_text(data.get("organized_by"), field="organized_by", label="组织调查的部门", max_length=200)
    inv.save()
    _move(accident, "form_team")
    audit(actor, assignment, inv, "form_team", before=before)
    return inv


@transaction.atomic
def appraisal_start(*, actor, investigation: Investigation, version, started_on, subject: str, appraiser: str = "") -> AppraisalPeriod:
    """A technical appraisal begins: its days are not counted in the investigation period (第二十七条)."""
    assignment = authorize_investigator(actor, investigation.accident)
    inv, accident = _lock(investigation, version)
    if accident.status != AccidentStatus.INVESTIGATING:
        raise Conflict(f"事故当前状态为“{accident.get_status_display()}”，只有调查中才能登记技术鉴定")
    if inv.appraisals.filter(ended_on__isnull=True).exists():
        raise Conflict("尚有未结束的技术鉴定，请先登记其结束日期")
    period = AppraisalPeriod.objects.create(
        investigation=inv, accident=accident,
        started_on=_date(started_on, "started_on", "鉴定开始日期", not_before=inv.team_formed_on or accident.occurred_on),
        subject=clean_text(subject, field="subject", label="鉴定事项", max_length=300, required=True),
        appraiser=clean_text(appraiser, field="appraiser", label="鉴定单位", max_length=200))
    audit(actor, assignment, period, "appraisal_start")
    return period


@transaction.atomic
def appraisal_end(*, actor, appraisal: AppraisalPeriod, ended_on) -> AppraisalPeriod:
    """The appraisal ended: the report's due date moves by its days."""
    assignment = authorize_investigator(actor, appraisal.investigation.accident)
    period = AppraisalPeriod.objects.select_for_update().get(pk=appraisal.pk)
    if period.ended_on is not None:
        raise Conflict("该技术鉴定已登记结束")
    inv = Investigation.objects.select_related("accident").get(pk=period.investigation_id)
    require_open(inv.accident)
    before = snap(period)
    period.ended_on = _date(ended_on, "ended_on", "鉴定结束日期", not_before=period.started_on)
    period.save()
    _recompute_due(inv)
    inv.save(update_fields=["due_on", "updated_at"])
    audit(actor, assignment, period, "appraisal_end", before=before)
    return period


@transaction.atomic
def investigation_extend(*, actor, investigation: Investigation, version, days, reason: str, approved_by: str,
                         approved_on) -> Investigation:
    """One extension of the report deadline, at most 60 days, approved by the investigating government (第二十九条)."""
    assignment = authorize_investigator(actor, investigation.accident)
    inv, accident = _lock(investigation, version)
    if accident.status != AccidentStatus.INVESTIGATING:
        raise Conflict(f"事故当前状态为“{accident.get_status_display()}”，只有调查中才能延长调查期限")
    if inv.extension_days:
        raise Conflict(f"调查期限已延长过一次（{inv.extension_days}日），不能再次延长")
    limit = rules.statutory("accident.investigation.extension_max_days")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise Invalid({"days": ["请填写延长天数（整数）"]}) from None
    if not 1 <= days <= limit:
        raise Invalid({"days": [f"延长的期限最长不超过{limit}日（第二十九条）"]})
    before = snap(inv)
    inv.extension_days = days
    inv.extension_reason = clean_text(reason, field="reason", label="延长理由", max_length=500, required=True)
    inv.extension_approved_by = clean_text(approved_by, field="approved_by", label="批准延长的人民政府", max_length=200, required=True)
    inv.extension_approved_on = _date(approved_on, "approved_on", "批准日期", not_before=accident.occurred_on)
    _recompute_due(inv)
    inv.save()
    audit(actor, assignment, inv, "extend", before=before)
    return inv


@transaction.atomic
def investigation_submit_report(*, actor, investigation: Investigation, version, data: dict) -> Investigation:
    """The report with its six parts (第三十条) is submitted (调查中 → 调查报告已提交); the 批复 clock starts."""
    assignment = authorize_investigator(actor, investigation.accident)
    inv, accident = _lock(investigation, version)
    before = snap(inv)
    for part in REPORT_PARTS:
        label = str(Investigation._meta.get_field(part).verbose_name)
        value = data.get(part, getattr(inv, part))
        setattr(inv, part, clean_text(value, field=part, label=label, max_length=50_000, required=True,
                                      required_message=f"调查报告缺少“{label}”（第三十条）"))
    if inv.appraisals.filter(ended_on__isnull=True).exists():
        raise Conflict("尚有未结束的技术鉴定，请先登记其结束日期")
    inv.report_submitted_on = _date(data.get("report_submitted_on") or today(), "report_submitted_on", "调查报告提交日期",
                                    not_before=inv.team_formed_on or accident.occurred_on)
    inv.approval_due_on = rules.approval_due(inv.report_submitted_on, accident.level)
    inv.save()
    _move(accident, "submit_report")
    audit(actor, assignment, inv, "submit_report", before=before)
    return inv


@transaction.atomic
def approval_extend(*, actor, investigation: Investigation, version, days) -> Investigation:
    """特别重大事故: the 批复 may be extended once, by at most 30 days (第三十二条)."""
    assignment = authorize_investigator(actor, investigation.accident)
    inv, accident = _lock(investigation, version)
    limit = rules.approval_extension_allowed(accident.level)
    if accident.status != AccidentStatus.REPORT_SUBMITTED:
        raise Conflict(f"事故当前状态为“{accident.get_status_display()}”，不能延长批复期限")
    if not limit:
        raise Conflict("只有特别重大事故的批复期限可以延长（第三十二条）")
    if inv.approval_extension_days:
        raise Conflict("批复期限已延长过")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise Invalid({"days": ["请填写延长天数（整数）"]}) from None
    if not 1 <= days <= limit:
        raise Invalid({"days": [f"批复延长的时间最长不超过{limit}日（第三十二条）"]})
    before = snap(inv)
    inv.approval_extension_days = days
    inv.approval_due_on = rules.approval_due(inv.report_submitted_on, accident.level, days)
    inv.save()
    audit(actor, assignment, inv, "approval_extend", before=before)
    return inv


@transaction.atomic
def investigation_approve(*, actor, investigation: Investigation, version, approved_on, approval_number: str = "",
                          summary: str = "") -> Investigation:
    """批复 of the report (调查报告已提交 → 已批复); the one-year evaluation is then due (安全生产法第八十六条)."""
    assignment = authorize_investigator(actor, investigation.accident)
    inv, accident = _lock(investigation, version)
    before = snap(inv)
    next_status(accident, "approve")
    inv.approved_on = _date(approved_on, "approved_on", "批复日期", not_before=inv.report_submitted_on)
    inv.approval_number = clean_text(approval_number, field="approval_number", label="批复文号", max_length=60)
    inv.approval_summary = clean_text(summary, field="summary", label="批复要点", max_length=20_000)
    inv.evaluation_due_on = rules.evaluation_due(inv.approved_on)
    inv.save()
    _move(accident, "approve")
    audit(actor, assignment, inv, "approve", before=before)
    notify_event("accident_approved", accident, key=f"approved:a{accident.pk}", actor=actor)
    return inv


@transaction.atomic
def evaluation_record(*, actor, investigation: Investigation, version, evaluated_on, summary: str, published_on=None,
                      published_where: str = "") -> Investigation:
    """The evaluation of rectification and prevention after 批复, and its publication (安全生产法第八十六条)."""
    assignment = authorize_investigator(actor, investigation.accident)
    inv = Investigation.objects.select_related("accident__unit").get(pk=investigation.pk)
    if inv.accident.voided_at:
        raise Conflict("该事故记录已作废")
    if not inv.approved_on:
        raise Conflict("调查报告批复后才能进行整改评估")
    bump_version(inv, version)
    before = snap(inv)
    inv.evaluated_on = _date(evaluated_on, "evaluated_on", "评估完成日期", not_before=inv.approved_on)
    inv.evaluation_summary = clean_text(summary, field="summary", label="评估结果", max_length=20_000, required=True)
    inv.evaluation_published_on = _date(published_on, "published_on", "公开日期", not_before=inv.evaluated_on, required=False)
    inv.evaluation_published_where = clean_text(published_where, field="published_where", label="公开方式/网址", max_length=300,
                                                required=bool(inv.evaluation_published_on))
    inv.save()
    audit(actor, assignment, inv, "evaluate", before=before)
    return inv


@transaction.atomic
def four_nots_record(*, actor, accident: Accident, item: str, evidence: str) -> FourNots:
    """Record (or replace) one 四不放过 item with its evidence."""
    assignment = authorize_investigator(actor, accident)
    accident = Accident.objects.select_for_update().get(pk=accident.pk)
    require_open(accident)
    if item not in FourNotsItem.values:
        raise Invalid({"item": ["请选择四不放过中的一项"]})
    evidence = clean_text(evidence, field="evidence", label="落实情况及证明材料", max_length=20_000, required=True)
    row = FourNots.objects.filter(accident=accident, item=item).first()
    before = snap(row) if row else None
    if row is None:
        row = FourNots(accident=accident, item=item)
    row.evidence, row.recorded_at, row.recorded_by, row.recorded_role = evidence, timezone.now(), actor, assignment.role
    row.save()
    audit(actor, assignment, row, "four_nots", before=before)
    return row


def four_nots_missing(accident: Accident) -> list[str]:
    done = set(accident.four_nots.values_list("item", flat=True))
    return [str(label) for value, label in FourNotsItem.choices if value not in done]


@transaction.atomic
def accident_close(*, actor, accident: Accident, version) -> Accident:
    """结案: only after 批复 and with all four 四不放过 items recorded with evidence."""
    assignment = authorize(actor, accident, "accident.close")
    accident = Accident.objects.get(pk=accident.pk)
    if accident.voided_at:
        raise Conflict("该事故记录已作废")
    next_status(accident, "close")
    missing = four_nots_missing(accident)
    if missing:
        raise Conflict("四不放过尚未全部落实，不能结案：" + "；".join(missing))
    bump_version(accident, version)
    before = snap(accident)
    accident.status = AccidentStatus.CLOSED
    accident.closed_at, accident.closed_by = timezone.now(), actor
    accident.save()
    audit(actor, assignment, accident, "close", before=before)
    return accident


__all__ = [
    "accident_close", "appraisal_end", "appraisal_start", "approval_extend", "evaluation_record",
    "four_nots_missing", "four_nots_record", "investigation_approve", "investigation_extend", "investigation_form_team",
    "investigation_submit_report",
]
