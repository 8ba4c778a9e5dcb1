"""How a randomly drawn demo hazard goes on after recording, until the as-of date cuts it off.

Why a story and not a status drawn at random: a status must be *reachable*. Each hazard is
played forward step by step — judged 重大 later, plan completed, interim controls, started,
extension asked and decided, explained while overdue, escalated, submitted on time or late
or left stuck, verified or sent back and resubmitted — and simply stops at the first step
that would fall on or after the as-of date. So "overdue", "awaiting verification" and
"sent back then resubmitted" are states the data arrived at, and every closed hazard has a
passed round by someone other than its submitter.
"""
from __future__ import annotations

import datetime

from anquan.hazards.choices import ControlKind, HazardLevel

#: (share, days late from, to) of how rectifiers keep deadlines: on time / late / stuck for months.
ON_TIME, LATE, STUCK = 0.80, 0.94, 1.0
SEND_BACK_REASONS = ["整改后照片未能反映整改效果，请补充", "整改不彻底，现场仍存在问题", "未提供设备检测合格证明",
                     "整改措施与隐患描述不对应，请重新整改"]
EXTENSION_REASONS = ["所需设备配件订货周期较长，无法按期到货", "整改需停产施工，须安排在生产淡季", "整改方案需经专家论证"]
EXPLANATIONS = ["整改所需配件尚未到货，已采取临时防护措施，预计一周内完成", "整改涉及停产检修，已制定计划，近期实施",
                "责任人岗位调整，整改工作衔接延误，已重新落实责任人"]
CONTROLS = [(ControlKind.STOP_EQUIPMENT, "隐患设备存在失控风险，责令停止使用相关设施设备"),
            (ControlKind.EVACUATE, "危险区域内作业人员安全无法保证，责令撤出作业人员"),
            (ControlKind.SUSPEND, "重大事故隐患排除前无法保证安全，责令局部停产停业整改")]


def play_random(year, life, place, judge_item=None) -> None:
    """Play ``life`` forward with ``year``'s random draws (stops at the as-of date)."""
    rng, h, cut = year.rng, life.h, year.cutoff
    rect = year.rectifier(h, place)

    def at(day: datetime.date):
        moment = year.moment(day, after=life.last)
        return moment if moment < cut else None

    def days(lo: int, hi: int) -> datetime.date:
        return life.last.date() + datetime.timedelta(days=rng.randint(lo, hi))

    if judge_item is not None:  # recorded as 一般, judged 重大 by its regulator
        when = at(days(0, 3))
        if when is None:
            return
        life.judge(when, year.cast.dept_staff.get(h.department_id) or year.cast.anweiban, judge_item)
    over = year.overseer(h, place, rect)
    if h.level == HazardLevel.MAJOR and h.plan_missing():
        when = at(days(1, 6))
        if when is None:
            return
        life.update_plan(when, rect, year.plan_texts(h, place))
    control = None
    if h.level == HazardLevel.MAJOR and rng.random() < 0.3:
        when = at(days(0, 1))
        if when is None:
            return
        kind, reason = rng.choice(CONTROLS)
        control = life.control_start(when, year.official(over), kind, reason)
    if rng.random() < 0.75:
        when = at(days(0, 4))
        if when is None:
            return
        life.start(when, rect)
    if not _extension(year, life, rect, over, at):
        return
    deadline = h.deadline_in_force
    draw = rng.random()
    if draw < ON_TIME:
        first = max(life.last.date(), h.found_on)
        due = first + datetime.timedelta(days=rng.randint(0, max(0, (deadline - first).days)))
    elif draw < LATE:
        due = deadline + datetime.timedelta(days=rng.randint(1, 25))
    else:
        due = deadline + datetime.timedelta(days=rng.randint(30, 200))
    late = (due - deadline).days
    if late > 1 and rng.random() < 0.45:
        when = at(deadline + datetime.timedelta(days=rng.randint(1, min(7, late - 1))))
        if when is None:
            return
        life.explain(when, rect, rng.choice(EXPLANATIONS))
    if late > 60 and rng.random() < 0.25:
        when = at(deadline + datetime.timedelta(days=rng.randint(45, 60)))
        if when is None:
            return
        life.escalate(when, year.official(over, "hazard.escalate"), "整改涉及规划调整和多部门协调，单位自身难以解决，提请区政府研究")
    when = at(due)
    if when is None:
        return
    life.submit(when, rect, h.measures)
    _verify(year, life, rect, over, control, at, days)


def _extension(year, life, rect, over, at) -> bool:
    """Maybe ask for an extension before the deadline and have it decided; False when the as-of date cut in."""
    rng, h = year.rng, life.h
    if (h.deadline - h.found_on).days < 15 or rng.random() >= 0.1:
        return True
    asked = h.deadline_in_force - datetime.timedelta(days=rng.randint(1, 4))
    if asked <= life.last.date():
        return True
    when = at(asked)
    if when is None:
        return False
    new = year.deadline(h.deadline_in_force, rng.choice([10, 15, 20, 30]))
    ext = life.request_extension(when, rect, new, rng.choice(EXTENSION_REASONS))
    when = at(asked + datetime.timedelta(days=rng.randint(1, 3)))
    if when is None:
        return False
    approve = rng.random() < 0.85
    life.decide_extension(when, over, ext, approve, "" if approve else "理由不充分，请按原期限完成整改")
    return True


def _verify(year, life, rect, over, control, at, days) -> None:
    """Verify (pass, or send back and resubmit, at most three rounds); lift the control after closing."""
    rng = year.rng
    for attempt in range(3):
        when = at(days(0, 5))
        if when is None:
            return
        passed = attempt == 2 or rng.random() < 0.88
        life.verify(when, over, passed, "" if passed else rng.choice(SEND_BACK_REASONS))
        if passed:
            break
        when = at(days(2, 10))
        if when is None:
            return
        life.submit(when, rect, f"{life.h.measures}（按验收意见补充整改）")
    if control is not None:
        when = at(life.last.date())
        if when is not None:
            life.control_end(when, year.official(over), control, "隐患已整改销号，经复查解除管控措施")
