"""The fire libraries GB 35181-2017 and GB 35181-2025, checked against the standards (pure data, no database).

The 2017 count is the standard's own (10 direct + 39 combined elements = 49); what could not be read is
listed by number in ``missing``, never filled by guess. The 2025 text could not be found at all: its
library is empty and says so. Every judgement below cites the clause its expected outcome comes from.
No test reads the clock: every date is an argument.
"""
from __future__ import annotations

import datetime

import pytest

from anquan.hazards.catalogue_data import CATEGORIES
from anquan.hazards.criteria_libraries import fire_2017, fire_2025, registry
from anquan.hazards.criteria_libraries.judge import applicable, in_force, judge

V2017 = fire_2017.LIBRARY
V2025 = fire_2025.LIBRARY
D = datetime.date


# --- counts and shape ------------------------------------------------------------------------------------

def test_2017_count_against_the_standard():
    direct = [i for i in V2017.items if not i.combined]
    combined = [i for i in V2017.items if i.combined]
    assert V2017.expected_count == 49  # 第6章 10 + 第7章 39
    assert [i.number for i in direct] == [f"6.{n}" for n in range(1, 11)]  # every direct element was found
    assert len(combined) + len([m for m in V2017.missing if m[0].startswith("7.")]) == 39
    assert len(V2017.items) + len(V2017.missing) == V2017.expected_count, V2017.missing
    assert len(V2017.items) == 26  # 10 direct + 16 combined found; the rest is listed as missing


def test_2017_numbers_follow_the_standard_and_do_not_repeat():
    numbers = [i.number for i in V2017.items] + [m[0] for m in V2017.missing]
    assert len(numbers) == len(set(numbers)), "duplicate numbers (or an item both present and missing)"
    for item in V2017.items:
        chapter = item.number.split(".")[0]
        assert chapter == ("7" if item.combined else "6"), item.number  # ch. 6 direct, ch. 7 combined
    # section 7.3 is numbered without gaps: 7.3.1–7.3.7 present, 7.3.8–7.3.12 missing
    sec73 = sorted(int(n.split(".")[2]) for n in numbers if n.startswith("7.3."))
    assert sec73 == list(range(1, 13))


def test_2017_every_item_cites_the_standard_and_a_known_category():
    codes = {row[0] for row in CATEGORIES}
    for item in V2017.items:
        assert item.basis == f"GB 35181-2017《重大火灾隐患判定方法》第{item.number}条", item.number
        assert item.category in codes, item.number
        assert item.source_note, f"{item.number}: read only in a secondary copy, the note must say so"
        assert item.industries == ()  # the library applies to any site
    for rule in V2017.combined_rules:
        assert "GB 35181-2017" in rule.basis
        by_number = {i.number: i for i in V2017.items}
        assert all(by_number[e].combined for e in rule.elements), "a rule counts combined elements only"


def test_2017_thresholds_are_kept():
    text = {i.number: i.text for i in V2017.items}
    assert "75%" in text["6.2"] and "80%" in text["6.5"] and "GB 50156" in text["6.3"]
    assert "80%" in text["7.1.2"] and "50%" in text["7.2.1"] and "50%" in text["7.2.2"]
    assert "125%" in text["7.3.5"] and "30%" in text["7.3.6"] and "50%" in text["7.3.6"]
    assert "20%" in text["7.3.7"] and "50%" in text["7.3.7"]
    assert "GB 8624" in text["6.10"] and "A级" in text["6.10"] and "GA 703" in text["7.1.3"]


def test_2017_exclusions_of_5_1_3():
    assert len(V2017.exclusions) == 4
    assert [e.split("：")[0] for e in V2017.exclusions] == ["第5.1.2条", "第5.1.3条a)", "第5.1.3条b)", "第5.1.3条c)"]


