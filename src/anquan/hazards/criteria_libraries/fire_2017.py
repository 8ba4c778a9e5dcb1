"""GB 35181-2017《重大火灾隐患判定方法》: the fire library in force until GB 35181-2025 replaced it.

A national standard, not a legal text: every element below is written in our own words, faithful to
its meaning and to every threshold (75% of the required separation, 80% of the required exit width,
50% of a compartment's area, 125% of the travel distance, 30%/50% damage rates …). Numbering follows
the standard: "6.5" = clause 6.5 (direct element), "7.3.2" = clause 7.3.2 (combined element).

No official text was read; only secondary copies, each clause from the copies named in its
``source_note``:

- 5.1.2, 5.1.3 (general requirement, exclusions), 5.2, 5.3.1–5.3.2 (steps): a reprint titled
  "重大火灾隐患判定方法表" (http://www.boteman.cn/paper/497150972.html) and the exam digest at
  https://233.com/cfe/zhishiku/1139/202408/21153408935458.html;
- 6.1–6.10: https://233.com/cfe/zhishiku/1139/202408/21153408935458.html (6.1–6.6) and
  http://www.uianet.net/dictionary/b5494504.html (all ten, with GB 50156 / GB 8624 named);
- 7.1.1–7.3.7: the 建标库 reprint of chapter 7 (http://www.jianbiaoku.com/webarbs/book/109784/3234348.shtml,
  cut off inside 7.3.6), with 7.3.1–7.3.6 complete in the 希赛 digest http://ntxkf.cn/xfgcs/2296807.html
  (which lists 7.3.7 seventh, cut off at its thresholds: 20%/50% read in the hazard library page
  http://yinhuan.net/zhongda/509.html);
- 7.5 and 7.7.2: the explained exam answers at http://www.meibinglu.com/cfe/jingyan/201802/02103452096.html;
- the combined rule for 人员密集场所 (5.3.3, "3 条以上（含本数）"): the 希赛 digest above, and its
  element list (7.3.1–7.3.9, 7.5, 7.9.3) from the explained exam answer at
  https://m.niusouti.com/yijixiaofang/qSBXzUU.html (quoting the 消防工程师 textbook's rule).

Everything else of chapter 7 and of 5.3.3 could not be read and is listed in ``MISSING`` / the notes.

A second search (helper C2, 2026-12-03; pages, docs, code and issues corpora, exact-phrase look-ups in public
code, hazard-library, exam and 宣贯 pages) found no further clause text: stored web pages are readable only from
their beginning, and every copy of chapter 7 found (建标库 m./www. pages, 希赛, 233.com, 文都, 题库) breaks off
before 7.3.8. It found two corroborations, neither adding an element: a question bank
(https://m.1wenmi.com/doc/709402.html) repeats the 人员密集场所 rule's element range (7.3.1～7.3.9、7.5、7.9.3, "条以上
（含本数，下同）", the "下同" showing that further place rules follow), and the textbook rule quoted at niusouti.com names
the sections "(3)安全疏散设施及灭火救援条件", "(5)防烟排烟设施" and "(9)其他", so chapter 7 has nine sections with 7.9
"其他" — the number of clauses in 7.4 and 7.6–7.9 is still not confirmed by any copy. The start date
2018-07-01 is now read in a reprinted report (http://198.12.123.165:9000/Writing/6804096.html: "自2018年7月1日起正式
实施"); 2025-11-01 as the day GB 35181-2025 replaces it is read in that standard's foreword (see fire_2025).
"""
from __future__ import annotations

import datetime

from . import CombinedRule, Condition, Item, Library

STD = "GB 35181-2017《重大火灾隐患判定方法》"

_SRC_DIRECT = ("条文据转载文本整理（233.com 消防工程师知识库、uianet.net 词条），未见官方文本")
_SRC_CH7 = ("条文据建标库转载（jianbiaoku.com book/109784 第7章）整理，未见官方文本")
_SRC_CH7_XISAI = ("条文据建标库转载（第7章，止于7.3.6中段）并以希赛网消防工程师辅导（ntxkf.cn/xfgcs/2296807）补全，"
                  "未见官方文本")
_SRC_7_3_7 = ("条号据希赛网辅导（ntxkf.cn/xfgcs/2296807，人员密集场所要素第7条，阈值处截断），阈值据隐患库转载"
              "（yinhuan.net/zhongda/509.html，与7.3.5、7.3.6并列）整理，未见官方文本")
