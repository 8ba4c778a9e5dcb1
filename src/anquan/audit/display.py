"""Audit events in words: action names, field verbose names, choice labels, related names and
times in Asia/Shanghai for before → after, so an auditor reads the trail without knowing the code.

Action codes are either a verb (``verify``) or ``<domain>.<verb>`` (``supervision.check_complete``);
``action_label`` names both. A value is shown by its model field (choice label, related object's
name, local time); keys that are not fields (a service's summary such as ``{"listing": 2}``) take
their Chinese name from ``KEY_LABELS``; nested dicts become readable "名称：值" lines.
"""
from __future__ import annotations

import datetime
import re
from functools import cache

from django.apps import apps
from django.utils import timezone

ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    "void": "作废",
    "change_regulators": "调整监管关系",
    "import": "导入",
    "sign_in": "登录",
    "export_request": "申请导出",
    "sign_out": "退出",
    "start": "开始",
    "end": "终止",
    "demo_load": "载入示范数据",
    # hazard loop
    "record": "登记隐患",
    "submit": "提交整改",
    "verify": "验收销号",
    "send_back": "退回整改",
    "request_extension": "申请延期",
    "approve_extension": "批准延期",
    "reject_extension": "不予延期",
    "explain_overdue": "逾期书面说明",
    "escalate": "提请政府研究",
    "judge_major": "判定为重大事故隐患",
    "downgrade": "降为一般事故隐患",
    "transfer": "移交场所",
    "control_start": "采取临时管控措施",
    "control_end": "解除临时管控措施",
    "list": "挂牌督办",
    "apply_resume": "申请复工复产",
    "review_listing": "现场审查",
    "delist": "摘牌销号",
    "recheck_passed": "回头看复查通过",
    "reopen": "回头看发现问题，重新整改",
    # inspections: performing a task
    "answer": "记录检查结果",
    "answer_update": "修改检查结果",
    "photo_add": "上传检查照片",
    "sign": "签字",
    "refuse_sign": "记录拒绝签字",
    "representative": "记录被检查单位代表",
    "complete": "完成检查",
    # inspections: templates, plans, draws
    "publish": "发布",
    "new_version": "生成新版本",
    "retire": "废止",
    "draw": "双随机抽取",
    "issue": "下达",
    "assign": "更换检查人员",
    # documents (公文)
    "document_issue": "签发公文",
    "document_void": "作废公文",
    # rules
    "rule_override": "调整规则取值",
    "rule_override_end": "撤销规则地方取值",
    "holiday_load": "录入节假日安排",
    "holiday_form": "录入节假日安排（逐日）",
    "demo_hazards": "载入示范隐患数据",
    "demo_inspections": "载入示范检查数据",
    "record_visit": "记录检查走访",
    # administration (系统管理员)
    "accounts.user_create": "新建账号",
    "accounts.user_update": "修改账号",
    "accounts.user_deactivate": "停用账号",
    "accounts.user_activate": "启用账号",
    "accounts.password_reset": "重置为临时密码",
    "accounts.password_change": "修改密码",
    "accounts.sign_in_unlock": "解除登录锁定",
    "accounts.person_create": "新建人员",
    "accounts.person_update": "修改人员信息",
    "orgs.unit_create": "新建行政区划",
    "orgs.unit_update": "修改行政区划",
    "orgs.department_create": "新建部门",
    "orgs.department_update": "修改部门",
    # exports and sign-in
    "enterprise.export": "导出企业名单",
    "site.export": "导出场所名单",
    "hazard.export": "导出隐患台账",
    "enterprise.create": "新建企业",
    "enterprise.update": "修改企业",
    "site.create": "新建场所",
    "site.update": "修改场所",
    # supervision and accountability (督查问责)
    "supervision.group_create": "组建督查组",
    "supervision.group_update": "修改督查组",
    "supervision.member_add": "增加督查组成员",
    "supervision.member_remove": "移出督查组成员",
    "supervision.check_create": "开始督查记录",
    "supervision.check_update": "修改督查记录",
    "supervision.check_complete": "完成督查",
    "supervision.finding_add": "提出督查问题",
    "supervision.finding_report": "报告问题整改情况",
    "supervision.finding_confirm": "确认问题整改到位",
    "supervision.finding_send_back": "退回问题整改",
    "case.open": "立案申请",
    "case.approve": "批准立案",
    "case.add_inspector": "增加承办人员",
    "case.add_evidence": "登记证据",
    "case.submit_review": "调查终结提交审查",
    "case.review": "案件审查",
    "case.legal_review": "法制审核",
    "case.discuss": "集体讨论",
    "case.notify": "行政处罚告知",
    "case.record_statement": "记录陈述申辩或听证",
    "case.decide": "作出行政处罚决定",
    "case.decide_on_spot": "当场处罚",
    "case.record_correction": "登记改正情况",
    "case.serve": "送达处罚决定书",
    "case.record_payment": "登记缴纳罚款",
    "case.close": "结案",
    "case.withdraw": "撤案",
    "case.publish": "公开处罚决定",
    "case.withdraw_publication": "撤回公开的处罚信息",
    "case.propose_closure": "生成提请关闭建议（第一百一十三条）",
    "case.decide_closure": "对提请关闭建议作出决定",
    "accountability.interview_create": "记录警示约谈",
    "accountability.circular_create": "发布通报",
    "accountability.circular_document": "生成通报公文",
    "accountability.interview_void": "作废警示约谈记录",
    "accountability.circular_void": "作废通报",
    "accountability.open": "提出问责（三责同追）",
    "accountability.decide": "作出问责处理决定",
    # accidents (生产安全事故)
    "accident.report": "报告事故",
    "accident.update": "更正事故报告",
    "accident.add_casualties": "伤亡补报",
    "accident.photos_add": "上传事故现场照片",
    "accident.leg_receive": "登记事故接报时间",
    "accident.leg_forward": "登记事故上报时间",
    "accident.leg_inform": "登记通知有关单位",
    "accident.late_finding": "认定迟报漏报谎报瞒报",
    "accident.form_team": "成立事故调查组",
    "accident.appraisal_start": "技术鉴定开始",
    "accident.appraisal_end": "技术鉴定结束",
    "accident.extend": "延长事故调查期限",
    "accident.submit_report": "提交事故调查报告",
    "accident.approval_extend": "延长批复期限",
    "accident.approve": "批复事故调查报告",
    "accident.evaluate": "事故整改评估",
    "accident.four_nots": "记录四不放过",
    "accident.close": "事故结案",
}

