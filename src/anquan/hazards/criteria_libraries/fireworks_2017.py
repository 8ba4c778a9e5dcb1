"""烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）（安监总管三〔2017〕121号，烟花爆竹部分）.

Issued in the same notice as the 化工和危险化学品 criteria (see hazchem_2017). A normative document,
not a 部令: items are written in our own words, faithful to their meaning. 20 situations numbered 一 to
二十; "5" = 第五项.

Text read only in secondary copies: the 20-item lists reproduced in public GitHub source code (a Java
controller listing them for "烟花爆竹经营(批发)企业", and a SQL seed ``riskDcode`` with codecname
"烟花爆竹生产经营"; texts agree). The count of 20 is confirmed by 人民日报 2017-11-17
(china.rednet.cn/c/2017/11/17/4476815.htm), which also quotes items 四、八、十七.
"""
from __future__ import annotations

from . import Item, Library
from .hazchem_2017 import ISSUED

DOC = "安监总管三〔2017〕121号《烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）》"
SOURCE_NOTE = "条文据转载文本（公开代码仓库中的条文清单、人民日报报道）整理，未见官方文本"

_CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
       "十六", "十七", "十八", "十九", "二十"]


def _i(n: int, text: str, category: str) -> Item:
    return Item(number=str(n), text=text, basis=f"{DOC}第{_CN[n]}项", category=category, source_note=SOURCE_NOTE)


ITEMS = (
    _i(1, "主要负责人或安全生产管理人员没有依法经考核合格", "4304"),
    _i(2, "特种作业人员无证上岗，或者作业人员在设备设施带药的情况下进行检修、维修", "4304"),
    _i(3, "职工自带工器具、机器设备进厂从事涉药作业", "1202"),
    _i(4, "工（库）房内实际作业人数超过核定人数", "43"),
    _i(5, "工（库）房内实际滞留或存放的药量超过核定药量", "2201"),
    _i(6, "工（库）房的内部、外部安全距离不够，或者防护屏障缺失、不合要求", "2102"),
    _i(7, "防静电、防火、防雷设备设施缺失或失效", "2102"),
    _i(8, "擅自改变工（库）房用途，或者违规私搭乱建", "43"),
    _i(9, "工厂围墙缺失，或者厂区分区设置不符合国家标准", "2102"),
    _i(10, "氧化剂与还原剂同库储存、违规预混，或者在同一工房内粉碎、称量", "2201"),
    _i(11, "在用的涉药机械设备没有经过安全性论证，或者被擅自更改、改变用途", "2101"),
    _i(12, "中转库、药物总库、成品总库的储存能力与设计产能不相匹配", "43"),
    _i(13, "没有建立与岗位相适应的全员安全生产责任制，或者没有制定、实施生产安全事故隐患排查治理制度", "42"),
    _i(14, "出租、出借、转让、买卖、冒用或伪造许可证", "43"),
    _i(15, "生产经营的产品种类或危险等级超出许可范围，或者生产中使用违禁药物", "43"),
    _i(16, "将生产线、工房、库房分包、转包组织生产经营", "43"),
    _i(17, "一证多厂，或者多个股东各自独立组织生产经营", "43"),
    _i(18, "在许可证过期、整顿改造或恶劣天气等停产停业期间组织生产经营", "43"),
    _i(19, "烟花爆竹仓库存放其他爆炸物等危险物品，或者生产经营违禁、超标产品", "2201"),
    _i(20, "零售点与居民居住场所设在同一建筑物内，或者在零售场所使用明火", "2109"),
)

LIBRARY = Library(
    code="fireworks_major", version=1, name="烟花爆竹生产经营单位重大生产安全事故隐患判定标准（试行）",
    industries=("fireworks",),
    basis=f"{DOC}（原国家安全生产监督管理总局，2017年11月13日印发）",
    effective_from=ISSUED, effective_to=None,
    expected_count=20,
    items=ITEMS,
    notes=("适用于烟花爆竹生产、批发和零售经营单位；二十种情形任一即判定为重大事故隐患，无须同时具备的“并且”项。"
           "生效日期取通知印发日2017-11-13（据通常引用，本次检索未读到通知文头）。"),
)
