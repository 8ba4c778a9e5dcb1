"""城镇燃气经营安全重大隐患判定标准（住房和城乡建设部 建城规〔2023〕4号）.

A normative document (行政规范性文件), not a 部令: the items below are written in our own words,
faithful to the meaning and every threshold of the text (e.g. 20% of the lower explosive limit,
relative density 0.75). Numbering follows the instrument: "5.5" = 第五条第（五）项; "8" and "10"
are whole articles that are themselves criteria.

Text read in a secondary copy: the article-by-article transcription of the 住房和城乡建设部 page
(https://www.mohurd.gov.cn/gongkai/zc/wjk/art/2024/art_17339_774253.html) kept in the public GitHub
repository An-0726/safety-basis (knowledge/clauses/C_MOHURD_CITY_GAS_2023_1…11.json), checked
against reprints of 第一至五条 (e.g. 66wkw.com/doc/7453.html, 上海住房城乡建设管理 reprint 2023-10-23).
Dates: 发文 2023-09-21; 第十一条 "自发布之日起执行".
"""
from __future__ import annotations

import datetime

from . import Condition, Item, Library

DOC = "建城规〔2023〕4号《城镇燃气经营安全重大隐患判定标准》"
SOURCE_NOTE = ("条文据住房和城乡建设部网页的转录本（GitHub An-0726/safety-basis 仓库 knowledge/clauses/"
               "C_MOHURD_CITY_GAS_2023_*.json）整理，并与转载文本核对第一至五条；未直接读到官方页面")


def _basis(article: str, item: str | None = None) -> str:
    return f"{DOC}第{article}条" + (f"第（{item}）项" if item else "")


def _i(number, text, article, item, category, conditions=()):
    return Item(number=number, text=text, basis=_basis(article, item), category=category,
                conditions=tuple(conditions), source_note=SOURCE_NOTE)


_UNNOTIFIED = Condition("b", "燃气经营者入户安全检查发现该情形后，未按规定采取书面告知用户整改等措施")