#: Names of keys that are not model fields: what services put in before/after as a summary.
KEY_LABELS = {
    "listing": "挂牌督办", "passed": "审查结论", "document_no": "督办文号", "round": "整改轮次",
    "member": "督查组成员", "person": "人员", "role": "角色", "assignment": "任职",
    "plan": "检查计划", "seed": "随机种子", "frame": "抽取范围（场所）", "frame_size": "抽取范围（场所数）",
    "pool": "执法人员库", "result": "抽取结果", "conflicts": "回避情况", "target_count": "抽取数量",
    "inspectors_per_target": "每个对象的检查人员数", "inspectors": "检查人员", "site": "场所",
    "kind": "类别", "number": "编号", "title": "标题", "recipients": "主送", "sha256": "文件摘要（SHA-256）",
    "answers": "检查结果", "problems": "问题数", "answer": "结论", "note": "说明",
    "name": "姓名", "refused": "拒绝签字", "signer_kind": "签字人类别",
    "source_document": "依据文件", "days": "日期安排", "value": "取值", "unit": "区划", "key": "规则",
    "valid_from": "生效时间", "valid_to": "终止时间", "end_reason": "终止原因",
    "is_active": "账号有效", "username": "用户名", "password": "密码",
    "streets": "督查街道", "departments": "督查部门", "hazards": "隐患", "findings": "督查问题",
    "inspection_id": "检查任务", "hazard_id": "隐患", "listing_id": "挂牌督办", "about_id": "关联对象",
    "about_type_id": "关联对象类型",
    # the demo loader's counts
    "communities": "村社区", "grids": "网格", "enterprises": "企业", "industry_links": "行业关联", "sites": "场所",
    "licences": "许可证", "regulators": "监管关系", "as_of": "数据日期", "accounts": "账号", "people": "人员",
    "rounds": "整改轮次", "extensions": "延期申请", "explanations": "逾期说明", "controls": "临时管控",
    "listings": "挂牌督办", "users": "用户", "visits": "检查走访", "from_hazards": "由隐患生成",
    "by_colour": "按风险颜色", "audit_events": "审计事件",
    # hazard and inspection summaries
    "control": "临时管控措施", "escalation": "提请研究", "explanation": "逾期说明", "requested_deadline": "申请延期至",
    "district": "所属区县", "grants": "临时授权", "parts": "检查部分", "draw": "双随机抽取", "tasks": "检查任务",
    "checklist_id": "检查表", "department_id": "部门",
}

