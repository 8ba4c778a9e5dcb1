"""一案双查 look-back from an accident: what the enterprise's (and site's) record showed in the 12 months before.

Why: after an accident the investigators ask two questions at once (一案双查) — what the enterprise did and
what those who inspected it did. One view answers both from what the platform already holds:

- the hazards found at the enterprise (or the site) in the preceding 12 months, and those among them that were
  *not rectified* when the accident happened (not 销号 before ``occurred_at``);
- the inspections performed there, who inspected, in which role *at the time*, what they found and what
  they missed (``hazards.lookback.lookback``, reused as it is);
- inspection items that should have caught the cause: checklist items answered in those visits whose text
  or hazard wording names what this kind of accident comes from (``CAUSE_WORDS``, by GB 6441 class),
  with the answer given — a 符合 there is what the investigators look at first;
- 督查 findings against the accident's street, and administrative penalties on the enterprise (when the
  enforcement app is installed).

Everything is read through ``visible_to(user)``: the look-back shows only what the reader may see anyway.
The window is the 12 months before the accident day ``LOOKBACK_DAYS`` (365 days, the accident day excluded).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q

from anquan.core.errors import DomainError
from anquan.enterprises.models import Site
from anquan.hazards.choices import HazardStatus
from anquan.hazards.lookback import lookback as inspections_lookback
from anquan.hazards.models import Hazard
from anquan.rules.calendar import SHANGHAI, local_date

from .choices import AccidentKind
from .models import Accident

LOOKBACK_DAYS = 365
K = AccidentKind
#: Words in a checklist item or hazard that point at the cause of an accident of this kind (GB 6441 class).
CAUSE_WORDS: dict[str, tuple[str, ...]] = {
    K.OBJECT_STRIKE: ("物体打击", "坠物", "防护棚", "安全网", "堆放", "安全帽"),
    K.VEHICLE: ("车辆", "叉车", "机动车", "限速", "运输"),
    K.MACHINERY: ("机械", "防护罩", "传动", "急停", "联锁"),
    K.LIFTING: ("起重", "吊", "塔吊", "塔式", "钢丝绳", "限位"),
    K.ELECTRIC: ("电", "漏电", "接地", "配电", "线路"),
    K.DROWNING: ("淹溺", "水池", "救生", "临水"),
    K.SCALD: ("灼烫", "高温", "熔融", "烫"),
    K.FIRE: ("火", "消防", "疏散", "可燃", "电动车"),
    K.FALL: ("高处", "临边", "洞口", "安全带", "脚手架", "防护栏", "作业平台", "攀登"),
    K.COLLAPSE: ("坍塌", "基坑", "支护", "支撑", "模板", "边坡", "脚手架"),
    K.ROOF_FALL: ("冒顶", "片帮", "顶板", "支护"),
    K.WATER_INRUSH: ("透水", "探放水", "水害"),
    K.BLASTING: ("爆破", "放炮"),
    K.EXPLOSIVE: ("火药", "炸药", "民用爆炸"),
    K.GAS_EXPLOSION: ("瓦斯", "燃气", "可燃气体", "通风"),
    K.BOILER_EXPLOSION: ("锅炉",),
    K.VESSEL_EXPLOSION: ("压力容器", "气瓶", "容器"),
    K.OTHER_EXPLOSION: ("爆炸", "粉尘", "防爆"),
    K.POISONING: ("有限空间", "中毒", "窒息", "通风", "气体检测"),
    K.OTHER: (),
}


@dataclass
class ItemAnswer:
    """A checklist item answered in a visit before the accident that bears on its cause."""

    inspection: object
    item: object
    result: str
    result_label: str
    hazard: Hazard | None


@dataclass
class Report:
    accident: Accident
    date_from: datetime.date
    date_to: datetime.date
    place_label: str
    hazards: list[Hazard] = field(default_factory=list)
    unrectified: list[Hazard] = field(default_factory=list)
    visits: list = field(default_factory=list)  # hazards.lookback.Visit
    items: list[ItemAnswer] = field(default_factory=list)
    findings: list = field(default_factory=list)  # supervision findings against the street
    penalties: list = field(default_factory=list)  # enforcement cases decided on the enterprise
    notes: list[str] = field(default_factory=list)

    @property
    def missed_count(self) -> int:
        return sum(len(v.missed) for v in self.visits)


def window(accident: Accident) -> tuple[datetime.date, datetime.date]:
    """The 12 months before the accident day: [day − 365, day − 1]."""
    day = local_date(accident.occurred_at)
    return day - datetime.timedelta(days=LOOKBACK_DAYS), day - datetime.timedelta(days=1)


def _place(user, accident: Accident) -> tuple[list[int], dict]:
    """The site ids looked at, and the keyword the hazards lookback takes (site, else enterprise)."""
    if accident.site_id:
        return [accident.site_id], {"site": accident.site_id}
    if accident.enterprise_id:
        ids = list(Site.objects.visible_to(user).filter(enterprise_id=accident.enterprise_id).values_list("pk", flat=True))
        return ids, {"enterprise": accident.enterprise_id}
    return [], {}


def accident_lookback(user, accident: Accident, *, whole_enterprise: bool = False) -> Report:
    """The look-back of one visible accident (the caller got it through ``visible_to``)."""
    date_from, date_to = window(accident)
    site_ids, place = _place(user, accident)
    if whole_enterprise and accident.enterprise_id:
        site_ids = list(Site.objects.visible_to(user).filter(enterprise_id=accident.enterprise_id).values_list("pk", flat=True))
        place = {"enterprise": accident.enterprise_id}
    label = (accident.site.name if "site" in place and accident.site_id else accident.unit_name)
    report = Report(accident, date_from, date_to, label)
    if not place:
        report.notes.append("该事故未关联企业或场所，无法倒查其隐患和检查记录。")
        return report
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=SHANGHAI)
    hazard_q = Q(site_id__in=site_ids)
    if "enterprise" in place:
        hazard_q |= Q(enterprise_id=accident.enterprise_id)
    report.hazards = list(
        Hazard.objects.visible_to(user).filter(hazard_q, voided_at__isnull=True, found_at__gte=start,
                                                found_at__lt=accident.occurred_at)
        .select_related("site", "category", "finder_unit", "finder_department", "finder_enterprise")
        .order_by("-found_at", "-id"))
    report.unrectified = [h for h in report.hazards
                          if h.status != HazardStatus.CLOSED or (h.closed_at and h.closed_at > accident.occurred_at)]
    try:
        visits = inspections_lookback(user, date_from=date_from, date_to=date_to, **place).visits
    except DomainError:  # the site or enterprise is outside the reader's scope: nothing to show
        visits = []
    report.visits = [v for v in visits if v.inspection.performed_at < accident.occurred_at]
    report.items = _items(report.visits, accident.kind)
    report.findings = _findings(user, accident, date_from, date_to)
    report.penalties = _penalties(user, accident, date_from, date_to)
    return report


def _items(visits, kind: str) -> list[ItemAnswer]:
    from anquan.inspections.models.record import Answer

    words = CAUSE_WORDS.get(kind, ())
    ids = [v.inspection.pk for v in visits]
    if not words or not ids:
        return []
    match = Q()
    for w in words:
        match |= Q(item__text__contains=w) | Q(item__finding__contains=w)
    answers = (Answer.objects.filter(part__inspection_id__in=ids).filter(match)
               .select_related("item", "part__inspection", "hazard").order_by("part__inspection__performed_at", "item__sort", "id"))
    return [ItemAnswer(a.part.inspection, a.item, a.result, a.get_result_display(), a.hazard) for a in answers]


def _findings(user, accident: Accident, date_from, date_to) -> list:
    try:
        from anquan.supervision.models import Finding
    except ImportError:  # pragma: no cover
        return []
    street = accident.unit
    while street is not None and street.kind != "street":
        street = street.parent
    if street is None:
        return []
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=SHANGHAI)
    qs = Finding.objects.visible_to(user).filter(unit=street, created_at__gte=start, created_at__lt=accident.occurred_at)
    return list(qs.select_related("check_record").order_by("-id")[:50])


def _penalties(user, accident: Accident, date_from, date_to) -> list:
    if not accident.enterprise_id or not apps.is_installed("anquan.enforcement"):
        return []
    try:
        Case = apps.get_model("enforcement", "Case")
    except LookupError:  # pragma: no cover
        return []
    return list(Case.objects.visible_to(user).filter(enterprise_id=accident.enterprise_id, decision_on__gte=date_from,
                                                     decision_on__lte=date_to).order_by("-decision_on", "-id")[:50])
