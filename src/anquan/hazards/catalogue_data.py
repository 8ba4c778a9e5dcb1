"""The seeded catalogue of the hazard loop: category tree, standard descriptions, 重大事故隐患判定标准.

Why data here and not in the migration: the migration (``0002_catalogue``) seeds it, and the demo
generator re-seeds it after ``flush`` (like ``demo.generator.ensure_industries``); both call
``seed_catalogue``. Every row is matched by a natural key (category ``code``, description
``text``, checklist ``(code, version)``, item ``(checklist, number)``), so re-running changes
nothing and a locality's own additions are left alone.

Categories follow GB/T 13861-2022《生产过程危险和有害因素分类与代码》: the four top classes
(1 人的因素 / 2 物的因素 / 3 环境因素 / 4 管理因素), their main classes and the sub-classes most
hazards land in, under their standard codes; industry sub-categories (JZ 建筑施工, RQ 城镇燃气,
XF 消防, WH 危险化学品, GM 工贸) hang under the GB/T class they belong to. ``path`` is the chain
of codes (``/2/21/2103/JZ03/``), so "everything under 物的因素" is one prefix query.

The criteria are written in our own words, faithful to the rules' meaning, each citing its
article: 工贸企业重大事故隐患判定标准 (应急管理部令第10号, 2023-05-15: 第三条 general items,
第十一条 粉尘涉爆, 第十二条 涉氨制冷, 第十三条 有限空间) and 重大火灾隐患判定规则 GB 35181-2025
(2025-11-01, replaces GB 35181-2017; the direct-judgement elements of its chapter 5).
"""
from __future__ import annotations

import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

