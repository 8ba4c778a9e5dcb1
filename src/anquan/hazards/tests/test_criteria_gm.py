"""工贸企业重大事故隐患判定标准 (应急管理部令第10号), checked against the order (pure data, no database).

The instrument's own structure (press release of 2023-04-19: 管理类3项, 行业类47项 of seven sectors,
专项类14项 of three fields, 64 in all) fixes what the library must account for: every item either read
and quoted, or listed as missing. The judgement table is written from the quoted texts; each row
cites the item it comes from. No test reads the clock: every date is an argument.
"""
from __future__ import annotations

import datetime
import re

import pytest

from anquan.hazards.catalogue_data import CATEGORIES
from anquan.hazards.criteria_libraries import gm_2023
from anquan.hazards.criteria_libraries.judge import applicable, in_force, item_applies, judge

LIB = gm_2023.LIBRARY
ORDER = "工贸企业重大事故隐患判定标准（应急管理部令第10号）"
D = datetime.date
CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
      "十一": 11, "十二": 12, "十三": 13}

# Items per article as the order has them, where the copies read show the article's end
# (the next article follows) or the press release fixes the total.
PER_ARTICLE_KNOWN = {3: 3, 5: 13, 6: 8, 10: 2, 11: 10, 12: 2, 13: 2}
INDUSTRY_ITEMS = 47  # 第四条至第十条
SECTOR_OF_ARTICLE = {4: "gm_metallurgy", 5: "gm_nonferrous", 6: "gm_building_materials", 7: "gm_machinery",
                     8: "gm_light", 9: "gm_textile", 10: "gm_tobacco"}
SEEDED = ("3.1", "3.2", "3.3", "11.1", "11.3", "11.10", "12.1", "12.2", "13.1", "13.2")


def _article(number: str) -> int:
    return int(number.split(".")[0])


def _exact_missing() -> list[str]:
    return [n for n, _ in LIB.missing if re.fullmatch(r"\d+\.\d+", n)]


def test_identity_dates_and_industries():
    assert (LIB.code, LIB.version, LIB.name) == ("gm_major", 1, "工贸企业重大事故隐患判定标准")
    assert LIB.industries == ("industry_trade", "gm_metallurgy", "gm_nonferrous", "gm_building_materials",
                              "gm_machinery", "gm_light", "gm_textile", "gm_tobacco", "gm_commerce")
    assert LIB.effective_from == D(2023, 5, 15) and LIB.effective_to is None
    assert ORDER in LIB.basis and "2023年5月15日起施行" in LIB.basis


def test_count_against_the_instrument():
    """64 = items read + items missing by number + the unnumbered rest of 第四、七、八、九条; never filled by guess."""
    assert LIB.expected_count == 64
    numbers = [i.number for i in LIB.items]
    exact = _exact_missing()
    assert len(set(numbers)) == len(numbers), "duplicate item numbers"
    assert len(set(exact)) == len(exact) and not set(exact) & set(numbers), "a number both read and missing"
    assert len(LIB.items) + len(exact) + gm_2023.UNNUMBERED_MISSING == LIB.expected_count
    # the articles whose length the copies show: read + missing is exactly the order's count, numbered 1…n
    for article, count in PER_ARTICLE_KNOWN.items():
        nums = sorted(int(n.split(".")[1]) for n in numbers + exact if _article(n) == article)
        assert nums == list(range(1, count + 1)), (article, nums)
    # 行业类: 47 over 第四条至第十条; what is not accounted by number is the unnumbered rest
    by_number = sum(1 for n in numbers + exact if 4 <= _article(n) <= 10)
    assert by_number + gm_2023.UNNUMBERED_MISSING == INDUSTRY_ITEMS
    # each open-range row says it stands for the unnumbered rest, and there is one per article with an unknown end
    open_rows = [(n, why) for n, why in LIB.missing if n not in exact]
    assert [n for n, _ in open_rows] == ["4.6起", "7.5起", "8.2起", "9.2起"]
    assert all(str(gm_2023.UNNUMBERED_MISSING) in why for _, why in open_rows)
    # within the other articles, numbers run from 1 without holes up to the last one known
    for article in (4, 7, 8, 9):
        nums = sorted(int(n.split(".")[1]) for n in numbers + exact if _article(n) == article)
        assert nums == list(range(1, len(nums) + 1)), (article, nums)
    # 商贸 has no article of its own: no item is restricted to it
    assert not any("gm_commerce" in i.industries for i in LIB.items)


