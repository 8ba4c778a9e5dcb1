"""工贸企业重大事故隐患判定标准（应急管理部令第10号，2023年4月14日公布，2023年5月15日起施行）.

A departmental rule (部令): item texts are quoted from the order, only the closing "的；/的。" of each
item is dropped so that the text reads as a statement of the defect. Numbering "<条>.<项>", e.g.
"11.3" = 第十一条第（三）项.

Structure of the order (checked against the press release of 2023-04-19, 新华社/中新网: "3方面64项"):
- 第三条 管理类 3 items (every 工贸 enterprise);
- 第四条至第十条 行业类 47 items: 第四条 冶金, 第五条 有色, 第六条 建材, 第七条 机械, 第八条 轻工,
  第九条 纺织, 第十条 烟草 (商贸 has no article of its own: a 商贸 site is judged by 第三条 and
  第十一条至第十三条 only);
- 第十一条 粉尘涉爆 (10), 第十二条 涉氨制冷 (2), 第十三条 有限空间 (2) 专项类 14 items (every 工贸
  enterprise of that kind, whatever its sector).
第十四条 is a rule about all items, not one of the 64: a monitoring, alarm or protection facility,
equipment or device of a listed situation that has failed or does not work is itself a 重大事故隐患
(``ARTICLE_14``, quoted; the form should ask "设置了但失效或者无效" wherever an item says "未设置…装置").
The official text is in 《国务院公报》2023年第19号 (www.gov.cn/gongbao/2023/issue_10566/202307/
content_6890788.html); that page was not reachable here.

Sources: no official text (mem.gov.cn) was reachable; every item was read in a secondary copy,
named in its ``source_note``. Items whose text could not be read are in ``MISSING`` (number and
why); where the order's item count per article is unknown (第四、七、八、九条), the unread items
beyond the last known number are counted in ``UNNUMBERED_MISSING`` (24 = 47 − 13 − 8 − 2 items of
those four articles, less the items read or known by number).

Second search (2026-12-03): the stored copies were searched again for a full text (pages, docs, code
and issues corpora; exact-phrase search of GitHub files for item wordings of 第四、五、七、八、九、十一条;
the 《中国应急管理报》 mirror pages of other dates; sector Q&A, checklists, enforcement cases). No further
full-text copy was found: the page copies that hold the whole order (e.g. m.by1723.com …/t20230419_73880,
m.163wenku.com/p-7598017 检查表) are stored only as their opening, which ends inside 第四条. One fact was
added: an enforcement report cites 第七条第（四）项, so 7.4 exists and is now listed by number (its text
was not read). The copies of the 2017 工贸行业 standard (安监总管四〔2017〕129号, repealed by 第十五条)
that turn up for 轻工/纺织/冶金 are not this order and were not used.
"""
from __future__ import annotations

import datetime

from . import Condition, Item, Library

ORDER = "工贸企业重大事故隐患判定标准（应急管理部令第10号）"

_CN = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五")

#: 条 → the sub-sector industry code its items are restricted to (empty: every 工贸 enterprise).
ARTICLE_INDUSTRY: dict[int, tuple[str, ...]] = {
    3: (),
    4: ("gm_metallurgy",),
    5: ("gm_nonferrous",),
    6: ("gm_building_materials",),
    7: ("gm_machinery",),
    8: ("gm_light",),
    9: ("gm_textile",),
    10: ("gm_tobacco",),
    11: (),
    12: (),
    13: (),
}

# --- where each part was read (secondary copies only) ---
_SRC_3 = ("条文据江门市人民政府网站政务问答（www.jiangmen.gov.cn/gzhd/zhzw/content/post_2849362.html）"
          "及《中国应急管理报》2023年6月1日第4版全文刊载的镜像页（繁体转录）核对，未见应急管理部官方文本")
_SRC_4 = ("条文据《中国应急管理报》2023年6月1日第4版全文刊载的镜像页（繁体转录，anzhuopai.com、loushibaike.cn"
          " …/szb/pc/col/202306/01/content_202904.html）及916176.cn转载核对，未见应急管理部官方文本")
