"""The thin seeds that stood for the libraries before the complete ones (kept so rows and hazards that
cite them keep their meaning): ``gm_major`` v1 with ten items of 应急管理部令第10号 (replaced, same
code and version, by ``gm_2023`` when that module is present) and ``gb35181`` v1 with eight short
direct elements of GB 35181-2025 chapter 5 (the interim until that text is entered: see registry.RETIRED).

The registry uses a stand-in only where no module gives the same (code, version); the count test
does not count stand-ins (``KEYS``), since they are known to be incomplete.
"""
from __future__ import annotations

import datetime

from . import Item, Library

ORDER_10 = "工贸企业重大事故隐患判定标准（应急管理部令第10号）"
GB_35181 = "GB 35181-2025《重大火灾隐患判定规则》"

_GM = [
    ("3.1", "未对承包单位、承租单位的安全生产工作实行统一协调、管理，或者未定期对其进行安全检查", "第三条第（一）项", "GM05"),
    ("3.2", "特种作业人员未按规定经专门的安全作业培训并取得相应资格即上岗作业", "第三条第（二）项", "1202"),
    ("3.3", "金属冶炼企业的主要负责人、安全生产管理人员未按规定经考核合格", "第三条第（三）项", "4304"),
    ("11.1", "粉尘爆炸危险场所设在非框架结构的多层建（构）筑物内，或者场所内设有员工宿舍、会议室、办公室、休息室等人员聚集场所",
     "第十一条第（一）项", "GM02"),
    ("11.3", "干式除尘系统泄爆、惰化、抑爆等爆炸防控措施一项也未采取", "第十一条第（三）项", "GM02"),
    ("11.10", "未落实粉尘清理制度，作业现场积尘严重", "第十一条第（十）项", "GM02"),
    ("12.1", "包装、分割、产品整理场所的空调系统采用氨直接蒸发制冷", "第十二条第（一）项", "GM04"),
    ("12.2", "快速冻结装置未设在单独的作业间内，或者其作业间内作业人员超过9人", "第十二条第（二）项", "GM04"),
    ("13.1", "存在硫化氢、一氧化碳等中毒风险的有限空间未经辨识、未建立安全管理台账，并且未设置明显的安全警示标志",
     "第十三条第（一）项", "GM01"),
    ("13.2", "有限空间作业未落实作业审批，或者未执行“先通风、再检测、后作业”，或者作业现场未设专人监护",
     "第十三条第（二）项", "GM01"),
]

_FIRE = [
    ("1", "生产、储存、装卸易燃易爆危险品的工厂、仓库和专用车站、码头、储罐区，未设在城市边缘或者相对独立的安全地带", "WH01"),
    ("2", "生产、储存、经营易燃易爆危险品的场所与人员密集场所、居住场所设在同一建筑物内，或者与其防火间距不符合规定", "WH01"),
    ("3", "人员密集场所的疏散通道、安全出口被封堵，或者安全出口数量、疏散宽度严重不足", "XF02"),
    ("4", "旅馆、公共娱乐场所、商店、地下人员密集场所等未按规定设置自动喷水灭火系统或者火灾自动报警系统，或者设置后不能正常运行", "XF01"),
    ("5", "易燃可燃液体、可燃气体储罐（区）未按规定设置固定灭火、冷却、可燃气体浓度报警或者火灾报警设施", "XF01"),
    ("6", "在人员密集场所违反消防安全规定使用、储存或者销售易燃易爆危险品", "XF04"),
    ("7", "儿童活动场所、老年人照料设施所在楼层位置不符合规定", "XF02"),
    ("8", "人员密集场所内的居住场所采用燃烧性能低于A级的彩钢夹芯板搭建", "XF05"),
]

GM_MAJOR_THIN = Library(
    code="gm_major", version=1, name="工贸企业重大事故隐患判定标准",
    industries=("industry_trade", "gm_metallurgy", "gm_nonferrous", "gm_building_materials", "gm_machinery", "gm_light",
                "gm_textile", "gm_tobacco", "gm_commerce"),
    basis=ORDER_10 + "，2023年5月15日起施行", effective_from=datetime.date(2023, 5, 15), effective_to=None,
    expected_count=64,
    items=tuple(Item(n, t, ORDER_10 + b, c) for n, t, b, c in _GM),
    notes="精简种子：仅含10项，完整条款见 gm_2023 模块。",
)

GB35181_THIN = Library(
    code="gb35181", version=1, name="重大火灾隐患判定规则（直接判定要素）", industries=(),
    basis=GB_35181 + "，2025年11月1日起实施，代替GB 35181-2017", effective_from=datetime.date(2025, 11, 1), effective_to=None,
    expected_count=8,
    items=tuple(Item(n, t, GB_35181 + "第5章 直接判定要素", c) for n, t, c in _FIRE),
    notes=("过渡适用：GB 35181-2025 正式条文尚未录入（本系统未能取得其文本，见 fire_2025 模块说明），"
           "本版八项为早期据公开资料概括的直接判定要素，未与正式文本逐条核对，不含数值阈值；"
           "正式条文录入为第2版后本版即废止。2025年11月1日前发现的隐患按 GB 35181-2017（gb35181_2017 第1版）判定。"),
)

LIBRARIES = (GM_MAJOR_THIN, GB35181_THIN)
KEYS = frozenset((lib.code, lib.version) for lib in LIBRARIES)