def test_2025_text_not_found_is_said_not_guessed():
    assert V2025.code == "gb35181" and V2025.version == 2
    assert V2025.items == () and V2025.combined_rules == () and V2025.exclusions == ()
    assert V2025.expected_count is None  # unknown, not zero
    assert {m[0] for m in V2025.missing} == {"第5章", "第6章"}
    assert "未能找到" in V2025.notes and "4.2" in V2025.notes and "附录A" in V2025.notes
    # no thin item is repointed to a 2025 number that was never read
    assert set(fire_2025.THIN_V1_TO_2025) == {str(n) for n in range(1, 9)}
    assert all(v is None for v in fire_2025.THIN_V1_TO_2025.values())
    assert set(fire_2017.THIN_V1_TO_2017.values()) <= {i.number for i in V2017.items}


def test_2025_what_was_read_is_recorded_and_no_interim_is_invented():
    assert fire_2025.TEXT_FOUND is False
    assert fire_2025.PUBLISHED_ON == D(2025, 4, 25) and V2025.effective_from == D(2025, 11, 1)
    assert fire_2025.CHAPTERS == ("3 术语和定义", "4 判定规则", "5 直接判定要素", "6 综合判定要素", "附录A")
    assert "fire114.cn" in fire_2025.__doc__ and "fire114.cn" not in V2025.basis  # the head stays as published
    assert "过渡" in V2025.notes and "负责人" in V2025.notes and "2025年4月25日" in V2025.notes
    # the direct elements' number was announced (10 → 30), the combined ones' not: the total stays unknown
    assert fire_2025.DIRECT_ELEMENTS_COUNT == 30 and V2025.expected_count is None
    assert "30项" in dict(V2025.missing)["第5章"] and "综合判定要素条数未公布" in V2025.notes
    # no 2025 clause number may stand in for the unread text: not the 2017 numbers, not guessed 5.x / 6.x ones
    for guess in ("5.1", "5.10", "6.1", "6.3.1", "A.1", "1", "8"):
        assert judge(V2025, {guess: True}, place_kind="crowded").major is False


def test_2025_combined_judgement_cannot_fire_while_the_text_is_unread():
    # six findings that would be combined elements under 2017 numbering, in a 人员密集场所: the 2025 library has no
    # combined rule (ch. 6 unread), so it neither names a rule nor calls the hazard major
    findings = dict.fromkeys(("7.3.1", "7.3.2", "7.3.3", "7.3.4", "7.5", "7.7.2"), True)
    verdict = judge(V2025, findings, industry="crowded", place_kind="crowded")
    assert (verdict.major, verdict.items, verdict.rule) == (False, (), None)
    # the same findings a day earlier, under GB 35181-2017, are major by its 人员密集场所 rule
    assert judge(V2017, findings, industry="crowded", place_kind="crowded").rule == "5.3.3（人员密集场所）"


FIRE_CODES = ("gb35181", "gb35181_2017")


@pytest.mark.parametrize("lib", registry.discover(), ids=lambda lib: f"{lib.code}-v{lib.version}")
def test_every_library_holds_no_more_than_its_instrument(lib):
    """Generic count check over every library of the registry: items + listed missing never exceed the instrument's
    own count; for the fire libraries they must equal it. An unknown count (None) is skipped, and says why."""
    if lib.expected_count is None:
        pytest.skip(f"{lib.code} v{lib.version}（{lib.name}）：原文条数未知（条文未能读到），不能按条数核对；缺失见 missing/notes")
    assert len(lib.items) + len(lib.missing) <= lib.expected_count, (lib.code, lib.version)
    if lib.code in FIRE_CODES:
        assert len(lib.items) + len(lib.missing) == lib.expected_count, (lib.code, lib.version, lib.missing)


def test_only_the_unread_2025_standard_has_an_unknown_count():
    unknown = [(lib.code, lib.version) for lib in registry.discover() if lib.code in FIRE_CODES and lib.expected_count is None]
    assert unknown == ([] if fire_2025.TEXT_FOUND else [("gb35181", 2)])
    assert V2017.expected_count == 49 and registry.get("gb35181_2017", 1) is not None