_SRC_5 = ("条文据未注明网址的转载页《铝加工企业重大事故隐患判定》（繁体，未标条号）整理；项号第（四）至（十）项"
          "系依另一经同义词改写、文字不可采用的转载（axGtsTOTb.com）中第（七）至（十）项及其后“第六条”的位置推定，"
          "未见应急管理部官方文本，项号待核对")
_SRC_6_7 = ("条文据《中国应急管理报》2023年6月22日第4版连载的镜像页（繁体转录，boglecoveoysterhouse.net"
            "/szb/pc/col/202306/22/content_204908.html）整理，未见应急管理部官方文本")
_SRC_10 = "条文据云南技能人才培训网转载（www.ynjnrc.com/show.asp?id=7944）整理，未见应急管理部官方文本"
_SRC_11 = ("条文据淘文阁转载《存在粉尘爆炸危险的工贸企业重大事故隐患判定标准》（taowenge.com/p-95160116.html）"
           "及czlst.com.cn转载（第（一）至（五）项，繁体）核对，未见应急管理部官方文本")
_SRC_12_13 = "条文据hftpay.net/news/show/229.html转载（繁体转录）整理，未见应急管理部官方文本"
_SEED = ("原文未能在可读副本中逐字核对，沿用本系统原种子文字（其含义与可读到的转载一致，见下）；"
         "待官方文本核对")


def _basis(number: str) -> str:
    article, item = (int(p) for p in number.split("."))
    return f"{ORDER}第{_CN[article]}条第（{_CN[item]}）项"


def _item(number: str, text: str, category: str, source_note: str, conditions: tuple[Condition, ...] = ()) -> Item:
    article = int(number.split(".")[0])
    return Item(number=number, text=text, basis=_basis(number), category=category, conditions=conditions,
                industries=ARTICLE_INDUSTRY[article], source_note=source_note)