_SRC_EXAM = ("据考试真题解析转载（meibinglu.com 2018-02）所引条号和要点整理，条文全文未见")


def _basis(clause: str) -> str:
    return f"{STD}第{clause}条"


def _d(number, text, category, source_note=_SRC_DIRECT, conditions=()):
    return Item(number=number, text=text, basis=_basis(number), category=category,
                conditions=tuple(conditions), source_note=source_note)


def _c(number, text, category, source_note=_SRC_CH7, conditions=()):
    return Item(number=number, text=text, basis=_basis(number), category=category,
                conditions=tuple(conditions), combined=True, source_note=source_note)


# --- 第6章 直接判定要素（任一条即判定为重大火灾隐患） ---
DIRECT = (
    _d("6.1", "易燃易爆危险品的生产、储存、装卸工厂、仓库，或其专用车站、码头、储罐区，没有设在城市边缘或相对独立的安全地带",
       "WH01"),
    _d("6.2", "生产、储存或经营易燃易爆危险品的场所与人员密集场所、居住场所在同一座建筑物内，"
              "或者与人员密集场所、居住场所之间的防火间距不足国家工程建设消防技术标准规定值的75%", "WH01"),
    _d("6.3", "城市建成区内的加油站、天然气或液化石油气加气站、加油加气合建站，储量已达到或超过GB 50156对一级站的规定",
       "WH01"),
    _d("6.4", "甲类、乙类生产场所或仓库设在建筑的地下室或半地下室", "WH01"),
    _d("6.5", "公共娱乐场所、商店、地下人员密集场所的安全出口数量不够，或者安全出口总净宽度不足国家工程建设消防技术标准规定值的80%",
       "XF02"),
    _d("6.6", "旅馆、公共娱乐场所、商店、地下人员密集场所没有按国家工程建设消防技术标准设置自动喷水灭火系统或火灾自动报警系统"
              "（已设置但不能正常运行的，不属本条）", "XF01"),
    _d("6.7", "易燃、可燃液体储罐（区）或可燃气体储罐（区）没有按国家工程建设消防技术标准设置固定灭火、冷却、"
              "可燃气体浓度报警或火灾报警设施", "XF01"),
    _d("6.8", "在人员密集场所违反消防安全规定使用、储存或销售易燃易爆危险品", "XF04"),
    _d("6.9", "托儿所、幼儿园的儿童用房或老年人活动场所，所在楼层位置不符合国家工程建设消防技术标准", "XF02"),
    _d("6.10", "人员密集场所的居住场所用彩钢夹芯板搭建，并且夹芯板芯材的燃烧性能等级低于GB 8624规定的A级", "XF05",
       conditions=(
           Condition("a", "人员密集场所内的居住场所采用彩钢夹芯板搭建"),
           Condition("b", "所用彩钢夹芯板芯材的燃烧性能等级低于GB 8624规定的A级"),
       )),
)