#: Values of keys that are not model fields but name a choice everywhere they appear.
_ROLE_KEYS = {"role", "acting_role"}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_CJK = re.compile(r"[\u4e00-\u9fff]")

EMPTY = "（空）"


@cache
def model_for(model_key: str):
    """The model whose ``_meta.model_name`` is ``model_key`` (None when unknown)."""
    for model in apps.get_models():
        if model._meta.model_name == model_key:
            return model
    return None


def model_label(model_key: str) -> str:
    model = model_for(model_key)
    return str(model._meta.verbose_name) if model else model_key


def action_label(action: str) -> str:
    """``supervision.check_complete`` → 完成督查; a dotted code not listed falls back to its verb's name."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    verb = action.rpartition(".")[2]
    return ACTION_LABELS.get(verb, action)


def key_label(model, key: str) -> str:
    """A before/after key in words: the field's Chinese verbose name, else KEY_LABELS, else the key itself."""
    field = _field(model, key)
    if field is not None and _CJK.search(str(field.verbose_name)):
        return str(field.verbose_name)
    bare = key[:-3] if key.endswith("_id") else key
    return KEY_LABELS.get(key) or KEY_LABELS.get(bare) or SPECIAL_LABELS.get(key) or (
        str(field.verbose_name) if field is not None else key)


def local_time(value: str) -> str:
    """An ISO timestamp as stored (UTC) → ``2026-11-19 10:00`` in Asia/Shanghai; other text unchanged."""
    if not isinstance(value, str) or not _ISO_DATETIME.match(value):
        return value
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _role_label(value) -> str | None:
    """A role code in words: an account's role (RoleCode) or a place in a supervision group (组长/成员/专家)."""
    from anquan.accounts.roles import RoleCode
    from anquan.supervision.models import MemberRole

    for choices in (RoleCode, MemberRole):
        if value in choices.values:
            return str(choices(value).label)
    return None


def _control_kind(value) -> str:
    from anquan.hazards.choices import ControlKind

    return str(ControlKind(value).label) if value in ControlKind.values else str(value)


def _question(value) -> str:
    from anquan.supervision.questions import QUESTION_SETS

    for questions in QUESTION_SETS.values():
        for q in questions:
            if q.key == value:
                return q.text
    return str(value)


def _answers(value: dict) -> str:
    """A supervision check's answers: one line per question, "question：是（说明）"."""
    from anquan.supervision.questions import ANSWERS

    lines = []
    for key, item in value.items():
        item = item if isinstance(item, dict) else {"answer": item}
        answer = ANSWERS.get(item.get("answer"), item.get("answer") or EMPTY)
        note = item.get("note") or ""
        question = _question(key)
        lines.append(f"{question}{' ' if question.endswith('？') else '：'}{answer}{f'（{note}）' if note else ''}")
    return "\n".join(lines)


#: (model key or "*", field) → how its raw values read.
VALUE_WORDS = {
    ("finding", "question"): _question,
    ("hazard", "kind"): _control_kind,  # a control's kind in control_start/control_end summaries
}


