"""The sector criteria libraries, checked against their instruments (pure data, no database).

城镇燃气经营 (建城规〔2023〕4号), 房屋市政工程 2024版 (建质规〔2024〕5号), 化工和危险化学品 and 烟花爆竹
(安监总管三〔2017〕121号). Counts are the instruments' own; the judgement table is written from the
texts: every expected outcome below cites the article it comes from. No test reads the clock: every
date is an argument.
"""
from __future__ import annotations

import datetime
import re

import pytest

from anquan.hazards.catalogue_data import CATEGORIES
from anquan.hazards.criteria_libraries import construction_2024, fireworks_2017, gas_2023, hazchem_2017
from anquan.hazards.criteria_libraries.judge import applicable, in_force, judge

GAS = gas_2023.LIBRARY
CONSTRUCTION = construction_2024.LIBRARY
HAZCHEM = hazchem_2017.LIBRARY
FIREWORKS = fireworks_2017.LIBRARY
ALL = (GAS, CONSTRUCTION, HAZCHEM, FIREWORKS)
D = datetime.date

# (library, instrument number, items the instrument has, how they are numbered)
INSTRUMENTS = [
    # 第四条5 + 第五条5 + 第六条3 + 第七条3 + 第八条(整条)1 + 第九条4 + 第十条(整条)1
    (GAS, "建城规〔2023〕4号", 22, {"4": 5, "5": 5, "6": 3, "7": 3, "8": 1, "9": 4, "10": 1}),
    # 第四条5 第五条4 第六条4 第七条3 第八条9 第九条5 第十条2 第十一条4 第十二条2 第十三条7 第十四条3 第十五条3 + 第十六、十七条整条
    (CONSTRUCTION, "建质规〔2024〕5号", 53, {"4": 5, "5": 4, "6": 4, "7": 3, "8": 9, "9": 5, "10": 2, "11": 4, "12": 2,
                                           "13": 7, "14": 3, "15": 3, "16": 1, "17": 1}),
    (HAZCHEM, "安监总管三〔2017〕121号", 20, None),
    (FIREWORKS, "安监总管三〔2017〕121号", 20, None),
]


@pytest.mark.parametrize(("lib", "doc", "count", "per_article"), INSTRUMENTS, ids=lambda v: getattr(v, "code", None))
def test_count_against_the_instrument(lib, doc, count, per_article):
    assert lib.expected_count == count
    assert len(lib.items) == count, f"{lib.code}: {len(lib.items)} of {count}; missing {lib.missing}"
    assert lib.missing == ()  # every item's text was found
    numbers = [i.number for i in lib.items]
    assert len(set(numbers)) == len(numbers), "duplicate item numbers"
    if per_article is None:  # numbered 一 … 二十 in one list
        assert numbers == [str(n) for n in range(1, count + 1)]
    else:
        by_article: dict[str, list[str]] = {}
        for n in numbers:
            article, _, item = n.partition(".")
            by_article.setdefault(article, []).append(item)
        assert {a: len(v) for a, v in by_article.items()} == per_article
        for article, items in by_article.items():
            if items != [""]:  # a whole-article criterion has no item number
                assert items == [str(k) for k in range(1, len(items) + 1)], article


@pytest.mark.parametrize(("lib", "doc", "count", "per_article"), INSTRUMENTS, ids=lambda v: getattr(v, "code", None))
def test_every_item_cites_the_instrument_exactly(lib, doc, count, per_article):
    codes = {row[0] for row in CATEGORIES}
    assert doc in lib.basis
    for item in lib.items:
        assert doc in item.basis, item.number
        if lib in (HAZCHEM, FIREWORKS):
            assert re.search(r"第[一二三四五六七八九十]+项$", item.basis), item.basis
        elif "." in item.number:
            assert re.search(r"第[一二三四五六七八九十]+条第（[一二三四五六七八九十]+）项$", item.basis), item.basis
        else:
            assert re.search(r"第[一二三四五六七八九十]+条$", item.basis), item.basis
        assert item.category in codes, (item.number, item.category)
        assert item.text and item.source_note  # every one was read in a secondary copy, and says so
        for cond in item.conditions:
            assert cond.key and cond.text
        assert len({c.key for c in item.conditions}) == len(item.conditions)


def test_dates_and_industries_from_the_texts():
    assert (GAS.code, GAS.version, GAS.industries) == ("gas_major", 1, ("gas",))
    assert GAS.effective_from == D(2023, 9, 21) and GAS.effective_to is None  # 第十一条：自发布之日起执行
    assert "燃气经营者" in GAS.notes
    assert (CONSTRUCTION.code, CONSTRUCTION.version, CONSTRUCTION.industries) == ("construction_major", 2, ("construction",))
    assert CONSTRUCTION.effective_from == D(2024, 12, 13)  # 第十八条：自发布之日起执行
    assert "建质规〔2022〕2号同时废止" in CONSTRUCTION.basis
    for lib, code in ((HAZCHEM, "hazchem_major"), (FIREWORKS, "fireworks_major")):
        assert (lib.code, lib.version, lib.effective_from) == (code, 1, D(2017, 11, 13))
    assert HAZCHEM.industries == ("hazchem",) and FIREWORKS.industries == ("fireworks",)


def test_the_并且_items_are_the_ones_the_texts_join():
    with_conditions = {lib.code: {i.number for i in lib.items if i.conditions} for lib in ALL}
    assert with_conditions["gas_major"] == {"6.2", "9.1", "9.2", "9.3", "9.4", "10"}
    assert with_conditions["construction_major"] == {"5.2", "5.4", "9.3", "10.2", "11.1", "13.2", "17"}
    assert with_conditions["hazchem_major"] == {"9", "10"}
    assert with_conditions["fireworks_major"] == set()