GB_T = "GB/T 13861-2022"
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: (code, name, parent code, industry code) in tree order.
CATEGORIES: list[tuple[str, str, str | None, str | None]] = [
    ("1", "人的因素", None, None),
    ("11", "心理、生理性危险和有害因素", "1", None),
    ("1101", "负荷超限", "11", None),
    ("1102", "健康状况异常", "11", None),
    ("1103", "从事禁忌作业", "11", None),
    ("12", "行为性危险和有害因素", "1", None),
    ("1201", "指挥错误（含违章指挥）", "12", None),
    ("1202", "操作错误（含违章作业）", "12", None),
    ("1203", "监护失误", "12", None),
    ("2", "物的因素", None, None),
    ("21", "物理性危险和有害因素", "2", None),
    ("2101", "设备、设施、工具、附件缺陷", "21", None),
    ("2102", "防护缺陷", "21", None),
    ("2103", "电危害", "21", None),
    ("2108", "运动物危害", "21", None),
    ("2109", "明火", "21", None),
    ("2112", "信号缺陷", "21", None),
    ("2113", "标志标识缺陷", "21", None),
    ("22", "化学性危险和有害因素", "2", None),
    ("2201", "理化危险", "22", None),
    ("2202", "健康危险", "22", None),
    ("23", "生物性危险和有害因素", "2", None),
    ("3", "环境因素", None, None),
    ("31", "室内作业场所环境不良", "3", None),
    ("3103", "室内作业场所杂乱", "31", None),
    ("3108", "室内安全通道缺陷", "31", None),
    ("3109", "房屋安全出口缺陷", "31", None),
    ("3111", "作业场所空气不良", "31", None),
    ("32", "室外作业场地环境不良", "3", None),
    ("3204", "作业场地杂乱", "32", None),
    ("3207", "脚手架、阶梯和活动梯架缺陷", "32", None),
    ("3208", "地面开口缺陷", "32", None),
    ("33", "地下（含水下）作业环境不良", "3", None),
    ("3304", "地下作业面空气不良", "33", None),
    ("39", "其他作业环境不良", "3", None),
    ("4", "管理因素", None, None),
    ("41", "职业安全卫生管理机构设置和人员配备不健全", "4", None),
    ("42", "职业安全卫生责任制不完善或未落实", "4", None),
    ("43", "职业安全卫生管理制度不完善或未落实", "4", None),
    ("4301", "建设项目“三同时”制度未落实", "43", None),
    ("4302", "安全风险分级管控制度不完善或未落实", "43", None),
    ("4303", "事故隐患排查治理制度不完善或未落实", "43", None),
    ("4304", "培训教育制度不完善或未落实", "43", None),
    ("4305", "操作规程不规范", "43", None),
    ("44", "职业安全卫生投入不足", "4", None),
    ("45", "应急管理缺陷", "4", None),
    ("4503", "事故应急预案缺陷", "45", None),
    ("4505", "应急预案演练不规范", "45", None),
    ("49", "其他管理因素缺陷", "4", None),
    # --- industry sub-categories, under the GB/T class they belong to ---
    ("JZ01", "建筑施工：高处作业及临边洞口防护", "2102", "construction"),
    ("JZ02", "建筑施工：脚手架及模板支撑体系", "2101", "construction"),
    ("JZ03", "建筑施工：施工临时用电", "2103", "construction"),
    ("JZ04", "建筑施工：起重机械及安装拆卸", "2101", "construction"),
    ("JZ05", "建筑施工：基坑及土方开挖", "32", "construction"),
    ("RQ01", "城镇燃气：管道及附属设施", "2101", "gas"),
    ("RQ02", "城镇燃气：泄漏报警及紧急切断", "2112", "gas"),
    ("RQ03", "城镇燃气：用户端用气安全", "2101", "gas"),
    ("RQ04", "城镇燃气：瓶装燃气经营与储存", "43", "gas"),
    ("XF01", "消防：消防设施器材", "2102", "fire_key"),
    ("XF02", "消防：安全疏散", "3108", "fire_key"),
    ("XF03", "消防：电气线路及电动自行车", "2103", "fire_key"),
    ("XF04", "消防：用火及动火管理", "2109", "fire_key"),
    ("XF05", "消防：消防安全管理", "43", "fire_key"),
    ("WH01", "危险化学品：储存及装卸", "2201", "hazchem"),
    ("WH02", "危险化学品：安全仪表及自动化控制", "2101", "hazchem"),
    ("WH03", "危险化学品：特殊作业管理", "43", "hazchem"),
    ("WH04", "危险化学品：重大危险源管控", "43", "hazchem"),
    ("GM01", "工贸：有限空间作业", "43", "industry_trade"),
    ("GM02", "工贸：粉尘防爆", "2201", "industry_trade"),
    ("GM03", "工贸：机械设备安全防护", "2102", "industry_trade"),
    ("GM04", "工贸：涉氨制冷", "2201", "industry_trade"),
    ("GM05", "工贸：承包承租单位管理", "43", "industry_trade"),
]


ORDER_10 = "工贸企业重大事故隐患判定标准（应急管理部令第10号）"
GB_35181 = "GB 35181-2025《重大火灾隐患判定规则》"


def _criteria():
    """The criteria libraries (criteria_libraries.registry): every module of the package, plus stand-ins."""
    from .criteria_libraries.registry import LIBRARIES

    return LIBRARIES


#: The criteria libraries seeded (a lazy sequence of ``criteria_libraries.Library``).
CRITERIA = _criteria()


class Description(NamedTuple):
    """One entry of the 隐患描述标准库; ``measure`` (a typical fix) and ``criterion`` ((checklist code, item
    number) it matches) are used by the demo generator only and are not stored."""

    category: str
    industry: str | None
    text: str
    level: str
    basis: str
    measure: str
    criterion: tuple[str, str] | None = None


G, M = "general", "major"
LAW = "《中华人民共和国安全生产法》"
FIRE_LAW = "《中华人民共和国消防法》"
ORDER_61 = "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）"