ITEMS = (
    # 第四条 安全生产管理
    _i("4.1", "燃气经营者没有燃气经营许可证却在从事燃气经营", "四", "一", "43"),
    _i("4.2", "燃气经营者没有建立安全风险分级管控制度", "四", "二", "4302"),
    _i("4.3", "燃气经营者没有建立事故隐患排查治理制度", "四", "三", "4303"),
    _i("4.4", "燃气经营者没有制定生产安全事故应急救援预案", "四", "四", "4503"),
    _i("4.5", "燃气经营者没有建立定期检查燃气用户燃气设施安全的制度", "四", "五", "RQ03"),
    # 第五条 燃气厂站
    _i("5.1", "燃气储罐没有压力、罐容或液位等显示监测装置，或者监测装置不能在超出限值时报警", "五", "一", "RQ02"),
    _i("5.2", "厂站内设备和管道缺少在系统压力参数超限时自动切断和放散的装置", "五", "二", "RQ02"),
    _i("5.3", "压缩天然气、液化天然气、液化石油气的装卸系统没有防止装卸软管（管道）被拉脱的联锁保护装置",
       "五", "三", "RQ01"),
    _i("5.4", "厂站内处于爆炸危险环境的电气、仪表装置，其防爆性能与所在区域的爆炸危险等级不相适应", "五", "四", "2103"),
    _i("5.5", "厂站内可燃气体泄漏浓度可能达到爆炸下限20%的燃气设施区域或建（构）筑物内，没有设置固定式可燃气体浓度报警装置",
       "五", "五", "RQ02"),
    # 第六条 燃气管道和调压设施
    _i("6.1", "中压及以上地下燃气管线的保护范围内有占压管线的建筑物、构筑物或其他设施", "六", "一", "RQ01"),
    _i("6.2", "输配管道敷设在排水管（沟）、供水管渠、热力管沟、电缆沟、城市交通隧道、城市轨道交通隧道、地下人行通道等地下构筑物内",
       "六", "二", "RQ01", (
           Condition("a", "输配管道敷设在排水管（沟）、供水管渠、热力管沟、电缆沟、城市交通隧道、城市轨道交通隧道或地下人行通道等地下构筑物内"),
           Condition("b", "不属于“确需穿过并已采取有效防护措施”的例外情形"),
       )),
    _i("6.3", "调压装置没有防止出口压力超过下游允许压力的安全保护措施", "六", "三", "RQ01"),
    # 第七条 气瓶
    _i("7.1", "燃气经营者擅自给不属于自己的气瓶充装燃气", "七", "一", "RQ04"),
    _i("7.2", "燃气经营者销售由未取得许可的充装单位充装的瓶装燃气", "七", "二", "RQ04"),
    _i("7.3", "燃气经营者销售由充装单位擅自为非自有气瓶充装的瓶装燃气", "七", "三", "RQ04"),
    # 第八条 整条
    Item(number="8", text="燃气经营者供应的燃气不具有标准要求的警示性臭味", basis=_basis("八"), category="RQ02",
         source_note=SOURCE_NOTE),
    # 第九条 用户安全检查：情形本身 + 未书面告知整改，二者同时具备
    _i("9.1", "相对密度不小于0.75的燃气（如液化石油气）的管道、调压装置、燃具等设在地下室、半地下室、地下箱体或其他密闭地下空间内，"
       "经营者检查发现后未按规定书面告知用户整改", "九", "一", "RQ03", (
           Condition("a", "相对密度不小于0.75的燃气的管道、调压装置或燃具等设在地下室、半地下室、地下箱体或其他密闭地下空间内"),
           _UNNOTIFIED)),
    _i("9.2", "燃气引入管、立管或水平干管设在卫生间内，经营者检查发现后未按规定书面告知用户整改", "九", "二", "RQ03", (
        Condition("a", "燃气引入管、立管或水平干管设在卫生间内"), _UNNOTIFIED)),
    _i("9.3", "燃气管道及附件或燃具设在卧室、旅馆客房等供人居住、休息的房间内，经营者检查发现后未按规定书面告知用户整改",
       "九", "三", "RQ03", (
           Condition("a", "燃气管道及附件或燃具设在卧室、旅馆建筑客房等人员居住和休息的房间内"), _UNNOTIFIED)),
    _i("9.4", "用户使用国家明令淘汰的燃气燃烧器具或连接管，经营者检查发现后未按规定书面告知用户整改", "九", "四", "RQ03", (
        Condition("a", "用户使用国家明令淘汰的燃气燃烧器具或连接管"), _UNNOTIFIED)),
    # 第十条 兜底：严重违法违规 + 现实危险，二者同时具备
    Item(number="10", text="其他严重违反城镇燃气经营法律法规和标准规范，并存在可能造成群死群伤或重大经济损失的现实危险",
         basis=_basis("十"), category="49", source_note=SOURCE_NOTE, conditions=(
             Condition("a", "严重违反城镇燃气经营法律法规或标准规范"),
             Condition("b", "存在危害程度较大、可能导致群死群伤或造成重大经济损失的现实危险"),
         )),
)

LIBRARY = Library(
    code="gas_major", version=1, name="城镇燃气经营安全重大隐患判定标准",
    industries=("gas",),
    basis=f"{DOC}（住房和城乡建设部，2023年9月21日印发，自发布之日起执行）",
    effective_from=datetime.date(2023, 9, 21), effective_to=None,
    expected_count=22,  # 第四至七条、第九条列项20项 + 第八条、第十条整条判据2项
    items=ITEMS,
    notes=("只适用于燃气经营者（第二条：燃气经营者在生产经营过程中存在的隐患；第三条：县级以上城镇燃气管理部门据此认定），"
           "不直接适用于燃气用户：用户端的情形（第九条）须连同经营者入户检查后未书面告知整改一并判定。"
           "第六条第（二）项“确需穿过且已采取有效防护措施”的除外情形作为条件之一询问。"),
)
