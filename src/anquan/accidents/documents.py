"""The accident's official documents (公文, GB/T 9704 layout, gap-free 文号 through ``documents.issue_document``):

- 事故信息快报 for a leg of the reporting chain (条例第十二条's six contents, sent to the next level up and copied
  to the parties the level informs, 第十条);
- 关于成立事故调查组的通知 (第二十二条至第二十六条: who, the team's tasks, the report's due date);
- 事故调查报告的批复 (第三十二条: the decision on the report, its handling and measures, the one-year evaluation of
  安全生产法第八十六条).

Each is issued in the name of the actor's own organ (an assignment permitting ``document.issue`` whose scope covers
the accident; ``documents.services.issuing_assignment``). The PDF follows the documents app (converted after issue).
"""
from __future__ import annotations

from anquan.core.errors import Conflict, Invalid
from anquan.core.services import safe_id
from anquan.documents.generators.common import date_text, time_text
from anquan.documents.models import DocumentKind
from anquan.documents.services import issue_document, issuing_assignment
from anquan.rules.calendar import local_date

from . import rules
from .choices import GOV_ORDER, INFORMED_PARTIES, GovLevel
from .models import Accident

KINDS = {"flash": DocumentKind.ACCIDENT_FLASH, "team": DocumentKind.ACCIDENT_TEAM, "approval": DocumentKind.ACCIDENT_APPROVAL}
#: The 应急管理 department of each level a 快报 is addressed to.
ADDRESSEE = {GovLevel.COUNTY: "{unit}应急管理局", GovLevel.CITY: "{unit}应急管理局", GovLevel.PROVINCE: "{unit}应急管理厅",
             GovLevel.NATIONAL: "中华人民共和国应急管理部"}


def accident_title(a: Accident) -> str:
    day = local_date(a.occurred_at)
    return f"{a.unit_name}“{day.month}·{day.day}”{a.get_kind_display()}事故"


def _figures(a: Accident) -> str:
    return (f"死亡{a.deaths}人、下落不明{a.missing}人、重伤（含急性工业中毒）{a.serious_injuries}人、轻伤{a.injuries}人，"
            f"初步估计直接经济损失{a.direct_loss_yuan}元")


def _next_level(leg) -> str | None:
    i = GOV_ORDER.index(leg.level)
    return GOV_ORDER[i + 1] if i + 1 < len(GOV_ORDER) else None


def _addressee(accident: Accident, level: str | None) -> str:
    from .services.common import level_unit

    if level is None:
        return ""
    unit = level_unit(accident, level)
    return ADDRESSEE[level].format(unit=unit.name if unit else "")


def issue_flash(actor, accident: Accident, *, leg=None, client_key: str = ""):
    """事故信息快报 of one leg (default: the county's): the six contents as known now, to the next level up."""
    issuing_assignment(actor, about=accident, kind=DocumentKind.ACCIDENT_FLASH)  # 404/403 before saying more
    leg = leg or accident.legs.filter(level=GovLevel.COUNTY).first()
    if leg is None:
        raise Conflict("该事故没有县级报告环节")
    to = _addressee(accident, _next_level(leg)) if not leg.is_top else ""
    a = accident
    paragraphs = [
        f"{time_text(a.occurred_at)}，{a.unit.name}{a.place}发生一起{a.get_kind_display()}事故，"
        f"按目前掌握的情况为{a.level_name}事故。现将有关情况报告如下：",
        f"一、事故发生单位概况。{a.unit_profile or a.unit_name}",
        f"二、事故发生的时间、地点以及现场情况。事故发生于{time_text(a.occurred_at)}，地点：{a.place}。{a.scene}",
        f"三、事故的简要经过。{a.account}",
        f"四、已经造成或者可能造成的伤亡人数和初步估计的直接经济损失。{_figures(a)}。",
        f"五、已经采取的措施。{a.measures or '正在核实。'}",
        f"六、其他应当报告的情况。{a.other or '无。'}",
        f"本级于{time_text(leg.received_at) if leg.received_at else '—'}接报"
        + (f"，上报时限为{time_text(leg.due_at)}。" if leg.due_at else "。")
        + "伤亡人数发生变化的，将按照《生产安全事故报告和调查处理条例》第十三条及时补报。",
        f"抄送：{'、'.join(INFORMED_PARTIES)}。",
    ]
    return issue_document(actor, kind=DocumentKind.ACCIDENT_FLASH, about=accident,
                          title=f"关于{accident_title(a)}的信息快报（{leg.get_level_display()}）",
                          recipients=to or "本级人民政府", paragraphs=paragraphs, client_key=client_key)