DESCRIPTIONS: list[Description] = [
    # --- general, any industry ---
    Description("2103", None, "配电箱未设置漏电保护装置", G, "GB 50054《低压配电设计规范》", "加装匹配的剩余电流动作保护器，试跳合格"),
    Description("2103", None, "配电箱（柜）门未关闭、无警示标识，箱内线路裸露", G, "GB 50054《低压配电设计规范》", "整理箱内线路，箱门加锁，张贴“当心触电”警示标识"),
    Description("2103", None, "电气线路私拉乱接，未穿管保护", G, ORDER_61, "拆除私拉线路，由持证电工按规范穿管重新敷设"),
    Description("2102", None, "机械设备皮带、齿轮等传动部位未设防护罩", G, "GB/T 8196《机械安全 防护装置》", "加装固定式防护罩并检查紧固"),
    Description("2113", None, "有较大危险因素的场所和设备未设置安全警示标志", G, LAW + "第三十五条", "按GB 2894设置禁止、警告、指令标志"),
    Description("3108", None, "消防通道被杂物堵塞", G, FIRE_LAW + "第二十八条", "清理通道内杂物，划线标识并落实每日巡查"),
    Description("2102", None, "灭火器压力不足或超过维修期限", G, "GB 50444《建筑灭火器配置验收及检查规范》", "更换或送检灭火器，建立月度检查记录"),
    Description("2102", None, "室内消火栓箱内水带、水枪缺失", G, FIRE_LAW + "第十六条", "补齐水带、水枪，箱门张贴检查卡"),
    Description("3109", None, "安全出口上锁或被封闭", G, FIRE_LAW + "第二十八条", "拆除锁具，改装推闩式逃生门锁"),
    Description("2112", None, "疏散指示标志、应急照明损坏或不亮", G, "GB 51309《消防应急照明和疏散指示系统技术标准》", "维修更换灯具，测试应急转换功能"),
    Description("XF03", None, "楼道、楼梯间停放电动自行车或飞线充电", G,
                "《高层民用建筑消防安全管理规定》（应急管理部令第5号）第三十七条（限于高层民用建筑的公共门厅、疏散走道、楼梯间、"
                "安全出口等公共区域；其他建筑和户内按当地规定）", "清理车辆，拆除飞线，引导至集中充电点"),
    Description("XF05", None, "未建立消防安全管理制度，未开展防火检查巡查", G, ORDER_61, "制定消防安全制度，落实每日防火巡查并记录"),
    Description("XF04", None, "动火作业未办理审批手续，现场无监护人", G, ORDER_61, "停止作业，补办动火审批，配备监护人和灭火器材"),
    Description("4304", None, "新入职员工未经安全教育培训即上岗作业", G, LAW + "第二十八条", "停岗补训，考核合格后上岗并建立培训档案"),
    Description("4303", None, "未建立事故隐患排查治理制度及台账", G, LAW + "第四十一条", "制定隐患排查治理制度，建立隐患台账并按月统计"),
    Description("4503", None, "未制定生产安全事故应急预案或未按规定组织演练", G, "《生产安全事故应急预案管理办法》（应急管理部令第2号）", "编制应急预案并备案，组织一次演练并评估"),
    Description("42", None, "未建立全员安全生产责任制", G, LAW + "第二十二条", "制定全员安全生产责任制，逐级签订责任书"),
    Description("41", None, "未按规定设置安全生产管理机构或配备专职安全生产管理人员", G, LAW + "第二十四条", "明确安全管理机构，配备专职安全管理人员"),
    Description("44", None, "安全生产费用未按规定提取和使用", G, "《企业安全生产费用提取和使用管理办法》（财资〔2022〕136号）", "按标准足额提取安全费用，建立使用台账"),
    Description("4305", None, "岗位安全操作规程缺失或未张贴上墙", G, LAW + "第二十一条", "编制岗位操作规程，张贴于岗位并组织学习"),
    Description("3103", None, "作业现场物料堆放杂乱，占用安全通道", G, "GB/T 33000-2016《企业安全生产标准化基本规范》", "清理物料，划定定置区域和通道线"),
    Description("3111", None, "作业场所通风不良，有毒有害气体浓度未定期检测", G, "GBZ 2.1《工作场所有害因素职业接触限值 第1部分：化学有害因素》", "增设机械通风，委托检测并公示结果"),
    Description("1202", None, "作业人员未正确佩戴劳动防护用品", G, LAW + "第四十五条、第五十七条", "现场纠正，补发防护用品并开展班前教育"),
    Description("1201", None, "安排未经培训的人员从事危险作业", G, LAW + "第二十八条", "停止违章作业，调整人员并补训"),
    Description("4301", None, "建设项目安全设施未与主体工程同时设计、同时施工、同时投入使用", G, LAW + "第三十一条", "补办安全设施设计审查，完成竣工验收"),
    Description("4302", None, "未开展安全风险辨识评估，未建立风险分级管控清单", G, LAW + "第四十一条", "组织风险辨识，建立四色分级管控清单"),
    Description("2112", None, "可燃气体探测报警装置缺失或失效", G, "GB/T 50493《石油化工可燃气体和有毒气体检测报警设计标准》", "加装或修复探测器，校验并接入值班室"),
    # --- special equipment, transport, mines ---
    Description("2101", "special_equipment", "电梯、叉车等特种设备未定期检验，检验过期仍在使用", G, "《中华人民共和国特种设备安全法》第四十条", "停用设备，申请定期检验，合格后恢复使用"),
    Description("2101", "special_equipment", "压力容器安全阀未定期校验", G, "TSG 21《固定式压力容器安全技术监察规程》", "拆下安全阀送检，更换校验合格的安全阀"),
    Description("2108", "special_equipment", "厂内叉车超速行驶、违规载人", G, "TSG 81《场（厂）内专用机动车辆安全技术规程》", "处理违章司机，厂区设置限速标志"),
    Description("2101", "road_transport", "营运车辆动态监控装置未正常运行", G, "《道路运输车辆动态监督管理办法》", "维修车载终端，落实监控人员24小时值守"),
    Description("3204", "road_transport", "停车场站车辆乱停，占用消防车通道", G, FIRE_LAW + "第二十八条", "施划停车位，清理占用通道车辆"),
    Description("3207", "non_coal_mine", "露天采场边坡未按设计留设安全平台", G, "GB 16423《金属非金属矿山安全规程》", "按设计修整台阶，设置监测点"),
    # --- construction ---
    Description("JZ01", "construction", "临边、洞口未设置防护栏杆或盖板", G, "JGJ 80《建筑施工高处作业安全技术规范》", "设置定型化防护栏杆和盖板，挂设安全网"),
    Description("JZ01", "construction", "高处作业人员未系挂安全带", G, "JGJ 80《建筑施工高处作业安全技术规范》", "现场纠正，设置安全带挂点并加强旁站"),
    Description("JZ02", "construction", "脚手架连墙件缺失，剪刀撑设置不连续", G, "JGJ 130《建筑施工扣件式钢管脚手架安全技术规范》", "补设连墙件和剪刀撑，验收合格后使用"),
    Description("JZ02", "construction", "模板支撑体系未按专项施工方案搭设", G, "《危险性较大的分部分项工程安全管理规定》（住房和城乡建设部令第37号）", "停止浇筑，按方案整改并组织验收"),
    Description("JZ03", "construction", "施工现场临时用电未实行“一机一闸一漏一箱”", G, "JGJ 46《施工现场临时用电安全技术规范》", "整改配电系统，每台设备独立开关箱"),
    Description("JZ04", "construction", "塔式起重机力矩限制器、起重量限制器失效", G, "JGJ 196《建筑施工塔式起重机安装、使用、拆卸安全技术规程》", "停止使用，修复限位装置并经检测合格"),
    Description("JZ05", "construction", "基坑周边堆载超限，未设置临边防护", G, "JGJ 120《建筑基坑支护技术规程》", "清除超载堆放物，设置防护栏杆和排水沟"),
    # --- gas ---
    Description("RQ03", "gas", "餐饮场所燃气软管老化、超长或穿越墙体", G, "GB 55009《燃气工程项目规范》", "更换金属波纹软管，长度不超过2米"),
    Description("RQ02", "gas", "餐饮等用气场所未安装可燃气体报警装置或报警装置失效", G,
                "《中华人民共和国安全生产法》第三十六条第四款（餐饮等行业使用燃气应当安装可燃气体报警装置并保障其正常使用；"
                "未安装的依第九十九条第（八）项处罚）；GB 55009《燃气工程项目规范》", "安装泄漏报警及联动切断装置"),
    Description("RQ04", "gas", "瓶装液化石油气钢瓶存放在地下室或超量存放", G, "GB 51142《液化石油气供应工程设计规范》", "清出地下室钢瓶，按规定限量存放"),
    Description("RQ01", "gas", "燃气管道被违章占压", G, "《城镇燃气管理条例》", "拆除占压建筑物，恢复管道保护范围"),
    # --- hazardous chemicals ---
    Description("WH01", "hazchem", "危险化学品未按禁忌要求分类储存，超量储存", G, "GB 15603《危险化学品仓库储存通则》", "分区分类存放，清理超量物料"),
    Description("WH01", "hazchem", "储罐区防火堤破损、穿堤管线未封堵", G, "GB 50351《储罐区防火堤设计规范》", "修补防火堤，封堵穿堤孔洞"),
    Description("WH03", "hazchem", "动火、受限空间等特殊作业未办理作业票", G, "GB 30871《危险化学品企业特殊作业安全规范》", "停止作业，办理作业票并落实监护"),
    Description("WH02", "hazchem", "装卸区未设置静电接地报警装置", G, "GB 50160《石油化工企业设计防火标准》", "加装静电接地报警器并接入联锁"),
    Description("WH04", "hazchem", "危险化学品安全技术说明书和安全标签缺失", G, "《危险化学品安全管理条例》", "补齐安全技术说明书，粘贴安全标签"),
    # --- industry & trade ---
    Description("GM02", "industry_trade", "除尘器灰斗积灰未及时清理", G, "GB 15577《粉尘防爆安全规程》", "清理积灰，制定清灰周期并记录"),
    Description("GM03", "industry_trade", "冲压设备未安装双手操作或光电保护装置", G, "GB 27607《机械压力机 安全技术要求》", "加装光电保护装置并试验有效"),
    Description("GM01", "industry_trade", "有限空间作业未执行“先通风、再检测、后作业”", M, ORDER_10 + "第十三条第（二）项", "停止作业，配备通风检测设备，落实审批和专人监护", ("gm_major", "13.2")),
    Description("GM01", "industry_trade", "有限空间未辨识、未建立管理台账且未设置安全警示标志", M, ORDER_10 + "第十三条第（一）项", "辨识有限空间，建立台账，逐一设置警示标志", ("gm_major", "13.1")),
    Description("GM02", "industry_trade", "干式除尘系统未采取泄爆、惰化、抑爆等任何爆炸防控措施", M, ORDER_10 + "第十一条第（三）项", "停用除尘系统，加装泄爆装置并经评估", ("gm_major", "11.3")),
    Description("GM02", "industry_trade", "粉尘作业现场积尘严重，未落实粉尘清理制度", M, ORDER_10 + "第十一条第（十）项", "全面清扫积尘，落实按班清理制度", ("gm_major", "11.10")),
    Description("GM04", "industry_trade", "快速冻结装置作业间内作业人员超过9人", M, ORDER_10 + "第十二条第（二）项", "调整排班，作业间人员控制在9人以内", ("gm_major", "12.2")),
    Description("GM05", "industry_trade", "未与承包、承租单位签订安全生产管理协议，未统一协调管理", M, ORDER_10 + "第三条第（一）项；" + LAW + "第四十九条", "签订安全管理协议，纳入统一检查", ("gm_major", "3.1")),
    Description("1202", "industry_trade", "特种作业人员未持证上岗", M, ORDER_10 + "第三条第（二）项；" + LAW + "第三十条", "调离无证人员，送培取证后上岗", ("gm_major", "3.2")),
    # --- fire (重大火灾隐患 where GB 35181 applies) ---
    Description("XF02", "crowded", "人员密集场所疏散通道、安全出口被封堵", M, GB_35181 + "第5章", "拆除封堵物，恢复疏散通道和安全出口畅通", ("gb35181", "3")),
    Description("XF01", "crowded", "商店、公共娱乐场所未按规定设置自动喷水灭火系统或火灾自动报警系统", M, GB_35181 + "第5章", "委托有资质单位设计安装，验收合格前限制营业", ("gb35181", "4")),
    Description("XF04", "crowded", "人员密集场所违规使用、储存易燃易爆危险品", M, GB_35181 + "第5章", "清出易燃易爆危险品，落实专人检查", ("gb35181", "6")),
    Description("WH01", "hazchem", "易燃易爆危险品储存场所与人员密集场所、居住场所设在同一建筑内", M, GB_35181 + "第5章", "搬离危险品或停止居住使用，实施防火分隔", ("gb35181", "2")),
    Description("WH01", "fireworks", "烟花爆竹零售点与居民居住场所设在同一建筑物内", M, GB_35181 + "第5章；《烟花爆竹安全管理条例》", "停止零售，另行选址", ("gb35181", "2")),
    Description("XF01", "gas", "燃气储罐区未按规定设置固定冷却、可燃气体浓度报警设施", M, GB_35181 + "第5章", "增设喷淋冷却和浓度报警系统", ("gb35181", "5")),
    Description("XF05", "rental", "出租房居住场所采用燃烧性能低于A级的彩钢夹芯板搭建", M, GB_35181 + "第5章", "拆除违规彩钢板房，改用A级材料", ("gb35181", "8")),
    Description("XF02", "school", "幼儿园儿童用房所在楼层位置不符合规定", M, GB_35181 + "第5章", "调整儿童用房至规定楼层", ("gb35181", "7")),
    Description("XF01", "fire_key", "火灾自动报警系统故障，长期处于屏蔽状态", G, ORDER_61, "维修系统，解除屏蔽，委托维保单位检测"),
    Description("XF05", "fire_key", "消防控制室值班人员未持证或不足两人", G, "GB 25506《消防控制室通用技术要求》", "配齐持证值班人员，落实24小时双人值班"),
    Description("XF03", "crowded", "商场营业期间违规电焊、切割作业", G, ORDER_61, "停止作业，改在非营业时间并办理动火审批"),
    Description("XF03", "rental", "出租房内电动自行车入户充电", G,
                "当地电动自行车消防安全管理规定（《高层民用建筑消防安全管理规定》第三十七条只适用于高层民用建筑的公共门厅、"
                "疏散走道、楼梯间、安全出口等公共区域，不及于户内）", "清出车辆和电池，设置集中充电点"),
    Description("2103", "school", "学生宿舍违规使用大功率电器", G, ORDER_61, "收缴违规电器，加装限流装置"),
]


