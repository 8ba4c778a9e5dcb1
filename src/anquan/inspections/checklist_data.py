"""Seeded inspection checklist templates (检查表): 消防安全, 城镇燃气, 建筑施工, 工贸通用.

Published system templates (no owner unit: usable everywhere), version 1, written in our own words
after the laws and standards they cite. Article numbers are given only where the article is certain;
otherwise the law or standard is named without one. Each item says what a 不符合 answer means: the
hazard category (codes of ``hazards.catalogue_data.CATEGORIES``), the suggested level, and — where
the item *is* a 重大事故隐患 — the criterion of the seeded 判定标准 it matches (checklist code, item
number), which makes the suggested level 重大.

Why data here and not in the migration: the migration (``0005_seed_checklists``) seeds it, and the
demo generator and tests may call ``seed_checklists`` again after a ``flush``. It is idempotent: a
template is found by ``(code, version)`` and an item by ``(checklist, number)``; a template that exists
is never changed (published versions are immutable), only items missing from it are added. It needs
the hazard catalogue (categories and criteria) seeded first and seeds it when absent.
"""
from __future__ import annotations

import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
G, M = "general", "major"

FIRE_LAW = "《中华人民共和国消防法》"
SAFETY_LAW = "《中华人民共和国安全生产法》"
ORDER_61 = "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）"
GAS_REG = "《城镇燃气管理条例》"
CONSTRUCTION_REG = "《建设工程安全生产管理条例》"
JGJ_59 = "JGJ 59《建筑施工安全检查标准》"
ORDER_10 = "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）"
GB_35181 = "GB 35181-2025《重大火灾隐患判定规则》"


class Item(NamedTuple):
    number: str
    text: str
    basis: str
    how: str
    category: str
    level: str = G
    #: (criteria checklist code, item number) of the 重大事故隐患判定标准 this item is, if any.
    criterion: tuple[str, str] | None = None


class Template(NamedTuple):
    code: str
    name: str
    industry: str | None
    basis: str
    items: list[Item]


