"""Audit events in words: field verbose names, choice labels and related names for before → after."""
from __future__ import annotations

from functools import cache

from django.apps import apps

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
}

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
    return ACTION_LABELS.get(action, action)


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
    return {o.pk: str(o) for o in related_model._default_manager.filter(pk__in=ids)}


def _regulators(values) -> str:
    """``["industry:3:", "territorial::12"]`` → ``行业主管：住建局；属地：某街道``."""
    from anquan.enterprises.models import RegulatorKind
    from anquan.orgs.models import Department, OrgUnit

    if not values:
        return EMPTY
    parsed = []
    for item in values:
        kind, _, rest = str(item).partition(":")
        dept, _, unit = rest.partition(":")
        parsed.append((kind, int(dept) if dept.isdigit() else None, int(unit) if unit.isdigit() else None))
    depts = _names(Department, [d for _, d, _ in parsed])
    units = _names(OrgUnit, [u for _, _, u in parsed])
    kinds = dict(RegulatorKind.choices)
    return "；".join(f"{kinds.get(k, k)}：{depts.get(d) or units.get(u) or '?'}" for k, d, u in parsed)


def display_value(field, value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if field is None:
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        return str(value)
    if field.many_to_many:
        names = _names(field.related_model, value if isinstance(value, list) else [value])
        return "、".join(names.get(v, str(v)) for v in (value if isinstance(value, list) else [value]))
    if field.is_relation:
        return _names(field.related_model, [value]).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


SPECIAL_LABELS = {"regulators": "监管关系", "voided": "作废", "version": "版本"}
HIDDEN_KEYS = {"version", "id"}


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
        label = str(field.verbose_name) if field is not None else SPECIAL_LABELS.get(key, key)
        rows.append({
            "label": label,
            "before": display_value(field, before.get(key)) if key in before else "",
            "after": display_value(field, after.get(key)) if key in after else "",
        })
    return rows