# --- dates --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("found_on", "expected"), [
    (D(2018, 6, 30), []),                      # before GB 35181-2017 took effect
    (D(2018, 7, 1), [("gb35181_2017", 1)]),
    (D(2025, 10, 31), [("gb35181_2017", 1)]),  # the last day of the 2017 standard
    (D(2025, 11, 1), [("gb35181", 2)]),        # GB 35181-2025 from its first day
    (D(2026, 11, 22), [("gb35181", 2)]),
])
@pytest.mark.parametrize("industry", [None, "crowded", "industry_trade", ("gm_metallurgy", "industry_trade")])
def test_the_version_in_force_on_the_day_found(found_on, expected, industry):
    got = applicable([V2017, V2025], industry=industry, found_on=found_on)
    assert [(lib.code, lib.version) for lib in got] == expected


def test_2017_dates_are_read_not_assumed():
    assert (V2017.effective_from, V2017.effective_to) == (D(2018, 7, 1), D(2025, 10, 31))
    assert "自2018年7月1日起正式实施" in V2017.notes and "存疑）；2025" not in V2017.notes


def test_in_force_edges():
    assert in_force(V2017, D(2025, 10, 31)) and not in_force(V2017, D(2025, 11, 1))
    assert not in_force(V2025, D(2025, 10, 31)) and in_force(V2025, D(2025, 11, 1))


# --- judgements written from the text -------------------------------------------------------------------

CASES = [
    # (case, findings, place kind, major?, direct items that hold, rule that fired)
    ("6.5 商店安全出口总净宽度只有规定值的75%（不足80%）", {"6.5": True}, "crowded", True, ("6.5",), None),
    ("6.4 甲类仓库设在地下室：任何场所直接判定", {"6.4": True}, None, True, ("6.4",), None),
    ("6.6 旅馆未设自动喷水灭火系统", {"6.6": True}, "crowded", True, ("6.6",), None),
    ("6.10 居住场所用彩钢夹芯板搭建，但芯材等级未查明（只具备a）：不直接判定",
     {"6.10": {"a"}}, "crowded", False, (), None),
    ("6.10 芯材低于A级但不是彩钢板搭建的居住场所（只具备b）", {"6.10": {"b"}}, "crowded", False, (), None),
    ("6.10 彩钢夹芯板居住场所且芯材低于A级（a、b同时具备）", {"6.10": {"a", "b"}}, "crowded", True, ("6.10",), None),
    ("7.7.2 火灾自动报警系统不能正常运行，单独一条综合要素不构成重大", {"7.7.2": True}, "crowded", False, (), None),
    ("人员密集场所 7.3.2+7.3.3+7.3.5 三条（3条以上含本数）", {"7.3.2": True, "7.3.3": True, "7.3.5": True},
     "crowded", True, (), "5.3.3（人员密集场所）"),
    ("人员密集场所 7.3.2+7.3.3 两条：少一条，不构成", {"7.3.2": True, "7.3.3": True}, "crowded", False, (), None),
    ("学校（人员密集场所）7.3.1+7.3.4+7.3.7 三条", {"7.3.1": True, "7.3.4": True, "7.3.7": True},
     "school", True, (), "5.3.3（人员密集场所）"),
    ("同样三条在危化场所：人员密集场所规则不适用（该场所类别的规则未读到，不凭记忆补）",
     {"7.3.2": True, "7.3.3": True, "7.3.5": True}, "hazchem", False, (), None),
    ("人员密集场所 7.3.4+7.3.6 加 7.5 防排烟设施不能正常使用：7.5在人员密集场所要素之列，计3条",
     {"7.3.4": True, "7.3.6": True, "7.5": True}, "crowded", True, (), "5.3.3（人员密集场所）"),
    ("人员密集场所 7.3.1+7.3.2 加 7.7.2：7.7.2不在人员密集场所一项的要素之列，只计2条",
     {"7.3.1": True, "7.3.2": True, "7.7.2": True}, "crowded", False, (), None),
    ("7.1.3 在厂房设员工宿舍但符合GA 703（只具备a）：不计为综合要素，两条不够",
     {"7.1.3": {"a"}, "7.3.2": True, "7.3.3": True}, "crowded", False, (), None),
    ("不在本库的条号与答“否”的条目都不算", {"9.9": True, "6.1": False}, "crowded", False, (), None),
    ("人员密集场所 7.3.6+7.3.7+7.5（疏散指示损坏率超限、楼梯间门损坏率超限、防排烟不能使用）",
     {"7.3.6": True, "7.3.7": True, "7.5": True}, "crowded", True, (), "5.3.3（人员密集场所）"),
    ("人员密集场所 7.1.1+7.2.2+7.7.2：三条都不在人员密集场所一项的要素之列，该项不计",
     {"7.1.1": True, "7.2.2": True, "7.7.2": True}, "crowded", False, (), None),
    ("场所类别未知：人员密集场所一项只对人员密集场所适用", {"7.3.2": True, "7.3.3": True, "7.3.5": True},
     None, False, (), None),
    ("出租房不等同人员密集场所（见本库说明），同样三条不按人员密集场所一项计",
     {"7.3.2": True, "7.3.3": True, "7.3.5": True}, "rental", False, (), None),
    ("三条中一条答“否”：只具备两条", {"7.3.2": True, "7.3.3": True, "7.3.5": False}, "crowded", False, (), None),
    ("直接判定要素与综合判定要素同时存在：6.4 单独即为重大，综合要素不另计规则",
     {"6.4": True, "7.3.2": True}, "hazchem", True, ("6.4",), None),
    ("6.2 易燃易爆场所与居住场所在同一建筑内（任一情形即可，“或者”不是“并且”）", {"6.2": True}, None, True, ("6.2",), None),
]


