"""The national default of the discretion catalogue: the fines 安全生产法 (2021) sets for the violations an
inspection most often finds, each article's first tier and its 逾期未改正 tier as separate rows.

A locality refines the bands (从轻/一般/从重 within each range) under its own 裁量基准 by editing rows; the
ranges themselves are the law's. Seeded by ``migrations/0001_initial`` and by tests; idempotent by ``code``.
"""
from __future__ import annotations

from decimal import Decimal


def _y(wan: float | None) -> Decimal | None:
    return None if wan is None else Decimal(str(wan)) * 10000


#: (code, article, title, unit min 万元, unit max 万元, person min 万元, person max 万元)
CATALOGUE = [
    ("AQ-94", "第九十四条第一款", "主要负责人未履行本法规定的安全生产管理职责", None, None, 2, 5),
    ("AQ-94-overdue", "第九十四条第一款", "主要负责人未履行安全生产管理职责，逾期未改正", None, None, 5, 10),
    ("AQ-96", "第九十六条", "其他负责人和安全生产管理人员未履行本法规定的安全生产管理职责", None, None, 1, 3),
    *[(f"AQ-97-{n}", f"第九十七条第（{cn}）项", title, 0, 10, None, None) for n, cn, title in [
        (1, "一", "未按照规定设置安全生产管理机构或者配备安全生产管理人员、注册安全工程师"),
        (2, "二", "主要负责人和安全生产管理人员未按照规定经考核合格"),
        (3, "三", "未按照规定对从业人员、被派遣劳动者、实习学生进行安全生产教育和培训，或者未如实告知有关的安全生产事项"),
        (4, "四", "未如实记录安全生产教育和培训情况"),
        (5, "五", "未将事故隐患排查治理情况如实记录或者未向从业人员通报"),
        (6, "六", "未按照规定制定生产安全事故应急救援预案或者未定期组织演练"),
        (7, "七", "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业")]],
    ("AQ-97-overdue", "第九十七条", "第九十七条所列行为逾期未改正（并责令停产停业整顿）", 10, 20, 2, 5),
    ("AQ-98", "第九十八条", "建设项目未按照规定进行安全评价、安全设施设计审查、施工或者验收", 10, 50, 2, 5),
    *[(f"AQ-99-{n}", f"第九十九条第（{cn}）项", title, 0, 5, None, None) for n, cn, title in [
        (1, "一", "未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志"),
        (2, "二", "安全设备的安装、使用、检测、改造和报废不符合国家标准或者行业标准"),
        (3, "三", "未对安全设备进行经常性维护、保养和定期检测"),
        (4, "四", "关闭、破坏直接关系生产安全的监控、报警、防护、救生设备、设施，或者篡改、隐瞒、销毁其相关数据、信息"),
        (5, "五", "未为从业人员提供符合国家标准或者行业标准的劳动防护用品"),
        (6, "六", "危险物品的容器、运输工具及危险性较大的特种设备未经检测、检验合格投入使用"),
        (7, "七", "使用应当淘汰的危及生产安全的工艺、设备"),
        (8, "八", "餐饮等行业的生产经营单位使用燃气未安装可燃气体报警装置")]],
    ("AQ-99-overdue", "第九十九条", "第九十九条所列行为逾期未改正", 5, 20, 1, 2),
    *[(f"AQ-101-{n}", f"第一百零一条第（{cn}）项", title, 0, 10, None, None) for n, cn, title in [
        (1, "一", "危险物品未建立专门安全管理制度、未采取可靠的安全措施"),
        (2, "二", "对重大危险源未登记建档，未进行定期检测、评估、监控，未制定应急预案，或者未告知应急措施"),
        (3, "三", "爆破、吊装、动火、临时用电等危险作业未安排专门人员进行现场安全管理"),
        (4, "四", "未建立安全风险分级管控制度或者未按照安全风险分级采取相应管控措施"),
        (5, "五", "未建立事故隐患排查治理制度，或者重大事故隐患排查治理情况未按照规定报告")]],
    ("AQ-101-overdue", "第一百零一条", "第一百零一条所列行为逾期未改正（并责令停产停业整顿）", 10, 20, 2, 5),
    ("AQ-102", "第一百零二条", "未采取措施消除事故隐患", 0, 5, None, None),
    ("AQ-102-refused", "第一百零二条", "拒不执行消除事故隐患的责令（对直接负责的主管人员和其他直接责任人员）", None, None, 5, 10),
]


def seed_catalogue(violation_model=None) -> int:
    """Create the rows that are missing (by code); returns how many were created."""
    if violation_model is None:
        from .models import Violation as violation_model
    created = 0
    for code, article, title, umin, umax, pmin, pmax in CATALOGUE:
        _, made = violation_model.objects.get_or_create(code=code, defaults={
            "law": "安全生产法", "article": article, "title": title, "unit_min": _y(umin) or Decimal(0),
            "unit_max": _y(umax), "person_min": _y(pmin), "person_max": _y(pmax)})
        created += made
    return created
