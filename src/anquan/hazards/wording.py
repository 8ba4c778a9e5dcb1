"""Hazard titles from inspection checklist items: a hazard says what is wrong, not what was asked.

Checklist items are asked as questions ("动火作业是否办理审批，落实现场监护和灭火措施"); a hazard
raised from a 不符合 answer is a finding ("动火作业未办理审批或未落实现场监护和灭火措施"). An item
carries its finding (``ChecklistItem.finding``, written with the item: the seeded templates have one
for every item); for an item without one, ``as_finding`` turns the question into a statement by a
few plain rules (是否X → 未X / 不X, 有无X → 存在X), keeping only the clauses that ask.
"""
from __future__ import annotations

import re

QUESTION_MARKS = ("是否", "有无")
#: After 是否, words that already name the fault: 是否违规使用 → 违规使用 (not 未违规使用).
FAULT_WORDS = ("违规", "违章", "违法", "擅自", "私拉", "私自", "被", "超", "严重", "存在", "存放在", "占用", "堵塞",
               "封闭", "上锁", "采用燃烧", "使用国家明令淘汰")
#: After 是否, states negated with 不: 是否畅通 → 不畅通, 是否符合要求 → 不符合要求.
STATE_WORDS = ("符合", "完好", "畅通", "齐全", "正常", "有效", "良好", "清晰", "牢固", "可靠", "满足", "在")
#: What an inspector's copied question often ends with, and says nothing more.
BOILERPLATE = ("现场检查不符合要求", "现场检查不符合", "不符合要求", "不符合")
_CLAUSES = re.compile(r"[，,；;。]")
_TRIM = "，,；;。：:？?！!—- 　"


def is_question(text: str) -> bool:
    return any(mark in (text or "") for mark in QUESTION_MARKS)


def _negate(subject: str, rest: str) -> str:
    if rest.startswith(FAULT_WORDS):
        return subject + rest
    if rest.startswith("为"):
        return subject + "不是" + rest[1:]
    if rest.startswith(STATE_WORDS):
        return subject + "不" + rest
    if rest.startswith("有") and not rest.startswith("有效"):
        return subject + "无" + rest[1:]
    return subject + "未" + rest


def as_finding(question: str) -> str:
    """A question-form item as a statement of the fault; an item that asks nothing gets "不符合：…"."""
    text = (question or "").strip().rstrip("。；;")
    clauses = [c.strip() for c in _CLAUSES.split(text) if c.strip()]
    out = []
    for clause in clauses:
        if "是否" in clause:
            subject, _, rest = clause.partition("是否")
            out.append(_negate(subject, rest))
        elif "有无" in clause:
            subject, _, rest = clause.partition("有无")
            out.append(subject + "存在" + rest)
    return "，".join(out) if out else (f"不符合：{text}" if text else "")


def finding_of(item) -> str:
    """The item's own finding, or its question turned into one."""
    return (getattr(item, "finding", "") or "").strip() or as_finding(item.text)


def hazard_title(item, typed: str) -> str:
    """The description of the hazard raised from a 不符合 answer to ``item``.

    The inspector's own statement is kept as written. When what was typed is the item's question
    (copied, as the perform page once suggested, often with "，现场检查不符合要求"), the hazard is
    titled with the item's finding, followed by whatever the inspector added to the question.
    """
    typed = (typed or "").strip()
    finding = finding_of(item)
    if not typed:
        return finding
    if not is_question(typed):
        return typed
    rest = typed.replace(item.text.strip().rstrip("。；;"), "").strip(_TRIM)
    for phrase in BOILERPLATE:
        if rest.endswith(phrase):
            rest = rest[: -len(phrase)].strip(_TRIM)
    if is_question(rest):
        rest = as_finding(rest)
    return f"{finding}：{rest}" if rest else finding