def issue_team(actor, accident: Accident, *, client_key: str = ""):
    """关于成立事故调查组的通知 (after the team is recorded)."""
    issuing_assignment(actor, about=accident, kind=DocumentKind.ACCIDENT_TEAM)
    inv = getattr(accident, "investigation", None)
    if inv is None or not inv.team_leader:
        raise Conflict("请先登记成立调查组（组长、成员）后再生成通知")
    a = accident
    members = "；".join(f"{m.get('name', '')}（{m.get('unit', '')}{m.get('role', '')}）" for m in inv.team_members) or "见附件"
    paragraphs = [
        f"{time_text(a.occurred_at)}，{a.unit_name}发生一起{a.get_kind_display()}事故，{_figures(a)}，为{a.level_name}事故。"
        f"根据《中华人民共和国安全生产法》和《生产安全事故报告和调查处理条例》有关规定，经研究，决定成立{accident_title(a)}调查组"
        f"（以下简称调查组），由{rules.BODY_NAMES.get(inv.body_level, '')}{('（' + inv.body_unit.name + '）') if inv.body_unit else ''}组织调查。",
        f"调查组组长：{inv.team_leader}。组织调查的部门：{inv.organized_by or '—'}。",
        f"调查组成员：{members}。",
        "调查组的主要职责：查明事故发生的经过、原因、人员伤亡情况及直接经济损失；认定事故的性质和事故责任；"
        "提出对事故责任者的处理建议；总结事故教训，提出防范和整改措施；提交事故调查报告（条例第二十五条）。",
        "调查组成员应当诚信公正、恪尽职守，遵守调查组的纪律，保守事故调查的秘密；未经调查组组长允许，不得擅自发布有关事故的信息（条例第二十六条）。",
        f"调查组应当自事故发生之日起60日内提交事故调查报告，即于{date_text(inv.due_on)}前提交；技术鉴定所需时间不计入事故调查期限；"
        "特殊情况下，经负责事故调查的人民政府批准，提交期限可以适当延长，但延长的期限最长不超过60日（条例第二十七条、第二十九条）。",
    ]
    return issue_document(actor, kind=DocumentKind.ACCIDENT_TEAM, about=accident,
                          title=f"关于成立{accident_title(a)}调查组的通知", recipients="调查组各成员单位",
                          paragraphs=paragraphs, client_key=client_key)


def issue_approval(actor, accident: Accident, *, client_key: str = ""):
    """事故调查报告的批复 (after the report is submitted)."""
    issuing_assignment(actor, about=accident, kind=DocumentKind.ACCIDENT_APPROVAL)
    inv = getattr(accident, "investigation", None)
    if inv is None or not inv.report_submitted_on:
        raise Conflict("调查报告尚未提交，不能生成批复")
    a = accident
    days = rules.approval_days(a.level)
    paragraphs = [
        f"你组{date_text(inv.report_submitted_on)}报送的《{accident_title(a)}调查报告》收悉。经研究，批复如下：",
        f"一、同意调查报告对事故原因和性质的认定。{inv.report_cause_nature}",
        f"二、同意调查报告对事故责任的认定以及对事故责任者的处理建议。{inv.report_responsibility}"
        "有关机关应当按照人民政府的批复，依照法律、行政法规规定的权限和程序，对事故发生单位和有关人员进行行政处罚，"
        "对负有事故责任的国家工作人员进行处分；负有事故责任的人员涉嫌犯罪的，依法追究刑事责任（条例第三十二条）。",
        f"三、事故发生单位应当认真吸取事故教训，落实防范和整改措施，防止事故再次发生：{inv.report_measures}",
        "四、负责事故调查的人民政府应当在批复事故调查报告后一年内，组织有关部门对事故整改和防范措施落实情况进行评估，"
        "并及时向社会公开评估结果（《中华人民共和国安全生产法》第八十六条）"
        + (f"，即于{date_text(rules.evaluation_due(inv.approved_on))}前完成。" if inv.approved_on else "。"),
        f"本批复依照条例第三十二条，自收到事故调查报告之日起{days}日内作出。",
    ]
    missing = inv.report_missing()
    if missing:
        raise Invalid({"kind": [f"调查报告缺少：{'、'.join(missing)}（条例第三十条），不能生成批复"]})
    return issue_document(actor, kind=DocumentKind.ACCIDENT_APPROVAL, about=accident,
                          title=f"关于{accident_title(a)}调查报告的批复", recipients=f"{accident_title(a)}调查组",
                          paragraphs=paragraphs, client_key=client_key)


def issue_for_accident(actor, accident: Accident, kind: str, *, leg_id=None, client_key: str = ""):
    """The detail page's one entry: ``kind`` in ``KINDS`` (flash / team / approval)."""
    if kind not in KINDS:
        raise Invalid({"kind": ["请选择公文种类：事故信息快报、成立调查组通知或调查报告批复"]})
    if kind == "flash":
        leg = None
        if leg_id not in (None, ""):
            leg = accident.legs.filter(pk=safe_id(leg_id) or 0).first()
            if leg is None:
                raise Invalid({"leg": ["所选报告环节不属于该事故"]})
        return issue_flash(actor, accident, leg=leg, client_key=client_key)
    if kind == "team":
        return issue_team(actor, accident, client_key=client_key)
    return issue_approval(actor, accident, client_key=client_key)


__all__ = ["KINDS", "issue_approval", "issue_flash", "issue_for_accident", "issue_team"]
