"""The statutory 重大事故隐患判定标准 libraries, one module per instrument (and per version).

Why plain data here: the hazards migrations and the demo generator seed the database from these
modules (``seed_criteria``), tests count each library against its instrument, and a reviewer can
read a library beside the statute. A published version is never edited in the database; a new
instrument or a locality's own criteria is a new version (a new ``Library`` with a higher
``version``), so every hazard keeps the exact item it was judged by.

How an item is judged (rules.md "Hazards"):

- any one item present makes the hazard 重大, unless the item lists ``conditions``: then every
  condition must hold ("并且"); an item whose text says "或者" stays one item (any alternative);
- a ``CombinedRule`` (GB 35181 ch. 6) makes it 重大 when at least ``min_elements`` of its
  ``elements`` (item numbers of the library's combined elements, ``Item.combined=True``) are
  present in a place of the rule's kind; the rule that fired is recorded;
- ``exclusions`` (GB 35181 §4.2) are situations in which the library must not be applied;
- a library applies only to sites of its ``industries`` and only to hazards found on or after
  ``effective_from`` and (if set) on or before ``effective_to`` (Asia/Shanghai calendar days).

Texts: legal texts (laws, regulations, departmental rules such as 应急管理部令第10号) may be quoted;
standards and normative documents (GB 35181, 建城规〔2023〕4号, 房屋市政工程 2024版, 安监总管三
〔2017〕121号) are written in our own words, faithful to their meaning and thresholds. Never invent
an item: an item whose text could not be found is listed in ``missing`` with its number, and
``expected_count`` stays the instrument's own count so the count test shows the gap.
"""
from __future__ import annotations

import datetime
from typing import NamedTuple


class Condition(NamedTuple):
    """One condition of a "并且" item; all conditions of an item must hold."""

    key: str   # "a", "b", ... stable within the item
    text: str  # what must be true, as a statement ("未建立有限空间管理台账")


class Item(NamedTuple):
    number: str       # the instrument's numbering, e.g. "11.2" = 第十一条第（二）项; "5.1.3" = GB clause
    text: str         # the item as a statement of the defect
    basis: str        # exact source: instrument + article/item or standard clause
    category: str     # a hazard category code of catalogue_data.CATEGORIES (GB/T 13861 or industry sub-class)
    conditions: tuple[Condition, ...] = ()  # "并且": every one must hold; empty = the text itself decides
    industries: tuple[str, ...] = ()        # narrower than the library (e.g. 工贸 §4 冶金 items); empty = library's
    combined: bool = False  # a combined-judgement element (GB 35181 ch. 6): counts toward a CombinedRule, not major alone
    source_note: str = ""   # e.g. "条文据转载文本（…）整理，未见官方文本" where only a secondary copy was read


class CombinedRule(NamedTuple):
    number: str                 # e.g. "6.3.1"
    text: str                   # the rule in our words: which places, how many elements
    basis: str
    min_elements: int           # at least this many (以上包括本数)
    elements: tuple[str, ...]   # item numbers of combined elements that count toward this rule
    place_kinds: tuple[str, ...] = ()  # industry codes / place kinds the rule is about; empty = any


class Library(NamedTuple):
    code: str                   # checklist code, stable across versions (e.g. "gm_major", "gb35181")
    version: int                # 1, 2, ... (GB 35181-2017 and -2025 are versions of one code)
    name: str
    industries: tuple[str, ...]  # orgs.Industry codes it applies to (empty = every industry)
    basis: str                  # instrument, number, dates
    effective_from: datetime.date
    effective_to: datetime.date | None
    expected_count: int         # the instrument's own number of items (工贸: 64)
    items: tuple[Item, ...]
    combined_rules: tuple[CombinedRule, ...] = ()
    exclusions: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()  # (number, why) of items whose text could not be found
    notes: str = ""