ITEMS: tuple[Item, ...] = (
    # --- 第三条 管理类（所有工贸企业） ---
    _item("3.1", "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查", "GM05", _SRC_3),
    _item("3.2", "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业", "1202", _SRC_3),
    _item("3.3", "金属冶炼企业主要负责人、安全生产管理人员未按照规定经考核合格", "4304", _SRC_3),
    # --- 第四条 冶金企业 ---
    _item("4.1", "会议室、活动室、休息室、操作室、交接班室、更衣室（含澡堂）等6类人员聚集场所，以及钢铁水罐冷（热）修工位"
                 "设置在铁水、钢水、液渣吊运跨的地坪区域内", "31", _SRC_4),
    _item("4.2", "生产期间冶炼、精炼和铸造生产区域的事故坑、炉下渣坑，以及熔融金属泄漏和喷溅影响范围内的炉前平台、炉基区域、"
                 "厂房内吊运和地面运输通道等6类区域存在积水", "31", _SRC_4),
    _item("4.3", "炼钢连铸流程未设置事故钢水罐、中间罐漏钢坑（槽）、中间罐溢流坑（槽）、漏钢回转溜槽，或者模铸流程未设置"
                 "事故钢水罐（坑、槽）", "2101", _SRC_4),
    _item("4.4", "转炉、电弧炉、AOD炉、LF炉、RH炉、VOD炉等炼钢炉的水冷元件未设置出水温度、进出水流量差等监测报警装置，"
                 "或者监测报警装置未与炉体倾动、氧（副）枪自动提升、电极自动断电和升起装置联锁", "2112", _SRC_4),
    # --- 第五条 有色企业（第（四）至（十）项） ---
    _item("5.4", "采用水冷冷却的冶炼炉窑、铸造机（铝加工深井铸造工艺的结晶器除外）、加热炉未设置应急水源", "2101", _SRC_5),
    _item("5.5", "熔融金属冶炼炉窑的闭路循环水冷元件未设置出水温度、进出水流量差监测报警装置，或者开路水冷元件未设置进水流量、"
                 "压力监测报警装置，或者未监测开路水冷元件出水温度", "2112", _SRC_5),
    _item("5.6", "铝加工深井铸造工艺的结晶器冷却水系统未设置进水压力、进水流量监测报警装置，或者监测报警装置未与快速切断阀、"
                 "紧急排放阀、流槽断开装置联锁，或者监测报警装置未与倾动式浇铸炉控制系统联锁", "2112", _SRC_5),
    _item("5.7", "铝加工深井铸造工艺的浇铸炉铝液出口流槽、流槽与模盘（分配流槽）入口连接处未设置液位监测报警装置，"
                 "或者固定式浇铸炉的铝液出口未设置机械锁紧装置", "2112", _SRC_5),
    _item("5.8", "铝加工深井铸造工艺的固定式浇铸炉的铝液流槽未设置紧急排放阀，或者流槽与模盘（分配流槽）入口连接处未设置"
                 "快速切断阀（断开装置），或者流槽与模盘（分配流槽）入口连接处的液位监测报警装置未与快速切断阀（断开装置）、"
                 "紧急排放阀联锁", "2101", _SRC_5),
    _item("5.9", "铝加工深井铸造工艺的倾动式浇铸炉流槽与模盘（分配流槽）入口连接处未设置快速切断阀（断开装置），或者流槽与"
                 "模盘（分配流槽）入口连接处的液位监测报警装置未与浇铸炉倾动控制系统、快速切断阀（断开装置）联锁", "2101", _SRC_5),
    _item("5.10", "铝加工深井铸造机钢丝卷扬系统选用非钢芯钢丝绳，或者未落实钢丝绳定期检查、更换制度", "2101", _SRC_5),
    # --- 第六条 建材企业 ---
    _item("6.1", "煤磨袋式收尘器、煤粉仓未设置温度和固定式一氧化碳浓度监测报警装置，或者未设置气体灭火装置", "2112", _SRC_6_7),
    _item("6.2", "筒型储库人工清库作业未落实清库方案中防止高处坠落、坍塌等安全措施", "43", _SRC_6_7),
    _item("6.3", "水泥企业电石渣原料筒型储库未设置固定式可燃气体浓度监测报警装置，或者监测报警装置未与事故通风装置联锁",
          "2112", _SRC_6_7),
    _item("6.4", "进入筒型储库、焙烧窑、预热器旋风筒、分解炉、竖炉、篦冷机、磨机、破碎机前，未对可能意外启动的设备和涌入的"
                 "物料、高温气体、有毒有害气体等采取隔离措施，或者未落实防止高处坠落、坍塌等安全措施", "43", _SRC_6_7),
    _item("6.5", "采用预混燃烧方式的燃气窑炉（热发生炉煤气窑炉除外）的燃气总管未设置管道压力监测报警装置，或者监测报警装置"
                 "未与紧急自动切断装置联锁", "2112", _SRC_6_7),
    _item("6.6", "制氢站、氮氢保护气体配气间、燃气配气间等3类场所未设置固定式可燃气体浓度监测报警装置", "2112", _SRC_6_7),
    _item("6.7", "电熔制品电炉的水冷设备失效", "2101", _SRC_6_7),
    _item("6.8", "玻璃窑炉、玻璃锡槽等设备未设置水冷和风冷保护系统的监测报警装置", "2112", _SRC_6_7),
    # --- 第七条 机械企业（第（一）、（二）项） ---
    _item("7.1", "会议室、活动室、休息室、更衣室、交接班室等5类人员聚集场所设置在熔融金属吊运跨或者浇注跨的地坪区域内",
          "31", _SRC_6_7),
    _item("7.2", "铸造用熔炼炉、精炼炉、保温炉未设置紧急排放和应急储存设施", "2101", _SRC_6_7),
    # --- 第十条 烟草企业 ---
    _item("10.1", "熏蒸作业场所未配备磷化氢气体浓度监测报警仪器，或者未配备防毒面具，或者熏蒸杀虫作业前未确认无关人员"
                  "全部撤离熏蒸作业场所", "43", _SRC_10),
    _item("10.2", "使用液态二氧化碳制造膨胀烟丝的生产线和场所未设置固定式二氧化碳浓度监测报警装置，或者监测报警装置未与"
                  "事故通风设施联锁", "2112", _SRC_10),
    # --- 第十一条 存在粉尘爆炸危险的工贸企业 ---
    _item("11.1", "粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内，或者粉尘爆炸危险场所内设有员工宿舍、会议室、办公室、"
                  "休息室等人员聚集场所", "GM02", _SRC_11),
    _item("11.2", "不同类别的可燃性粉尘、可燃性粉尘与可燃气体等易加剧爆炸危险的介质共用一套除尘系统，或者不同建（构）筑物、"
                  "不同防火分区共用一套除尘系统、除尘系统互联互通", "GM02", _SRC_11),
    _item("11.3", "干式除尘系统未采取泄爆、惰化、抑爆等任一种爆炸防控措施", "GM02", _SRC_11),
    _item("11.4", "铝镁等金属粉尘除尘系统采用正压除尘方式，或者其他可燃性粉尘除尘系统采用正压吹送粉尘时，未采取火花探测消除"
                  "等防范点燃源措施", "GM02", _SRC_11),
    _item("11.5", "除尘系统采用重力沉降室除尘，或者采用干式巷道式构筑物作为除尘风道", "GM02", _SRC_11),
    _item("11.6", "铝镁等金属粉尘、木质粉尘的干式除尘系统未设置锁气卸灰装置", "GM02", _SRC_11),
    _item("11.7", "除尘器、收尘仓等划分为20区的粉尘爆炸危险场所电气设备不符合防爆要求", "GM02", _SRC_11),
    _item("11.8", "粉碎、研磨、造粒等易产生机械点燃源的工艺设备前，未设置铁、石等杂物去除装置，或者木制品加工企业与砂光机"
                  "连接的风管未设置火花探测消除装置", "GM02", _SRC_11),
    _item("11.10", "未落实粉尘清理制度，作业现场积尘严重", "GM02",
          _SEED + "：执法案例转载（yaoruidz.com，2024-01-09）将“未建立并落实粉尘清理制度，作业现场积尘”列为重大事故隐患"),
    # --- 第十二条 使用液氨制冷的工贸企业 ---
    _item("12.1", "包装、分割、产品整理场所的空调系统采用氨直接蒸发制冷", "GM04", _SRC_12_13),
    _item("12.2", "快速冻结装置未设置在单独的作业间内，或者快速冻结装置作业间内作业人员数量超过9人", "GM04", _SRC_12_13),
    # --- 第十三条 存在硫化氢、一氧化碳等中毒风险的有限空间作业的工贸企业 ---
    _item("13.1", "未对有限空间进行辨识、建立安全管理台账，并且未设置明显的安全警示标志", "GM01", _SRC_12_13,
          conditions=(Condition("a", "未对有限空间进行辨识、建立安全管理台账"),
                      Condition("b", "未设置明显的安全警示标志"))),
    _item("13.2", "未落实有限空间作业审批，或者未执行“先通风、再检测、后作业”要求，或者作业现场未设专人监护", "GM01",
          "前半句“未落实有限空间作业审批，或者未……”据hftpay.net/news/show/229.html转载核对；其后两种情形" + _SEED),
)