@pytest.mark.parametrize(("case", "findings", "place", "major", "items", "rule"), CASES, ids=[c[0] for c in CASES])
def test_judgements_under_the_2017_standard(case, findings, place, major, items, rule):
    verdict = judge(V2017, findings, industry=place, place_kind=place)
    assert verdict.major is major, verdict.reasons
    assert verdict.items == items
    assert verdict.rule == rule


def test_the_crowded_rule_counts_the_standards_elements_it_can():
    rule, = V2017.combined_rules
    assert rule.min_elements == 3 and set(rule.place_kinds) == {"crowded", "school"}
    assert set(rule.elements) <= set(fire_2017.CROWDED_RULE_ELEMENTS_IN_STANDARD)
    unread = set(fire_2017.CROWDED_RULE_ELEMENTS_IN_STANDARD) - set(rule.elements)
    assert unread == {"7.3.8", "7.3.9", "7.9.3"} and unread <= {m[0] for m in V2017.missing}


def test_a_missing_condition_is_named_in_the_reasons():
    verdict = judge(V2017, {"6.10": {"a"}}, place_kind="crowded")
    assert not verdict.major
    assert any("GB 8624" in r for r in verdict.reasons)


def test_a_hazard_found_on_2025_10_31_is_judged_by_the_2017_rules():
    findings = {"6.5": True}
    libs = applicable([V2017, V2025], industry="crowded", found_on=D(2025, 10, 31))
    assert [lib.code for lib in libs] == ["gb35181_2017"]
    assert judge(libs[0], findings, place_kind="crowded").items == ("6.5",)
    # the next day the 2025 library applies, and (its text not being read) it cannot call anything major
    libs = applicable([V2017, V2025], industry="crowded", found_on=D(2025, 11, 1))
    assert [lib.code for lib in libs] == ["gb35181"]
    assert judge(libs[0], findings, place_kind="crowded").major is False
