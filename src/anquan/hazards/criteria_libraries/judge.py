"""Judging a hazard against the libraries, on plain data (no database).

The database layer (hazards.services.judgement) and the tests use these same functions, so the
rule "which library applies, and does this finding make the hazard 重大" is written once.
"""
from __future__ import annotations

import datetime
from typing import NamedTuple

from . import CombinedRule, Item, Library


def in_force(library: Library, found_on: datetime.date) -> bool:
    """Whether the library was in force on the (Shanghai) day the hazard was found."""
    if found_on < library.effective_from:
        return False
    return library.effective_to is None or found_on <= library.effective_to


def codes(industry) -> frozenset[str]:
    """An industry as a set of codes: None, one code, or several (a sub-sector and its parent, e.g.
    ("gm_metallurgy", "industry_trade"): a 冶金 site is also 工贸 for the libraries)."""
    if industry is None:
        return frozenset()
    if isinstance(industry, str):
        return frozenset({industry})
    return frozenset(industry)


def applies_to_industry(library: Library, industry) -> bool:
    return not library.industries or bool(codes(industry) & set(library.industries))


def applicable(libraries, *, industry, found_on: datetime.date) -> list[Library]:
    """The libraries that may judge a hazard of a site in ``industry`` found on ``found_on``."""
    return [lib for lib in libraries if in_force(lib, found_on) and applies_to_industry(lib, industry)]


def item_applies(item: Item, industry) -> bool:
    """An item naming industries (工贸 §4–§10) applies only to sites of them: a site recorded only as 工贸,
    without its sub-sector, is judged by the general items (§3, §11–§14), never by a guessed sector's."""
    return not item.industries or bool(codes(industry) & set(item.industries))


class Verdict(NamedTuple):
    major: bool
    items: tuple[str, ...]       # numbers of the direct items that hold (each alone makes it major)
    rule: str | None             # number of the combined rule that fired, if any
    reasons: tuple[str, ...]     # why not, or why, in Chinese, for the form and the API


def _holds(item: Item, answer) -> tuple[bool, str | None]:
    """An answer is True/False for a plain item, or the set of condition keys present for a "并且" item."""
    if not item.conditions:
        return bool(answer), None
    present = set(answer) if isinstance(answer, (set, frozenset, list, tuple)) else (
        {c.key for c in item.conditions} if answer is True else set())
    missing = [c for c in item.conditions if c.key not in present]
    if missing:
        return False, f"第{item.number}项须同时具备各项情形，缺少：" + "；".join(c.text for c in missing)
    return True, None


def judge(library: Library, present: dict[str, object], *, industry=None,
          place_kind: str | None = None) -> Verdict:
    """Judge the findings ``present`` (item number → answer) against one library.

    Direct items: any one that holds makes the hazard 重大. Combined elements count toward the
    library's combined rules for ``place_kind`` (an industry code or place kind); the first rule
    whose minimum is reached fires. Items that do not apply to ``industry`` are ignored.
    """
    by_number = {i.number: i for i in library.items}
    direct, elements, reasons = [], set(), []
    for number, answer in present.items():
        item = by_number.get(number)
        if item is None or not item_applies(item, industry):
            continue
        holds, why = _holds(item, answer)
        if why:
            reasons.append(why)
        if not holds:
            continue
        (elements.add(number) if item.combined else direct.append(number))
    rule = _combined(library.combined_rules, elements, place_kind)
    if rule is not None:
        reasons.append(f"综合判定：{rule.text}（具备{len(elements & set(rule.elements))}项综合判定要素）")
    return Verdict(bool(direct) or rule is not None, tuple(direct), rule.number if rule else None, tuple(reasons))


def _combined(rules: tuple[CombinedRule, ...], elements: set[str], place_kind: str | None) -> CombinedRule | None:
    for rule in rules:
        if rule.place_kinds and place_kind not in rule.place_kinds:
            continue
        if len(elements & set(rule.elements)) >= rule.min_elements:
            return rule
    return None