def current_criterion(criterion: tuple[str, str] | None) -> tuple[str, str] | None:
    """A description's or inspection item's (code, number) in the library in use: the retired thin GB 35181
    seed's numbers "1".."8" become GB 35181-2025's (``fire_2025.THIN_V1_TO_2025``, gb35181 version 2)."""
    if criterion is None or criterion[0] != "gb35181":
        return criterion
    try:
        from .criteria_libraries.fire_2025 import THIN_V1_TO_2025
    except ImportError:
        return criterion
    number = THIN_V1_TO_2025.get(criterion[1])
    if isinstance(number, (list, tuple)):
        number = number[0] if number else None
    return ("gb35181", number) if number else criterion


def _getter(get_model):
    if get_model is None:
        from django.apps import apps

        return apps.get_model
    return get_model


def seed_catalogue(get_model=None) -> dict[str, int]:
    """Create or bring up to date the categories, descriptions and criteria (idempotent).

    ``get_model`` is ``apps.get_model`` of a migration (historical models) or None for the
    current models (the demo generator after ``flush``). Returns the counts seeded.
    """
    get = _getter(get_model)
    Industry = get("orgs", "Industry")
    Category = get("hazards", "HazardCategory")
    StandardDescription = get("hazards", "StandardDescription")
    industries = {i.code: i for i in Industry.objects.all()}
    categories: dict[str, object] = {}
    for sort, (code, name, parent_code, industry_code) in enumerate(CATEGORIES, start=1):
        parent = categories.get(parent_code) if parent_code else None
        path = f"{parent.path if parent else '/'}{code}/"
        categories[code], _ = Category.objects.update_or_create(code=code, defaults={
            "name": name, "parent": parent, "path": path, "industry": industries.get(industry_code) if industry_code else None,
            "sort": sort * 10, "active": True,
        })
    for d in DESCRIPTIONS:
        StandardDescription.objects.update_or_create(text=d.text, defaults={
            "category": categories[d.category], "industry": industries.get(d.industry) if d.industry else None,
            "suggested_level": d.level, "basis": d.basis,
        })
    items = seed_criteria(get_model, categories=categories, industries=industries)
    return {"categories": len(categories), "descriptions": len(DESCRIPTIONS), "criteria_items": items}


