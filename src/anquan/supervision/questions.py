"""The standard questions of a supervision check (督查), kept as data and versioned.

A check stores the version it was answered against, so changing the wording or adding a
question later makes a new version and never changes what past checks asked. Answers are
是 / 否 / 部分; a 否 or 部分 needs a note saying what was found (the record must hold up later).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    hint: str


ANSWERS = {"yes": "是", "no": "否", "partial": "部分"}
#: Answers that need a written note.
NOTE_REQUIRED = ("no", "partial")

QUESTION_SETS: dict[str, tuple[Question, ...]] = {
    "2026.1": (
        Question("plan", "是否组织制定并落实了安全生产检查（隐患排查）计划？",
                 "查看年度/专项检查计划、部署文件、实施台账"),
        Question("thorough", "隐患排查是否全面、彻底，是否存在应发现而未发现的隐患？",
                 "抽查企业现场，对照隐患台账看是否漏报、瞒报"),
        Question("tips", "群众举报、媒体曝光的隐患线索是否及时核查处理？",
                 "查看举报登记、核查记录和反馈时间"),
        Question("prompt", "发现的隐患是否及时督促整改，整改是否按期、到位？",
                 "查看逾期隐患、整改验收记录、重大隐患挂牌督办情况"),
        Question("accidents", "发生的生产安全事故是否依法依规调查处理？",
                 "查看事故报告、调查报告、责任追究和整改措施落实情况"),
    ),
}
CURRENT_VERSION = "2026.1"


def questions(version: str = CURRENT_VERSION) -> tuple[Question, ...]:
    return QUESTION_SETS[version]


def clean_answers(version: str, raw, *, complete: bool) -> tuple[dict, dict[str, list[str]]]:
    """``raw`` ({key: {"answer", "note"}}) checked against ``version``: (clean answers, errors by field).

    ``complete`` requires every question answered (a finished check); a draft may leave some open.
    """
    errors: dict[str, list[str]] = {}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return {}, {"answers": ["答案格式不正确"]}
    known = {q.key: q for q in questions(version)}
    unknown = [str(k)[:20] for k in raw if k not in known]
    if unknown:
        errors["answers"] = ["没有这些问题：" + "、".join(unknown)]
    clean = {}
    for key, question in known.items():
        item = raw.get(key)
        if item in (None, "", {}):
            if complete:
                errors.setdefault(f"answers.{key}", []).append(f"请回答：{question.text}")
            continue
        if not isinstance(item, dict):
            errors.setdefault(f"answers.{key}", []).append("答案格式不正确")
            continue
        answer = item.get("answer")
        note = item.get("note") or ""
        if not isinstance(note, str):
            errors.setdefault(f"answers.{key}", []).append("说明应为文字")
            continue
        note = note.strip()
        if answer in (None, ""):
            if complete:
                errors.setdefault(f"answers.{key}", []).append(f"请回答：{question.text}")
            elif note:
                clean[key] = {"answer": "", "note": note[:2000]}
            continue
        if not isinstance(answer, str) or answer not in ANSWERS:
            errors.setdefault(f"answers.{key}", []).append("答案只能是“是”“否”或“部分”")
            continue
        if answer in NOTE_REQUIRED and not note:
            errors.setdefault(f"answers.{key}", []).append(f"回答“{ANSWERS[answer]}”时请写明发现的问题")
            continue
        if len(note) > 2000:
            errors.setdefault(f"answers.{key}", []).append("说明不能超过2000字")
            continue
        clean[key] = {"answer": answer, "note": note}
    return clean, errors