#: 第十四条 (not one of the 64 items): a listed facility that has failed or does not work is itself major.
ARTICLE_14 = Item(
    number="14",
    text="本标准所列情形中直接关系生产安全的监控、报警、防护等设施、设备、装置，应当保证正常运行、使用，失效或者无效"
         "均判定为重大事故隐患",
    basis=ORDER + "第十四条",
    category="2112",
    source_note=("条文据GitHub仓库 PerryLink/dsh-hidden-risk-map 的核查记录（rules/evidence/clause-verification-"
                 "yingjibuling10.md）转引《国务院公报》2023年第19号全文；官方页面未能直接读到"),
)

#: (number, why) of items known to exist whose text could not be read.
MISSING: tuple[tuple[str, str], ...] = (
    ("4.5", "仅读到开头“高炉生产期间炉顶工作压力设定值超过设计文件规定的最高工作压力，或者炉顶……”"
            "（《中国应急管理报》2023-06-01镜像页及916176.cn转载均在此截断），全文未能读到"),
    ("5.1", "第五条第（一）项原文未能读到（可读转载只含铝加工相关各项）"),
    ("5.2", "第五条第（二）项原文未能读到"),
    ("5.3", "第五条第（三）项原文未能读到"),
    ("5.11", "仅见经同义词改写的转载（axGtsTOTb.com），可辨为有毒气体（一氧化碳、砷化氢等4种）泄漏积聚场所固定式监测报警"
             "装置一项，文字不可采用，原文未能读到"),
    ("5.12", "仅见经同义词改写的转载，可辨为使用煤气（天然气）并强制送风的燃烧装置压力监测报警及紧急切断联锁一项，原文未能读到"),
    ("5.13", "仅见经同义词改写的转载，可辨为正压煤气输配管线水封式排水器（30kPa）一项，原文未能读到"),
    ("7.3", "仅读到开头“（三）生产……”（《中国应急管理报》2023-06-22镜像页在此截断），原文未能读到"),
    ("7.4", "原文未能读到；该项存在见执法通报：长沙市望城区应急管理局2024年10月查处某铸造企业，铸造用中频炉未设置"
            "出水温度、进出水流量差监测报警装置且无电极断电联锁，依据本标准“第七条第（四）项”判定为重大事故隐患"
            "（华声在线报道的改写转载，zhonglunpaper.com/elevatorproducts/4743.html；转载经同义词改写，不能作为条文）"),
    ("8.1", "第八条（轻工企业）全条原文未能读到；可读到的“轻工行业”清单为2017版规范性文件，不能代用"),
    ("9.1", "第九条（纺织企业）全条原文未能读到"),
    ("11.9", "仅读到“遇湿自燃金属粉尘收集、堆放、储存场所未采取通风等防止氢气积聚措施，或者干式收集、堆放、……”"
             "（taowenge.com转载在此截断），全文未能读到"),
)