class PublishedVersionChanged(Exception):
    """A library's text differs from its published version in the database: publish a new version instead."""


def _item_fields(item, categories) -> dict:
    return {
        "text": item.text, "basis": item.basis[:300], "category": categories.get(item.category),
        "conditions": [{"key": c.key, "text": c.text} for c in item.conditions],
        "industries": list(item.industries), "combined": item.combined, "source_note": item.source_note[:300],
    }


def _differs(row, fields: dict) -> list[str]:
    return [name for name, value in fields.items()
            if (getattr(row, name + "_id") if name == "category" else getattr(row, name))
            != (value.pk if name == "category" and value is not None else value)]


def seed_criteria(get_model=None, *, categories=None, industries=None, libraries=None, corrections: bool = False) -> int:
    """Create the criteria libraries' checklists, items and combined rules; retire the withdrawn versions.

    Idempotent by natural keys ((code, version), (checklist, number)). A published version is never
    edited: an item absent from the database (an item of the instrument not held before, listed as
    missing) is added, but a changed text of an existing item raises ``PublishedVersionChanged`` —
    publish it as a new version. ``corrections=True`` (hazards migration 0008 only) lets the thin seeds'
    wording be brought to the instrument's own text once. Returns the number of items.
    """
    from .criteria_libraries import registry

    get = _getter(get_model)
    Industry = get("orgs", "Industry")
    Category = get("hazards", "HazardCategory")
    Checklist = get("hazards", "Checklist")
    ChecklistItem = get("hazards", "ChecklistItem")
    industries = industries if industries is not None else {i.code: i for i in Industry.objects.all()}
    categories = categories if categories is not None else {c.code: c for c in Category.objects.all()}
    if not any(f.name == "conditions" for f in ChecklistItem._meta.get_fields()):
        # hazards 0002 (before 0008_criteria_applicability): the thin seeds in the columns of that time
        return _seed_thin(Checklist, ChecklistItem, categories, industries)
    CombinedRule = get("hazards", "CombinedRule")
    libraries = list(libraries if libraries is not None else registry.LIBRARIES)
    count = 0
    for lib in libraries:
        retired = (lib.code, lib.version) in registry.RETIRED
        published = datetime.datetime.combine(lib.effective_from, datetime.time(0, 0), tzinfo=SHANGHAI)
        head = {
            "name": lib.name[:200], "kind": "major_criteria", "basis": lib.basis[:300],
            "industry": industries.get(lib.industries[0]) if lib.industries else None,
            "effective_from": lib.effective_from, "effective_to": lib.effective_to,
            "exclusions": list(lib.exclusions), "missing": [list(m) for m in lib.missing], "notes": lib.notes,
            "expected_count": lib.expected_count,
        }
        checklist = Checklist.objects.filter(code=lib.code, version=lib.version).first()
        if checklist is None:
            # A library with no item yet (its text not found) is a draft: never judged by, and still open
            # to its text when it is found.
            status = "retired" if retired else ("published" if lib.items else "draft")
            checklist = Checklist.objects.create(code=lib.code, version=lib.version, status=status,
                                                 published_at=published if status != "draft" else None, **head)
        else:
            changed = [k for k, v in head.items() if getattr(checklist, k) != v and k not in ("missing", "notes")]
            if changed and checklist.status != "draft" and not corrections:
                raise PublishedVersionChanged(f"{lib.code} 第{lib.version}版已发布，不能修改（{', '.join(changed)}）：请发布新版本")
            for k, v in head.items():
                setattr(checklist, k, v)
            if retired:
                checklist.status = "retired"
            elif checklist.status == "draft" and lib.items:  # the text found: published from now on
                checklist.status, checklist.published_at = "published", published
            checklist.save()
        checklist.industries.set([industries[c] for c in lib.industries if c in industries])
        rows = {r.number: r for r in ChecklistItem.objects.filter(checklist=checklist)}
        for sort, item in enumerate(lib.items, start=1):
            fields = _item_fields(item, categories)
            row = rows.get(item.number)
            if row is None:
                rows[item.number] = ChecklistItem.objects.create(checklist=checklist, number=item.number, suggested_level="major",
                                                                 sort=sort * 10, **fields)
            elif _differs(row, fields):
                if not corrections:
                    raise PublishedVersionChanged(f"{lib.code} 第{lib.version}版第{item.number}项已发布，不能修改：请发布新版本")
                for k, v in fields.items():
                    setattr(row, k, v)
                row.sort = sort * 10
                row.save()
            count += 1
        for sort, rule in enumerate(lib.combined_rules, start=1):
            stored, created = CombinedRule.objects.get_or_create(checklist=checklist, number=rule.number, defaults={
                "text": rule.text, "basis": rule.basis[:300], "min_elements": rule.min_elements,
                "place_kinds": list(rule.place_kinds), "sort": sort * 10})
            if not created and (stored.text, stored.min_elements, stored.place_kinds) != (rule.text, rule.min_elements, list(rule.place_kinds)):
                if not corrections:
                    raise PublishedVersionChanged(f"{lib.code} 第{lib.version}版综合判定规则{rule.number}已发布，不能修改：请发布新版本")
                stored.text, stored.basis, stored.min_elements, stored.place_kinds = rule.text, rule.basis[:300], rule.min_elements, list(rule.place_kinds)
                stored.save()
            stored.elements.set([rows[n] for n in rule.elements if n in rows])
    for code, version in registry.RETIRED:
        Checklist.objects.filter(code=code, version=version).exclude(status="retired").update(status="retired")
    return count


def _seed_thin(Checklist, ChecklistItem, categories, industries) -> int:
    """The thin seeds as hazards 0002 wrote them (the inspections templates of 0005 refer to their items)."""
    from .criteria_libraries.thin import LIBRARIES as THIN

    count = 0
    for lib in THIN:
        published = datetime.datetime.combine(lib.effective_from, datetime.time(0, 0), tzinfo=SHANGHAI)
        checklist, _ = Checklist.objects.update_or_create(code=lib.code, version=lib.version, defaults={
            "name": lib.name, "kind": "major_criteria", "industry": industries.get(lib.industries[0]) if lib.industries else None,
            "basis": lib.basis, "effective_from": lib.effective_from, "status": "published", "published_at": published,
        })
        for sort, item in enumerate(lib.items, start=1):
            ChecklistItem.objects.update_or_create(checklist=checklist, number=item.number, defaults={
                "text": item.text, "basis": item.basis, "category": categories[item.category], "suggested_level": "major",
                "sort": sort * 10,
            })
            count += 1
    return count