# --- 第7章 综合判定要素（单独一条不构成重大火灾隐患，按5.3.3计数） ---
COMBINED = (
    # 7.1 总平面布置
    _c("7.1.1", "没有按国家工程建设消防技术标准或城市消防规划的要求设置消防车道，或者消防车道被堵塞、占用", "XF02"),
    _c("7.1.2", "建筑之间原有的防火间距被占用，或者不足国家工程建设消防技术标准规定值的80%；"
                "或者明火地点、散发火花地点与易燃易爆生产厂房、装置设备之间的防火间距小于标准规定值", "XF05"),
    _c("7.1.3", "在厂房、库房、商场内设置员工宿舍，或在住宅等民用建筑内从事生产、储存、经营等活动，并且不符合GA 703的规定",
       "XF05", conditions=(
           Condition("a", "在厂房、库房、商场内设置员工宿舍，或者在居住等民用建筑内从事生产、储存、经营等活动"),
           Condition("b", "上述设置或活动不符合GA 703的规定"),
       )),
    _c("7.1.4", "地下车站的站厅乘客疏散区、站台或疏散通道内设有商业经营活动场所", "XF02"),
    # 7.2 防火分隔
    _c("7.2.1", "改变原有防火分区，致使实际防火分区的建筑面积大于国家工程建设消防技术标准规定值的50%（按原文表述）", "XF05"),
    _c("7.2.2", "防火门、防火卷帘等防火分隔设施损坏的数量，超过该防火分区同类防火分隔设施总数的50%", "XF01"),
    _c("7.2.3", "丙类、丁类、戊类厂房内有火灾或爆炸危险的部位，没有采取防火分隔等防火防爆技术措施", "XF05"),
    # 7.3 安全疏散设施及灭火救援条件（7.3.8起未能读到，见 MISSING）
    _c("7.3.1", "建筑内避难走道、避难间、避难层的设置不符合国家工程建设消防技术标准，或者避难走道、避难间、避难层被占用",
       "XF02", _SRC_CH7_XISAI),
    _c("7.3.2", "人员密集场所内疏散楼梯间的设置形式不符合国家工程建设消防技术标准", "XF02", _SRC_CH7_XISAI),
    _c("7.3.3", "第6.5条所列场所以外的场所或建筑，安全出口数量或宽度不符合国家工程建设消防技术标准，或者已有的安全出口被封堵",
       "XF02", _SRC_CH7_XISAI),
    _c("7.3.4", "按国家工程建设消防技术标准应当设置独立安全出口或疏散楼梯的建筑，没有设置", "XF02", _SRC_CH7_XISAI),
    _c("7.3.5", "商店营业厅内的疏散距离超过国家工程建设消防技术标准规定值的125%", "XF02", _SRC_CH7_XISAI),
    _c("7.3.6", "高层建筑、地下建筑没有按标准设置疏散指示标志、应急照明，或已设的损坏率超过标准要求设置数量的30%；"
                "其他建筑没有按标准设置疏散指示标志、应急照明，或已设的损坏率超过标准要求设置数量的50%", "XF02",
       _SRC_CH7_XISAI),
    _c("7.3.7", "设有人员密集场所的高层建筑，其封闭楼梯间或防烟楼梯间的门损坏率超过设置总数的20%；"
                "其他建筑的封闭楼梯间或防烟楼梯间的门损坏率超过设置总数的50%", "XF02", _SRC_7_3_7),
    # 7.5 防烟排烟设施
    _c("7.5", "人员密集场所、高层建筑、地下建筑没有按国家工程建设消防技术标准设置防烟、排烟设施，或者已设置的不能正常使用",
       "XF01", _SRC_EXAM + "；条文在转载中截断（“根据7.5，人员密集场所、高层建筑和地下……”）。“已设置的防排烟系统不能正常使用”"
               "一支据该解析，“未按规定设置排烟设施”一支据考试题库解析（niusouti.com，引消防工程师教材综合判定规则）"),
    # 7.7 火灾自动报警系统
    _c("7.7.2", "火灾自动报警系统不能正常运行", "XF01", _SRC_EXAM),
)

ITEMS = DIRECT + COMBINED

# Clauses whose text could not be read in any stored copy, numbered after the standard's section
# structure as remembered (7.3 twelve, 7.4 six, 7.6 three, 7.7 three, 7.8 two, 7.9 five), which no
# copy read here confirms — see NOTES.
_UNREAD = "条文未能在任何可查的转载中读到，未收录（不凭记忆补写）"
MISSING = (
    *((n, _UNREAD) for n in ("7.3.8", "7.3.9", "7.3.10", "7.3.11", "7.3.12")),
    *((f"7.4.{i}", _UNREAD + "（7.4 消防给水及灭火设施）") for i in range(1, 7)),
    *((f"7.6.{i}", _UNREAD + "（7.6 消防供电）") for i in range(1, 4)),
    ("7.7.1", _UNREAD + "（7.7 火灾自动报警系统）"),
    ("7.7.3", _UNREAD + "（7.7 火灾自动报警系统）"),
    *((f"7.8.{i}", _UNREAD + "（7.8）") for i in range(1, 3)),
    *((f"7.9.{i}", _UNREAD + "（7.9 其他）") for i in range(1, 6)),
)

# 5.3.3: only the 人员密集场所 rule could be read: "3 条以上（含本数）" (希赛 digest) of the elements of 7.3.1–7.3.9,
# 7.5 and 7.9.3 (textbook rule quoted at niusouti.com). 7.3.8, 7.3.9 and 7.9.3 could not be read, so they are not
# items here and the rule counts only the eight it can: it can under-count (a hazard it calls not major may
# still be major by the full list) but never over-count.
CROWDED_PLACES = ("crowded", "school")
CROWDED_RULE_ELEMENTS_IN_STANDARD = ("7.3.1", "7.3.2", "7.3.3", "7.3.4", "7.3.5", "7.3.6", "7.3.7", "7.3.8", "7.3.9",
                                     "7.5", "7.9.3")