TEMPLATES: list[Template] = [
    Template(
        "jc_fire", "消防安全检查表（通用）", None,
        FIRE_LAW + "；" + ORDER_61 + "；GB 50016《建筑设计防火规范》；GB 50140《建筑灭火器配置设计规范》",
        [
            Item("1", "是否确定消防安全责任人、管理人，制定消防安全制度和操作规程", FIRE_LAW + "第十六条；" + ORDER_61,
                 "查阅任命文件、消防安全制度和操作规程", "XF05"),
            Item("2", "是否按规定开展防火检查、巡查并留有记录", ORDER_61,
                 "查阅近三个月防火检查、巡查记录，抽问值班人员", "XF05"),
            Item("3", "灭火器配置类型、数量和位置是否符合要求，压力正常、在维修期限内",
                 "GB 50140《建筑灭火器配置设计规范》；GB 50444《建筑灭火器配置验收及检查规范》",
                 "现场抽查灭火器压力表、铭牌和维修标识", "XF01"),
            Item("4", "室内消火栓箱内水带、水枪、阀门等配件齐全完好，箱门无遮挡", FIRE_LAW + "第十六条",
                 "打开消火栓箱检查配件，观察周边是否被物品遮挡", "XF01"),
            Item("5", "疏散通道、安全出口是否畅通，有无占用、堵塞、封闭", FIRE_LAW + "第二十八条",
                 "沿疏散路线走查，检查安全出口门是否上锁或被封堵", "XF02"),
            Item("6", "人员密集场所疏散通道、安全出口是否被封堵，安全出口数量、疏散宽度是否严重不足",
                 GB_35181 + "第5章", "对照消防设计文件核对出口数量和宽度，现场查看有无封堵", "XF02", M, ("gb35181", "3")),
            Item("7", "疏散指示标志、应急照明是否完好有效", "GB 51309《消防应急照明和疏散指示系统技术标准》",
                 "断开正常电源测试应急照明和疏散指示标志", "2112"),
            Item("8", "按规定应设置的自动喷水灭火系统、火灾自动报警系统是否设置并正常运行",
                 GB_35181 + "第5章；附录A", "查看消防控制室报警主机状态和喷淋系统末端试水", "XF01", M, ("gb35181", "4")),
            Item("9", "消防控制室是否实行24小时值班，值班人员持证上岗", "GB 25506《消防控制室通用技术要求》",
                 "查看值班记录、值班人员证书，现场提问操作程序", "XF05"),
            Item("10", "电气线路是否规范敷设，有无私拉乱接、超负荷用电", ORDER_61,
                 "查看配电箱和线路敷设，检查有无临时拖线", "XF03"),
            Item("11", "有无电动自行车在楼道、楼梯间、安全出口处停放或充电", "《高层民用建筑消防安全管理规定》（应急管理部令第5号）",
                 "巡查楼道、楼梯间和门厅", "XF03"),
            Item("12", "动火作业是否办理审批，落实现场监护和灭火措施", FIRE_LAW + "第二十一条",
                 "查阅动火审批记录，现场检查作业点监护人和灭火器材", "XF04"),
            Item("13", "人员密集场所内是否违规使用、储存、销售易燃易爆危险品", GB_35181 + "第5章",
                 "检查库房、后厨、营业区域有无易燃易爆物品", "XF04", M, ("gb35181", "6")),
            Item("14", "人员密集场所内的居住场所是否采用燃烧性能低于A级的彩钢夹芯板搭建", GB_35181 + "第5章",
                 "查看宿舍、值班室等居住场所的建筑材料", "XF05", M, ("gb35181", "8")),
            Item("15", "是否制定灭火和应急疏散预案并定期组织演练", FIRE_LAW + "第十六条",
                 "查阅预案和演练记录", "4505"),
        ],
    ),
    Template(
        "jc_gas", "城镇燃气用户安全检查表", "gas",
        GAS_REG + "；GB 50028《城镇燃气设计规范》；GB 55009《燃气工程项目规范》",
        [
            Item("1", "燃气管道、阀门、计量表有无锈蚀、损坏、漏气", GAS_REG,
                 "用检漏仪或肥皂水检测接口，查看管道外观", "RQ01"),
            Item("2", "燃气管道是否被违章占压，或在安全保护范围内有施工、堆放", GAS_REG,
                 "沿管线走查，核对保护范围内的建（构）筑物和施工", "RQ01"),
            Item("3", "用气场所是否安装可燃气体泄漏报警装置并与紧急切断阀联动，装置有效",
                 "GB 55009《燃气工程项目规范》", "按下测试按钮或使用标准气样测试报警和切断", "RQ02"),
            Item("4", "燃具连接软管是否为金属软管，有无老化、超长、穿越墙体",
                 "GB 55009《燃气工程项目规范》", "查看软管材质、长度和敷设位置", "RQ03"),
            Item("5", "燃气用具是否有熄火保护装置，是否为合格产品", "GB 55009《燃气工程项目规范》",
                 "查看燃具铭牌、合格证，点火后测试熄火保护", "RQ03"),
            Item("6", "瓶装液化石油气钢瓶是否存放在地下室、半地下室，是否超量存放",
                 "GB 51142《液化石油气供应工程设计规范》", "检查钢瓶存放位置和数量", "RQ04"),
            Item("7", "钢瓶是否来自有经营许可的供应企业，在检验有效期内", GAS_REG,
                 "查看钢瓶标签、检验标志和购气凭证", "RQ04"),
            Item("8", "用气场所是否通风良好，燃气设施所在房间有无人员住宿", "GB 50028《城镇燃气设计规范》",
                 "查看通风设施，询问住宿情况", "RQ03"),
            Item("9", "燃气储罐（区）是否按规定设置固定冷却、可燃气体浓度报警设施",
                 GB_35181 + "第5章", "查看储罐区喷淋冷却、浓度报警设施及运行记录", "XF01", M, ("gb35181", "5")),
            Item("10", "从业人员是否经燃气安全培训，掌握泄漏应急处置方法", GAS_REG,
                 "查阅培训记录，现场提问泄漏处置步骤", "4304"),
        ],
    ),
    Template(
        "jc_construction", "建筑施工安全检查表", "construction",
        CONSTRUCTION_REG + "；" + JGJ_59 + "；《危险性较大的分部分项工程安全管理规定》（住房和城乡建设部令第37号）",
        [
            Item("1", "是否建立安全生产责任制，配备专职安全生产管理人员", CONSTRUCTION_REG + "；" + JGJ_59,
                 "查阅责任制文件和项目安全管理人员配备、证书", "42"),
            Item("2", "危险性较大的分部分项工程是否编制专项施工方案并按规定审批、论证、交底",
                 CONSTRUCTION_REG + "第二十六条；《危险性较大的分部分项工程安全管理规定》（住房和城乡建设部令第37号）",
                 "查阅危大工程清单、专项方案、审批和专家论证资料", "4305"),
            Item("3", "特种作业人员是否持证上岗", CONSTRUCTION_REG + "第二十五条",
                 "现场核对塔吊司机、信号工、电工、架子工等操作资格证书", "1202"),
            Item("4", "临边、洞口是否设置防护栏杆、盖板和安全网", "JGJ 80《建筑施工高处作业安全技术规范》",
                 "巡查楼层临边、电梯井口、预留洞口", "JZ01"),
            Item("5", "高处作业人员是否正确系挂安全带", "JGJ 80《建筑施工高处作业安全技术规范》",
                 "现场观察高处作业人员", "JZ01"),
            Item("6", "脚手架连墙件、剪刀撑是否按方案设置，验收合格后使用",
                 "JGJ 130《建筑施工扣件式钢管脚手架安全技术规范》", "查看脚手架搭设情况和验收记录", "JZ02"),
            Item("7", "模板支撑体系是否按专项方案搭设并经验收",
                 "《危险性较大的分部分项工程安全管理规定》（住房和城乡建设部令第37号）", "对照方案查看立杆间距、扫地杆和验收记录", "JZ02"),
            Item("8", "施工现场临时用电是否采用TN-S系统，实行“一机一闸一漏一箱”",
                 "JGJ 46《施工现场临时用电安全技术规范》", "查看配电系统、开关箱和漏电保护器试跳", "JZ03"),
            Item("9", "塔式起重机力矩限制器、起重量限制器、限位装置是否齐全有效",
                 "JGJ 196《建筑施工塔式起重机安装、使用、拆卸安全技术规程》", "查看安全装置并核对检测报告", "JZ04"),
            Item("10", "起重机械安装拆卸是否由具备资质的单位实施，使用前经检验检测合格", CONSTRUCTION_REG,
                 "查阅安装拆卸单位资质、检验检测报告和使用登记", "JZ04"),
            Item("11", "基坑周边有无超载堆放，是否设置临边防护和排水措施", "JGJ 120《建筑基坑支护技术规程》",
                 "查看基坑周边堆载、防护栏杆、排水沟和监测记录", "JZ05"),
            Item("12", "施工人员是否经三级安全教育，作业前是否进行安全技术交底", CONSTRUCTION_REG + "；" + JGJ_59,
                 "查阅教育记录、交底记录，抽问作业人员", "4304"),
            Item("13", "施工现场消防器材配置、动火审批和易燃材料存放是否符合要求", FIRE_LAW + "第二十一条；GB 50720《建设工程施工现场消防安全技术规范》",
                 "查看灭火器配置、动火审批记录和易燃材料堆放", "XF04"),
        ],
    ),
    Template(
        "jc_gm", "工贸企业安全生产检查表（通用）", "industry_trade",
        SAFETY_LAW + "；" + ORDER_10 + "；《工贸企业有限空间作业安全规定》（应急管理部令第13号）；《工贸企业粉尘防爆安全规定》（应急管理部令第6号）",
        [
            Item("1", "是否建立全员安全生产责任制并落实", SAFETY_LAW + "第二十二条", "查阅责任制文件和考核记录", "42"),
            Item("2", "是否按规定设置安全生产管理机构或配备安全生产管理人员", SAFETY_LAW + "第二十四条",
                 "查阅机构设置文件和人员任命", "41"),
            Item("3", "从业人员是否经安全生产教育和培训合格后上岗", SAFETY_LAW + "第二十八条",
                 "查阅培训档案，抽问岗位人员", "4304"),
            Item("4", "特种作业人员是否按规定经专门的安全作业培训并取得相应资格上岗作业",
                 ORDER_10 + "第三条第（二）项；" + SAFETY_LAW + "第三十条", "现场核对电工、焊工、叉车司机等证书", "1202", M, ("gm_major", "3.2")),
            Item("5", "是否对承包单位、承租单位的安全生产工作统一协调、管理并定期检查",
                 ORDER_10 + "第三条第（一）项；" + SAFETY_LAW + "第四十九条", "查阅安全管理协议和检查记录", "GM05", M, ("gm_major", "3.1")),
            Item("6", "是否开展安全风险辨识评估，建立风险分级管控和隐患排查治理制度", SAFETY_LAW + "第四十一条",
                 "查阅风险清单、隐患排查台账", "4302"),
            Item("7", "有较大危险因素的场所和设备设施是否设置明显的安全警示标志", SAFETY_LAW + "第三十五条",
                 "现场查看危险部位警示标志", "2113"),
            Item("8", "机械设备传动部位是否设置防护罩，冲压设备是否安装安全保护装置",
                 "GB/T 8196《机械安全 防护装置 固定式和活动式防护装置的设计与制造一般要求》", "现场检查设备防护和光电保护装置", "GM03"),
            Item("9", "存在中毒风险的有限空间是否辨识、建立台账并设置明显的安全警示标志",
                 ORDER_10 + "第十三条第（一）项", "查阅有限空间台账，现场查看警示标志", "GM01", M, ("gm_major", "13.1")),
            Item("10", "有限空间作业是否审批，是否执行“先通风、再检测、后作业”，是否设专人监护",
                 ORDER_10 + "第十三条第（二）项", "查阅作业审批单和检测记录，现场查看监护", "GM01", M, ("gm_major", "13.2")),
            Item("11", "干式除尘系统是否采取泄爆、惰化、抑爆等爆炸防控措施", ORDER_10 + "第十一条第（三）项",
                 "查看除尘器泄爆片、隔爆阀等装置", "GM02", M, ("gm_major", "11.3")),
            Item("12", "是否落实粉尘清理制度，作业现场有无严重积尘", ORDER_10 + "第十一条第（十）项",
                 "查看清扫记录，现场检查设备、地面、梁柱积尘", "GM02", M, ("gm_major", "11.10")),
            Item("13", "快速冻结装置是否设在单独作业间内，作业间内作业人员是否超过9人", ORDER_10 + "第十二条第（二）项",
                 "查看涉氨制冷车间布置和当班人数", "GM04", M, ("gm_major", "12.2")),
            Item("14", "配电箱是否设置漏电保护，线路有无私拉乱接", "GB 50054《低压配电设计规范》",
                 "检查配电箱并试跳漏电保护器", "2103"),
            Item("15", "是否制定生产安全事故应急预案并定期演练", "《生产安全事故应急预案管理办法》（应急管理部令第2号）",
                 "查阅预案、备案和演练记录", "4503"),
        ],
    ),
]