#: Items of 第四、七、八、九条 beyond the numbers above (4.6起, 7.5起, 8.2起, 9.2起), count per article unknown:
#: 47 行业类 − 13（第五条）− 8（第六条）− 2（第十条）= 24 for those four articles, less 6 read and 5 known by number.
UNNUMBERED_MISSING = 13
#: The open-range rows of ``Library.missing`` ("4.6起" …) stand for those 13 together.
OPEN_RANGE_WHY = ("第{article}条第（{item}）项之后如有其他各项，原文未能读到；第四、七、八、九条此类未编号缺失合计"
                  + str(UNNUMBERED_MISSING) + "项，各条分布不明")

OPEN_RANGES: tuple[tuple[str, str], ...] = (
    ("4.6起", OPEN_RANGE_WHY.format(article="四", item="五")),
    ("7.5起", OPEN_RANGE_WHY.format(article="七", item="四")),
    ("8.2起", OPEN_RANGE_WHY.format(article="八", item="一")),
    ("9.2起", OPEN_RANGE_WHY.format(article="九", item="一")),
)

LIBRARY = Library(
    code="gm_major",
    version=1,
    name="工贸企业重大事故隐患判定标准",
    industries=("industry_trade", "gm_metallurgy", "gm_nonferrous", "gm_building_materials", "gm_machinery", "gm_light",
                "gm_textile", "gm_tobacco", "gm_commerce"),
    basis=ORDER + "，2023年4月14日公布，2023年5月15日起施行",
    effective_from=datetime.date(2023, 5, 15),
    effective_to=None,
    expected_count=64,
    items=ITEMS,
    missing=(*MISSING, *OPEN_RANGES),
    notes=(
        "共64项：管理类3项（第三条）、行业类47项（第四条冶金、第五条有色13项、第六条建材8项、第七条机械、第八条轻工、"
        "第九条纺织、第十条烟草2项）、专项类14项（第十一条粉尘涉爆10项、第十二条涉氨制冷2项、第十三条有限空间2项）。"
        "商贸企业无专门条款，只适用第三条和第十一条至第十三条。"
        f"已收录{len(ITEMS)}项；按项号列明缺失{len(MISSING)}项；第四、七、八、九条另有{UNNUMBERED_MISSING}项项号不明、"
        "原文未能读到（见“4.6起”等缺失行）。"
        "第十四条不在上述64项之内，是对各项的补充：“本标准所列情形中直接关系生产安全的监控、报警、防护等设施、设备、"
        "装置，应当保证正常运行、使用，失效或者无效均判定为重大事故隐患。”（见 ARTICLE_14）"
        "全部条文均据转载副本整理（见各项来源说明），未见应急管理部官方文本。"
    ),
)