def test_every_item_cites_the_order_exactly():
    codes = {row[0] for row in CATEGORIES}
    for item in LIB.items:
        m = re.fullmatch(re.escape(ORDER) + r"第([一二三四五六七八九十]+)条第（([一二三四五六七八九十]+)）项", item.basis)
        assert m, item.basis
        assert (CN[m.group(1)], CN[m.group(2)]) == tuple(int(p) for p in item.number.split(".")), item.number
        assert item.category in codes, (item.number, item.category)
        assert item.text and not item.text.endswith(("的", "；", "。")), item.number
        assert item.source_note, item.number  # every text was read in a secondary copy, and says where
        assert len({c.key for c in item.conditions}) == len(item.conditions)
    for number, why in LIB.missing:
        assert why, number


def test_sector_items_are_restricted_to_their_sector():
    for item in LIB.items:
        article = _article(item.number)
        if article in SECTOR_OF_ARTICLE:
            assert item.industries == (SECTOR_OF_ARTICLE[article],), item.number
        else:  # 第三条 and the 专项类 apply to every 工贸 enterprise of that kind
            assert item.industries == (), item.number


def test_seeded_numbers_are_kept():
    """Hazards recorded against the ten seeded items keep citing the same numbers."""
    numbers = {i.number for i in LIB.items}
    assert set(SEEDED) <= numbers


def test_the_bingqie_item_has_its_two_conditions():
    item = next(i for i in LIB.items if i.number == "13.1")
    assert "并且" in item.text
    assert [c.text for c in item.conditions] == ["未对有限空间进行辨识、建立安全管理台账", "未设置明显的安全警示标志"]
    # the "或者" items stay one item with no conditions
    assert all(not i.conditions for i in LIB.items if i.number != "13.1")


# (finding as item → answer, site industry, expected major, expected items, why — from the order's text)
JUDGEMENTS = [
    ({"11.3": True}, "gm_light", True, ("11.3",), "第十一条第（三）项：干式除尘系统未采取任一种爆炸防控措施，任何工贸行业"),
    ({"11.5": True}, "gm_commerce", True, ("11.5",), "第十一条第（五）项：重力沉降室除尘，商贸企业同样适用专项类"),
    ({"13.1": {"a"}}, "gm_machinery", False, (), "第十三条第（一）项“并且”：只有未辨识、未建台账，设有警示标志"),
    ({"13.1": {"b"}}, "gm_machinery", False, (), "第十三条第（一）项“并且”：已辨识建台账，只缺警示标志"),
    ({"13.1": {"a", "b"}}, "gm_machinery", True, ("13.1",), "第十三条第（一）项：两种情形同时存在"),
    ({"13.1": True}, "gm_textile", True, ("13.1",), "第十三条第（一）项：整项成立即各条件均具备"),
    ({"4.2": True}, "gm_metallurgy", True, ("4.2",), "第四条第（二）项：冶金企业生产期间事故坑积水"),
    ({"4.2": True}, "gm_textile", False, (), "第四条只适用于冶金企业：纺织企业不按第四条判定"),
    ({"10.1": True}, "gm_tobacco", True, ("10.1",), "第十条第（一）项：熏蒸作业场所未配备磷化氢监测报警仪器"),
    ({"10.1": True}, "gm_machinery", False, (), "第十条只适用于烟草企业"),
    ({"5.8": True}, "gm_nonferrous", True, ("5.8",), "第五条第（八）项：深井铸造固定式浇铸炉流槽未设紧急排放阀"),
    ({"6.7": True}, "gm_building_materials", True, ("6.7",), "第六条第（七）项：电熔制品电炉水冷设备失效"),
    ({"6.7": True}, "gm_light", False, (), "第六条只适用于建材企业"),
    ({"12.2": True}, "gm_commerce", True, ("12.2",), "第十二条第（二）项：速冻间作业人员超过9人，商贸冷库适用"),
    ({"3.2": True, "4.2": True}, "gm_textile", True, ("3.2",), "第三条适用于纺织企业，第四条不适用：只记第三条"),
    ({"3.3": False, "11.3": False}, "gm_metallurgy", False, (), "两项均未发现"),
    ({}, "gm_light", False, (), "未发现任何情形"),
    ({"4.5": True}, "gm_metallurgy", False, (), "第四条第（五）项原文未读到、未收录：不能据以判定（见缺失清单）"),
    # rows added with the second search (items not judged above)
    ({"7.1": True}, "gm_machinery", True, ("7.1",), "第七条第（一）项：休息室设在浇注跨地坪区域内，机械企业"),
    ({"7.1": True}, "gm_metallurgy", False, (), "第七条只适用于机械企业：冶金企业的人员聚集场所按第四条第（一）项判"),
    ({"3.1": True, "7.2": True}, "gm_machinery", True, ("3.1", "7.2"), "第三条第（一）项与第七条第（二）项同时成立，两项都记"),
    ({"5.6": True}, "gm_nonferrous", True, ("5.6",), "第五条第（六）项：深井铸造结晶器冷却水系统未设进水压力、流量监测报警"),
    ({"6.3": True}, "gm_building_materials", True, ("6.3",), "第六条第（三）项：电石渣原料筒型储库未设可燃气体浓度监测报警"),
    ({"10.2": True}, "gm_tobacco", True, ("10.2",), "第十条第（二）项：液态二氧化碳膨胀烟丝生产线未设二氧化碳浓度监测报警"),
    ({"11.7": True}, "gm_textile", True, ("11.7",), "第十一条第（七）项：20区电气设备不防爆，纺织企业同样适用专项类"),
    ({"12.1": True}, "industry_trade", True, ("12.1",), "第十二条第（一）项：只知是工贸企业、不知细分行业，专项类照样适用"),
    ({"6.1": True}, "industry_trade", False, (), "只知是工贸企业时不按任何行业类条款判定（第六条不猜行业）"),
    ({"7.4": True}, "gm_machinery", False, (), "第七条第（四）项只知其存在、原文未读到：不能据以判定（见缺失清单）"),
]