COMBINED_RULES = (
    CombinedRule(
        number="5.3.3（人员密集场所）",
        text="人员密集场所存在第7.3.1～7.3.9条、第7.5条、第7.9.3条所列综合判定要素3条以上（含本数）的，综合判定为"
             "重大火灾隐患（其中7.3.8、7.3.9、7.9.3条文未能读到，本库暂不能计入）",
        basis=f"{STD}第5.3.3条（人员密集场所一项）；最低条数据希赛网消防工程师辅导转载，要素范围据消防工程师教材"
              "（niusouti.com 题库解析引）整理，未见官方文本",
        min_elements=3,
        elements=tuple(n for n in CROWDED_RULE_ELEMENTS_IN_STANDARD if n not in ("7.3.8", "7.3.9", "7.9.3")),
        place_kinds=CROWDED_PLACES,
    ),
)

EXCLUSIONS = (
    "第5.1.2条：直接判定要素和综合判定要素都应当是不能立即改正的火灾隐患；能够当场改正的，不作为判定要素",
    "第5.1.3条a)：已依法经消防设计专家评审，并已采取相应技术措施的，不判定为重大火灾隐患",
    "第5.1.3条b)：单位、场所已经停产停业或者停止使用的，不判定为重大火灾隐患",
    "第5.1.3条c)：不足以导致重大、特别重大火灾事故或者严重社会影响的，不判定为重大火灾隐患",
)

NOTES = (
    "条数：按本标准结构计直接判定要素10条（第6章6.1～6.10，已全部收录）、综合判定要素39条（第7章：7.1 4条、7.2 3条、"
    "7.3 12条、7.4 6条、7.5 1条、7.6 3条、7.7 3条、7.8 2条、7.9 5条），共49条。第7章各节条数系按记忆中的标准结构计，"
    "未能以转载全文核对（存疑）；已读到并收录的综合判定要素16条（7.1.1～7.3.7、7.5、7.7.2），其余23条列为缺失。"
    "综合判定规则（第5.3.3条）只读到人员密集场所一项：第7.3.1～7.3.9条、第7.5条、第7.9.3条中存在3条以上（含本数），"
    "其中7.3.8、7.3.9、7.9.3条文未读到，本库只能计其余8条；"
    "易燃易爆危险品场所、重要场所及其他场所各项（含其最低条数和要素范围）均未读到，未编入——这些场所的综合判定须人工按原文进行。"
    "场所类别对应：人员密集场所＝行业代码 crowded、school（消防法第七十三条所列人员密集场所）；出租房（rental）、消防重点单位"
    "（fire_key）本身不等同于人员密集场所，由记录人按场所实际用途选择。"
    "实施日期2018-07-01据转载核对（198.12.123.165:9000/Writing/6804096.html 所转报道：“自2018年7月1日起正式实施”，"
    "系新《标准化法》通过后批准发布的第一批消防领域强制性国家标准，在GA 653-2006基础上编写），未见官方文本；"
    "2025-11-01起由GB 35181-2025代替，故止于2025-10-31。"
    "第二轮检索（C2）未能读到更多条文；另一题库（1wenmi.com）所引人员密集场所一项的要素范围与上述一致，且写明“含本数，"
    "下同”，可见其后尚有其他场所的判定规则；教材所引“(9)其他”可证第7章共分9节，但各节条数仍无转载可核。"
)

LIBRARY = Library(
    code="gb35181_2017",
    version=1,
    name="重大火灾隐患判定方法（GB 35181-2017）",
    industries=(),
    basis=f"{STD}，2018年7月1日起实施；自2025年11月1日起由GB 35181-2025《重大火灾隐患判定规则》代替",
    effective_from=datetime.date(2018, 7, 1),
    effective_to=datetime.date(2025, 10, 31),
    expected_count=49,
    items=ITEMS,
    combined_rules=COMBINED_RULES,
    exclusions=EXCLUSIONS,
    missing=MISSING,
    notes=NOTES,
)

#: The thin GB 35181 seed (catalogue_data / thin.py, code "gb35181" v1) in 2017 numbering, for hazards found
#: before 2025-11-01. Thin "3" (blocked or insufficient exits in 人员密集场所) is 6.5 only as to number and
#: width of exits of 公共娱乐场所、商店、地下人员密集场所; blocked exits of other places are the combined
#: element 7.3.3. Thin "4" is 6.6 only where the system is missing (not working = combined element 7.7.2).
THIN_V1_TO_2017 = {"1": "6.1", "2": "6.2", "3": "6.5", "4": "6.6", "5": "6.7", "6": "6.8", "7": "6.9", "8": "6.10"}