# (case, library, findings, industry, expected major, expected direct items)
JUDGEMENTS = [
    # 燃气 第五条第（五）项：可达爆炸下限20%的区域无固定式报警装置
    ("gas 5.5 no fixed gas alarm", GAS, {"5.5": True}, "gas", True, ("5.5",)),
    # 燃气 第九条：用户端情形本身不够，须经营者检查后未书面告知整改
    ("gas 9.2 riser in bathroom, user was told in writing", GAS, {"9.2": {"a"}}, "gas", False, ()),
    ("gas 9.2 riser in bathroom, not told", GAS, {"9.2": {"a", "b"}}, "gas", True, ("9.2",)),
    # 燃气 第六条第（二）项：确需穿过且已有效防护的除外
    ("gas 6.2 pipe in cable trench, protected exception", GAS, {"6.2": {"a"}}, "gas", False, ()),
    ("gas 8 unodorised gas", GAS, {"8": True}, "gas", True, ("8",)),
    ("gas 10 serious breach without real danger", GAS, {"10": {"a"}}, "gas", False, ()),
    # 房屋市政 第五条第（四）项：坍塌预兆 + 未及时处理
    ("construction 5.4 warning sign handled in time", CONSTRUCTION, {"5.4": {"a"}}, "construction", False, ()),
    ("construction 5.4 warning sign not handled", CONSTRUCTION, {"5.4": {"a", "b"}}, "construction", True, ("5.4",)),
    # 第九条第（三）项：未设在稳定主体结构上，且未可靠连接
    ("construction 9.3 only unreliable connection", CONSTRUCTION, {"9.3": {"b"}}, "construction", False, ()),
    ("construction 8.5 cracked main member", CONSTRUCTION, {"8.5": True}, "construction", True, ("8.5",)),
    ("construction 15.3 lifting people with a tower crane", CONSTRUCTION, {"15.3": True, "4.1": False},
     "construction", True, ("15.3",)),
    ("construction 10.2 too close to overhead line but protected", CONSTRUCTION, {"10.2": {"a"}}, "construction", False, ()),
    ("construction 17 real danger but no serious breach", CONSTRUCTION, {"17": {"b"}}, "construction", False, ()),
    # 化工 第十项：未经正规设计 且 未做安全设计诊断
    ("hazchem 10 undesigned but diagnosed", HAZCHEM, {"10": {"a"}}, "hazchem", False, ()),
    ("hazchem 10 undesigned and not diagnosed", HAZCHEM, {"10": True}, "hazchem", True, ("10",)),
    ("hazchem 9 line crosses but meets the standard", HAZCHEM, {"9": {"a"}}, "hazchem", False, ()),
    ("hazchem 6 no water injection on pressurised LPG tank", HAZCHEM, {"6": True}, "hazchem", True, ("6",)),
    # 烟花爆竹 第五项：滞留药量超核定药量；第二十项：零售点与住宅同楼
    ("fireworks 5 over the approved charge", FIREWORKS, {"5": True}, "fireworks", True, ("5",)),
    ("fireworks 20 shop in a dwelling building", FIREWORKS, {"20": True, "4": False}, "fireworks", True, ("20",)),
    ("fireworks nothing present", FIREWORKS, {"4": False, "7": False}, "fireworks", False, ()),
]


@pytest.mark.parametrize(("case", "lib", "present", "industry", "major", "items"), JUDGEMENTS, ids=[j[0] for j in JUDGEMENTS])
def test_judgement_table(case, lib, present, industry, major, items):
    verdict = judge(lib, present, industry=industry)
    assert verdict.major is major, verdict.reasons
    assert verdict.items == items
    assert verdict.rule is None
    if not major and any(isinstance(v, set) for v in present.values()):
        assert any("须同时具备" in r and "缺少" in r for r in verdict.reasons), verdict.reasons


def test_which_library_judges_by_day_and_industry():
    libs = list(ALL)
    # a gas operator's hazard is judged by the gas criteria only, from 2023-09-21
    assert applicable(libs, industry="gas", found_on=D(2023, 9, 21)) == [GAS]
    assert applicable(libs, industry="gas", found_on=D(2023, 9, 20)) == []
    # the 2024 construction criteria apply from 2024-12-13, not the day before
    assert applicable(libs, industry="construction", found_on=D(2024, 12, 13)) == [CONSTRUCTION]
    assert not in_force(CONSTRUCTION, D(2024, 12, 12))
    # 121号: 化工 criteria for hazchem sites, 烟花爆竹 criteria for fireworks sites, never crossed
    assert applicable(libs, industry="hazchem", found_on=D(2025, 10, 31)) == [HAZCHEM]
    assert applicable(libs, industry="fireworks", found_on=D(2025, 10, 31)) == [FIREWORKS]
    assert applicable(libs, industry="fireworks", found_on=D(2017, 11, 12)) == []
    assert applicable(libs, industry="industry_trade", found_on=D(2025, 10, 31)) == []
    assert applicable(libs, industry=None, found_on=D(2025, 10, 31)) == []


def test_registry_finds_the_sector_modules():
    registry = pytest.importorskip("anquan.hazards.criteria_libraries.registry")  # helper A's module

    keys = {(lib.code, lib.version) for lib in registry.discover()}
    assert {("gas_major", 1), ("construction_major", 2), ("hazchem_major", 1), ("fireworks_major", 1)} <= keys