@pytest.mark.parametrize(("present", "industry", "major", "items", "why"), JUDGEMENTS,
                         ids=[f"{i}-{row[4][:12]}" for i, row in enumerate(JUDGEMENTS)])
def test_judgement_table(present, industry, major, items, why):
    verdict = judge(LIB, present, industry=industry)
    assert verdict.major is major, why
    assert verdict.items == items, why
    assert verdict.rule is None  # the order has no combined rules


def test_items_known_only_by_number_say_where_they_were_seen():
    """7.4 is known to exist from an enforcement report citing 第七条第（四）项; its text was not read."""
    why = dict(LIB.missing)
    assert "第七条第（四）项" in why["7.4"] and "原文未能读到" in why["7.4"]
    assert gm_2023.UNNUMBERED_MISSING == 13
    assert not any(i.number == "7.4" for i in LIB.items)


def test_one_condition_alone_says_what_is_lacking():
    verdict = judge(LIB, {"13.1": {"a"}}, industry="gm_light")
    assert not verdict.major
    assert any("13.1" in r and "未设置明显的安全警示标志" in r for r in verdict.reasons)


def test_applies_by_day_and_industry():
    assert not in_force(LIB, D(2023, 5, 14)) and in_force(LIB, D(2023, 5, 15)) and in_force(LIB, D(2026, 11, 22))
    assert applicable([LIB], industry="gm_textile", found_on=D(2023, 5, 14)) == []
    assert applicable([LIB], industry="gm_textile", found_on=D(2023, 5, 15)) == [LIB]
    assert applicable([LIB], industry="industry_trade", found_on=D(2024, 1, 2)) == [LIB]
    assert applicable([LIB], industry="construction", found_on=D(2024, 1, 2)) == []
    assert applicable([LIB], industry=None, found_on=D(2024, 1, 2)) == []
    metallurgy_item = next(i for i in LIB.items if i.number == "4.1")
    assert item_applies(metallurgy_item, "gm_metallurgy") and not item_applies(metallurgy_item, "gm_textile")
    # a site only known as "工贸" (no sub-sector) is judged by the items for every 工贸 enterprise only
    assert not item_applies(metallurgy_item, "industry_trade")
    assert item_applies(next(i for i in LIB.items if i.number == "11.1"), "industry_trade")


def test_the_registry_takes_this_library_in_place_of_the_thin_seed():
    from anquan.hazards.criteria_libraries import registry

    lib = registry.get("gm_major", 1)
    assert lib is not None and len(lib.items) == len(LIB.items) and lib.items == LIB.items


def test_article_14_is_quoted_but_not_counted_among_the_64():
    art = gm_2023.ARTICLE_14
    assert art.basis == ORDER + "第十四条"
    assert "失效或者无效均判定为重大事故隐患" in art.text and art.source_note
    assert art.number not in {i.number for i in LIB.items}  # 3 + 47 + 14 = 64 without it
    assert "第十四条" in LIB.notes
