"""The demo's 督查 and 问责 (``load_demo --inspections``, as ``make demo`` runs it): 示范区安委办's first
supervision group with ``ducha`` as a member, assigned to 街道甲 and 应急管理局; a check of 街道甲 with its
findings (one reported by the street and confirmed, one still open); a 警示约谈 of qiye_a's enterprise and a
通报 with its official document — all through the supervision services, at past moments, so the audit trail,
grants and deadlines are what real use would leave.
"""
from __future__ import annotations

import datetime

from anquan.rules.calendar import SHANGHAI
from anquan.supervision import services

from .inspections import at_moment

YES = {"answer": "yes", "note": ""}


def _moment(as_of: datetime.date, days_ago: int, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(as_of - datetime.timedelta(days=days_ago), datetime.time(hour), tzinfo=SHANGHAI)


def build_supervision(demo, *, as_of: datetime.date) -> dict[str, int]:
    """One group, one check with two findings, one interview, one circular (the caller holds the transaction)."""
    u = demo.users
    street_a, yingji = demo.street_a, demo.departments["yingji"]
    with at_moment(_moment(as_of, 20, 9)):
        group = services.group_create(actor=u["anweiban"], data={
            "name": "示范区安委会第一督查组", "task": "督查各街道、行业部门安全生产检查计划落实和隐患排查治理情况",
            "streets": [street_a.pk], "departments": [yingji.pk],
            "period_start": as_of - datetime.timedelta(days=20), "period_end": as_of + datetime.timedelta(days=70)})
        services.member_add(actor=u["anweiban"], group=group, version=group.version,
                            data={"person": u["ducha"].person_id, "role": "member"})
    with at_moment(_moment(as_of, 14, 10)):
        check = services.check_create(actor=u["ducha"], group=group, data={
            "unit": street_a.pk, "checked_on": as_of - datetime.timedelta(days=14), "summary": "街道甲检查计划已制定，排查台账基本完整",
            "answers": {
                "plan": YES, "tips": YES, "accidents": YES,
                "thorough": {"answer": "partial", "note": "抽查3处出租房，2处电动车违规充电未纳入排查台账"},
                "prompt": {"answer": "partial", "note": "2项一般隐患逾期未整改，未见书面说明"},
            }})
        done = services.finding_add(actor=u["ducha"], check=check, data={
            "description": "逾期隐患未见逾期书面说明", "demand": "督促企业补交逾期书面说明并报安委办", "deadline_days": 7,
            "question": "prompt"})
        open_ = services.finding_add(actor=u["ducha"], check=check, data={
            "description": "出租房电动车违规充电未纳入排查台账", "demand": "全面排查辖区出租房电动车充电隐患并建立台账",
            "deadline_days": 30, "question": "thorough"})
        check = services.check_complete(actor=u["ducha"], check=check, version=check.version)
    with at_moment(_moment(as_of, 9, 15)):
        done = services.finding_report(actor=u["jiedao_a"], finding=done, version=done.version,
                                       measures="已督促2家企业补交逾期书面说明，已报区安委办备案")
    with at_moment(_moment(as_of, 8, 11)):
        services.finding_confirm(actor=u["ducha"], finding=done, version=done.version)
    with at_moment(_moment(as_of, 6, 14)):
        services.interview_create(actor=u["anweiban"], data={
            "target_enterprise": demo.enterprise_a.pk, "held_on": as_of - datetime.timedelta(days=6),
            "place": "区安委办会议室", "participants": "企业主要负责人、安全管理人员；区安委办、街道甲",
            "content": "督查发现隐患整改不及时，依规进行警示约谈", "commitments": "十日内完成全部隐患整改并报街道验收",
            "findings": [open_.pk]})
    with at_moment(_moment(as_of, 5, 16)):
        services.circular_create(actor=u["anweiban"], data={
            "target_unit": street_a.pk, "title": "关于第一督查组督查发现问题的通报",
            "issued_on": as_of - datetime.timedelta(days=5),
            "content": "区安委会第一督查组对街道甲安全生产检查计划落实情况进行了督查，发现出租房隐患排查不彻底、逾期隐患书面说明缺失等问题。",
            "requirements": "请街道甲于三十日内完成整改，并将整改情况书面报区安委办。", "findings": [open_.pk, done.pk]})
    return {"督查组": 1, "督查记录": 1, "督查发现问题": 2, "警示约谈": 1, "通报": 1}