def _plain(value, key: str = "") -> str:
    """A value that has no model field: booleans, lists, dicts as lines, timestamps in Shanghai."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in _ROLE_KEYS or key.endswith("_role"):
        label = _role_label(value)
        if label:
            return label
    if isinstance(value, dict):
        if key == "answers":
            return _answers(value)
        return "\n".join(f"{KEY_LABELS.get(k, k)}：{_plain(v, k)}" for k, v in value.items())
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return "\n".join("；".join(f"{KEY_LABELS.get(k, k)}：{_plain(x, k)}" for k, x in v.items()) for v in value)
        return "、".join(_plain(v) for v in value)
    return local_time(value) if isinstance(value, str) else str(value)


def _field(model, key: str):
    if model is None:
        return None
    for field in list(model._meta.concrete_fields) + list(model._meta.many_to_many):
        if key in (field.name, getattr(field, "attname", None)):
            return field
    return None


def _names(related_model, ids) -> dict:
    ids = [i for i in ids if isinstance(i, int)]
    if not ids:
        return {}
    # Accounts read as the person's name (display_name), not the user name.
    rows = related_model._default_manager.filter(pk__in=ids)
    if any(f.name == "person" for f in related_model._meta.concrete_fields):
        rows = rows.select_related("person")
    return {o.pk: str(getattr(o, "display_name", "") or o) for o in rows}


def _regulators(values) -> str:
    """``["industry:3:", "territorial::12"]`` → ``行业主管：住建局；属地：某街道``."""
    from anquan.enterprises.models import RegulatorKind
    from anquan.orgs.models import Department, OrgUnit

    if not values:
        return EMPTY
    if not isinstance(values, list):  # a count (the demo loader's summary), not the links themselves
        return _plain(values)
    parsed = []
    for item in values:
        kind, _, rest = str(item).partition(":")
        dept, _, unit = rest.partition(":")
        parsed.append((kind, int(dept) if dept.isdigit() else None, int(unit) if unit.isdigit() else None))
    depts = _names(Department, [d for _, d, _ in parsed])
    units = _names(OrgUnit, [u for _, _, u in parsed])
    kinds = dict(RegulatorKind.choices)
    return "；".join(f"{kinds.get(k, k)}：{depts.get(d) or units.get(u) or '?'}" for k, d, u in parsed)


def display_value(field, value, key: str = "", model_key: str = "") -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    words = VALUE_WORDS.get((model_key, key or getattr(field, "name", "")))
    if words is not None:
        return words(value)
    if field is None:
        return _plain(value, key)
    if field.many_to_many:
        names = _names(field.related_model, value if isinstance(value, list) else [value])
        return "、".join(names.get(v, str(v)) for v in (value if isinstance(value, list) else [value]))
    if field.is_relation:
        return _names(field.related_model, [value]).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list)) or field.name.endswith("_role") or field.name == "role":
        return _plain(value, field.name)
    return local_time(value) if isinstance(value, str) else str(value)


SPECIAL_LABELS = {"regulators": "监管关系", "voided": "作废", "version": "版本"}
HIDDEN_KEYS = {"version", "id", "grid_path"}


def describe_changes(event) -> list[dict]:
    """One row per changed field: ``{"label", "before", "after"}`` in words (version bumps left out)."""
    model = model_for(event.model_key)
    before, after = event.before or {}, event.after or {}
    rows = []
    for key in list(dict.fromkeys([*before.keys(), *after.keys()])):
        if key in HIDDEN_KEYS:
            continue
        if key == "regulators":
            rows.append({"label": SPECIAL_LABELS[key], "before": _regulators(before.get(key)) if key in before else "",
                         "after": _regulators(after.get(key)) if key in after else ""})
            continue
        field = _field(model, key)
        if not before and after.get(key) in (None, "", [], {}):
            continue  # a creation: the fields left empty say nothing
        rows.append({
            "label": key_label(model, key),
            "before": display_value(field, before.get(key), key, event.model_key) if key in before else "",
            "after": display_value(field, after.get(key), key, event.model_key) if key in after else "",
        })
    return rows
