"""The supervision objects the tests and the matrix are checked against, on top of core's matrix world.

- ``GRP``: a group formed by 示范区 anweiban for street A (jiedao_a's) and the 应急管理局 (yingji's),
  with ducha as 组员 (his supervisor assignment receives the grants).
- ``CHK_A``: GRP's completed check of street A; ``FND_A`` its finding (待整改, deadline in 30 days).
- ``CHK_Y``: GRP's check of the 应急管理局 (draft); ``FND_Y`` its finding, reported by yingji.
- ``GRP_L``, ``CHK_L``, ``FND_L``: 邻区's group, check and finding (out of everyone's scope but 邻区's).
- ``INT_A``: anweiban's 警示约谈 of E_A (jiedao_a's street), linked to H_A and FND_A.
- ``CIR_A``: anweiban's 通报 of street A; ``INT_L``: linqu_anweiban's 约谈 of E_L.
"""
from __future__ import annotations

import datetime

from anquan.accounts.models import User
from anquan.core.tests.matrix_world import assignment_of, build_world
from anquan.rules.calendar import today

from .. import services

YES = {"answer": "yes", "note": ""}


def all_yes() -> dict:
    from ..questions import questions

    return {q.key: dict(YES) for q in questions()}


def build_supervision_world() -> dict:
    w = build_world()
    users = w["users"]
    street_a = assignment_of("jiedao_a").unit
    yingji = w["departments"]["yingji"]
    linqu_street = w["G_L"].parent
    while linqu_street.kind != "street":
        linqu_street = linqu_street.parent
    day = today()
    period = {"period_start": day - datetime.timedelta(days=10), "period_end": day + datetime.timedelta(days=60)}

    w["GRP"] = services.group_create(actor=users["anweiban"], data={
        "name": "第一督查组", "task": "督查安全生产检查计划落实", "streets": [street_a.pk], "departments": [yingji.pk], **period})
    ducha_person = User.objects.get(username="ducha").person
    services.member_add(actor=users["anweiban"], group=w["GRP"], version=w["GRP"].version,
                        data={"person": ducha_person.pk, "role": "member"})
    w["GRP"].refresh_from_db()
    w["CHK_A"] = services.check_create(actor=users["ducha"], group=w["GRP"], data={
        "unit": street_a.pk, "checked_on": day, "answers": all_yes(), "summary": "总体较好"})
    w["FND_A"] = services.finding_add(actor=users["ducha"], check=w["CHK_A"], data={
        "description": "暗访发现出租房电动车违规充电未纳入排查台账", "demand": "全面排查出租房电动车充电隐患并建立台账",
        "deadline_days": 30, "question": "thorough"})
    w["CHK_A"] = services.check_complete(actor=users["ducha"], check=w["CHK_A"], version=w["CHK_A"].version)
    w["CHK_Y"] = services.check_create(actor=users["anweiban"], group=w["GRP"], data={
        "department": yingji.pk, "checked_on": day, "answers": {"plan": YES}})
    w["FND_Y"] = services.finding_add(actor=users["anweiban"], check=w["CHK_Y"], data={
        "description": "举报线索核查超期", "demand": "七日内完成核查并反馈", "deadline_days": 7})
    w["FND_Y"] = services.finding_report(actor=users["yingji"], finding=w["FND_Y"], version=w["FND_Y"].version,
                                         measures="已完成核查并反馈举报人")

    w["GRP_L"] = services.group_create(actor=users["linqu_anweiban"], data={
        "name": "邻区督查组", "streets": [linqu_street.pk], **period})
    w["CHK_L"] = services.check_create(actor=users["linqu_anweiban"], group=w["GRP_L"], data={
        "unit": linqu_street.pk, "checked_on": day})
    w["FND_L"] = services.finding_add(actor=users["linqu_anweiban"], check=w["CHK_L"], data={
        "description": "邻区问题", "demand": "整改", "deadline_days": 15})

    w["INT_A"] = services.interview_create(actor=users["anweiban"], data={
        "target_enterprise": w["E_A"].pk, "held_on": day, "place": "区安委办会议室", "participants": "企业主要负责人、安全管理员",
        "content": "脚手架连墙件缺失，警示约谈", "commitments": "三日内整改到位", "hazards": [w["H_A"].pk],
        "findings": [w["FND_A"].pk]})
    w["CIR_A"] = services.circular_create(actor=users["anweiban"], data={
        "target_unit": street_a.pk, "title": "关于街道隐患排查不到位的通报", "issued_on": day,
        "content": "督查发现出租房隐患排查不彻底。", "requirements": "限期整改。", "findings": [w["FND_A"].pk]})
    w["INT_L"] = services.interview_create(actor=users["linqu_anweiban"], data={
        "target_enterprise": w["E_L"].pk, "held_on": day, "participants": "企业负责人", "content": "塔吊限位失灵"})
    w["STREET_A"], w["STREET_L"], w["YINGJI"] = street_a, linqu_street, yingji
    for key in ("GRP", "CHK_A", "CHK_Y", "FND_A", "FND_Y", "GRP_L", "CHK_L", "FND_L"):
        w[key].refresh_from_db()
    return w