def seed_checklists(get_model=None) -> dict[str, int]:
    """Create the seeded templates where missing (idempotent; existing templates are never changed)."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    Industry = get_model("orgs", "Industry")
    Category = get_model("hazards", "HazardCategory")
    Checklist = get_model("hazards", "Checklist")
    ChecklistItem = get_model("hazards", "ChecklistItem")
    if not Category.objects.exists():
        from anquan.hazards.catalogue_data import seed_catalogue

        seed_catalogue(get_model)
    from anquan.hazards.catalogue_data import current_criterion

    industries = {i.code: i for i in Industry.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    criteria = {
        (i.checklist.code, i.number): i
        for i in ChecklistItem.objects.filter(checklist__kind="major_criteria", checklist__status="published").select_related("checklist")
    }
    published = datetime.datetime(2026, 1, 1, tzinfo=SHANGHAI)
    # ChecklistItem.finding came later (hazards 0007): the seeding migration 0005 runs without it.
    has_finding = any(f.name == "finding" for f in ChecklistItem._meta.get_fields())
    made = 0
    for t in TEMPLATES:
        checklist, _ = Checklist.objects.get_or_create(code=t.code, version=1, defaults={
            "name": t.name, "kind": "inspection", "industry": industries.get(t.industry) if t.industry else None,
            "basis": t.basis, "effective_from": published.date(), "status": "published", "published_at": published,
        })
        have = set(ChecklistItem.objects.filter(checklist=checklist).values_list("number", flat=True))
        new = []
        for sort, item in enumerate(t.items, start=1):
            if item.number in have:
                continue
            # the library in use (GB 35181-2025 for the retired thin seed), else the seed's own item (migration 0005)
            criterion = (criteria.get(current_criterion(item.criterion)) or criteria.get(item.criterion)) if item.criterion else None
            new.append(ChecklistItem(
                checklist=checklist, number=item.number, text=item.text, basis=item.basis, how_to_check=item.how,
                category=categories.get(item.category), suggested_level=M if criterion else item.level,
                major_criterion=criterion, sort=sort * 10,
                **({"finding": FINDINGS.get(item.text, "")} if has_finding else {}),
            ))
        ChecklistItem.objects.bulk_create(new)
        made += len(new)
    return {"templates": len(TEMPLATES), "items_created": made}


#: The name the demo generator calls after ``flush`` (``demo.inspections.templates``).
seed = seed_checklists


#: What a 不符合 answer to each seeded item says (``ChecklistItem.finding``: the title of the hazard it
#: raises), keyed by the item's text. Written by hand: the items are questions, and a rule cannot tell
#: "是否违规使用" (the fault) from "是否办理审批" (the duty).
FINDINGS: dict[str, str] = {
    "是否确定消防安全责任人、管理人，制定消防安全制度和操作规程": "未确定消防安全责任人、管理人或未制定消防安全制度和操作规程",
    "是否按规定开展防火检查、巡查并留有记录": "未按规定开展防火检查、巡查或无记录",
    "灭火器配置类型、数量和位置是否符合要求，压力正常、在维修期限内": "灭火器配置类型、数量或位置不符合要求，或压力不足、超过维修期限",
    "室内消火栓箱内水带、水枪、阀门等配件齐全完好，箱门无遮挡": "室内消火栓箱配件缺损或箱门被遮挡",
    "疏散通道、安全出口是否畅通，有无占用、堵塞、封闭": "疏散通道、安全出口被占用、堵塞或封闭",
    "人员密集场所疏散通道、安全出口是否被封堵，安全出口数量、疏散宽度是否严重不足":
        "人员密集场所疏散通道、安全出口被封堵，或安全出口数量、疏散宽度严重不足",
    "疏散指示标志、应急照明是否完好有效": "疏散指示标志、应急照明损坏或失效",
    "按规定应设置的自动喷水灭火系统、火灾自动报警系统是否设置并正常运行":
        "未按规定设置自动喷水灭火系统、火灾自动报警系统或不能正常运行",
    "消防控制室是否实行24小时值班，值班人员持证上岗": "消防控制室未实行24小时值班或值班人员无证上岗",
    "电气线路是否规范敷设，有无私拉乱接、超负荷用电": "电气线路敷设不规范，私拉乱接或超负荷用电",
    "有无电动自行车在楼道、楼梯间、安全出口处停放或充电": "电动自行车在楼道、楼梯间、安全出口处停放或充电",
    "动火作业是否办理审批，落实现场监护和灭火措施": "动火作业未办理审批或未落实现场监护和灭火措施",
    "人员密集场所内是否违规使用、储存、销售易燃易爆危险品": "人员密集场所内违规使用、储存、销售易燃易爆危险品",
    "人员密集场所内的居住场所是否采用燃烧性能低于A级的彩钢夹芯板搭建":
        "人员密集场所内的居住场所采用燃烧性能低于A级的彩钢夹芯板搭建",
    "是否制定灭火和应急疏散预案并定期组织演练": "未制定灭火和应急疏散预案或未定期组织演练",
    "燃气管道、阀门、计量表有无锈蚀、损坏、漏气": "燃气管道、阀门、计量表锈蚀、损坏或漏气",
    "燃气管道是否被违章占压，或在安全保护范围内有施工、堆放": "燃气管道被违章占压，或安全保护范围内有施工、堆放",
    "用气场所是否安装可燃气体泄漏报警装置并与紧急切断阀联动，装置有效":
        "用气场所未安装可燃气体泄漏报警装置、未与紧急切断阀联动或装置失效",
    "燃具连接软管是否为金属软管，有无老化、超长、穿越墙体": "燃具连接软管不是金属软管，或老化、超长、穿越墙体",
    "燃气用具是否有熄火保护装置，是否为合格产品": "燃气用具无熄火保护装置或不是合格产品",
    "瓶装液化石油气钢瓶是否存放在地下室、半地下室，是否超量存放": "瓶装液化石油气钢瓶存放在地下室、半地下室或超量存放",
    "钢瓶是否来自有经营许可的供应企业，在检验有效期内": "钢瓶不是来自有经营许可的供应企业或超过检验有效期",
    "用气场所是否通风良好，燃气设施所在房间有无人员住宿": "用气场所通风不良或燃气设施所在房间有人员住宿",
    "燃气储罐（区）是否按规定设置固定冷却、可燃气体浓度报警设施": "燃气储罐（区）未按规定设置固定冷却、可燃气体浓度报警设施",
    "从业人员是否经燃气安全培训，掌握泄漏应急处置方法": "从业人员未经燃气安全培训或未掌握泄漏应急处置方法",
    "是否建立安全生产责任制，配备专职安全生产管理人员": "未建立安全生产责任制或未配备专职安全生产管理人员",
    "危险性较大的分部分项工程是否编制专项施工方案并按规定审批、论证、交底":
        "危险性较大的分部分项工程未编制专项施工方案或未按规定审批、论证、交底",
    "特种作业人员是否持证上岗": "特种作业人员无证上岗",
    "临边、洞口是否设置防护栏杆、盖板和安全网": "临边、洞口未设置防护栏杆、盖板或安全网",
    "高处作业人员是否正确系挂安全带": "高处作业人员未正确系挂安全带",
    "脚手架连墙件、剪刀撑是否按方案设置，验收合格后使用": "脚手架连墙件、剪刀撑未按方案设置或未经验收合格即使用",
    "模板支撑体系是否按专项方案搭设并经验收": "模板支撑体系未按专项方案搭设或未经验收",
    "施工现场临时用电是否采用TN-S系统，实行“一机一闸一漏一箱”": "施工现场临时用电未采用TN-S系统或未实行“一机一闸一漏一箱”",
    "塔式起重机力矩限制器、起重量限制器、限位装置是否齐全有效": "塔式起重机力矩限制器、起重量限制器、限位装置缺失或失效",
    "起重机械安装拆卸是否由具备资质的单位实施，使用前经检验检测合格":
        "起重机械安装拆卸单位不具备资质，或使用前未经检验检测合格",
    "基坑周边有无超载堆放，是否设置临边防护和排水措施": "基坑周边超载堆放或未设置临边防护和排水措施",
    "施工人员是否经三级安全教育，作业前是否进行安全技术交底": "施工人员未经三级安全教育或作业前未进行安全技术交底",
    "施工现场消防器材配置、动火审批和易燃材料存放是否符合要求": "施工现场消防器材配置、动火审批或易燃材料存放不符合要求",
    "是否建立全员安全生产责任制并落实": "未建立或未落实全员安全生产责任制",
    "是否按规定设置安全生产管理机构或配备安全生产管理人员": "未按规定设置安全生产管理机构或配备安全生产管理人员",
    "从业人员是否经安全生产教育和培训合格后上岗": "从业人员未经安全生产教育和培训合格即上岗",
    "特种作业人员是否按规定经专门的安全作业培训并取得相应资格上岗作业":
        "特种作业人员未经专门的安全作业培训并取得相应资格即上岗作业",
    "是否对承包单位、承租单位的安全生产工作统一协调、管理并定期检查":
        "未对承包单位、承租单位的安全生产工作统一协调、管理和定期检查",
    "是否开展安全风险辨识评估，建立风险分级管控和隐患排查治理制度": "未开展安全风险辨识评估或未建立风险分级管控和隐患排查治理制度",
    "有较大危险因素的场所和设备设施是否设置明显的安全警示标志": "有较大危险因素的场所和设备设施未设置明显的安全警示标志",
    "机械设备传动部位是否设置防护罩，冲压设备是否安装安全保护装置": "机械设备传动部位未设置防护罩或冲压设备未安装安全保护装置",
    "存在中毒风险的有限空间是否辨识、建立台账并设置明显的安全警示标志":
        "存在中毒风险的有限空间未辨识、未建立台账或未设置明显的安全警示标志",
    "有限空间作业是否审批，是否执行“先通风、再检测、后作业”，是否设专人监护":
        "有限空间作业未经审批、未执行“先通风、再检测、后作业”或未设专人监护",
    "干式除尘系统是否采取泄爆、惰化、抑爆等爆炸防控措施": "干式除尘系统未采取泄爆、惰化、抑爆等爆炸防控措施",
    "是否落实粉尘清理制度，作业现场有无严重积尘": "未落实粉尘清理制度，作业现场严重积尘",
    "快速冻结装置是否设在单独作业间内，作业间内作业人员是否超过9人": "快速冻结装置未设在单独作业间内或作业间内作业人员超过9人",
    "配电箱是否设置漏电保护，线路有无私拉乱接": "配电箱未设置漏电保护或线路私拉乱接",
    "是否制定生产安全事故应急预案并定期演练": "未制定生产安全事故应急预案或未定期演练",
}


def fill_findings(get_model=None) -> int:
    """Give the seeded templates' items their finding where it is empty (a data migration and ``seed``)."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    ChecklistItem = get_model("hazards", "ChecklistItem")
    codes = [t.code for t in TEMPLATES]
    done = 0
    for item in ChecklistItem.objects.filter(checklist__code__in=codes, finding="").only("pk", "text"):
        finding = FINDINGS.get(item.text)
        if finding:
            ChecklistItem.objects.filter(pk=item.pk).update(finding=finding)
            done += 1
    return done
