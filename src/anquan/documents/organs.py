"""The issuing organ's configuration that official documents quote: where a party appeals (复议机关) and sues (人民法院).

行政复议法 (2023) §20 ¶3: an organ that does not tell the party its right to 行政复议, the 复议机关 and the period lets
the period run from when the party learns them, up to one year — so the appeal sentence names both bodies.
The names are the rules ``organ.review_body`` / ``organ.court``, set by an administrator per locality (the nearest
override above the organ's unit applies); left empty they are derived from the organ's place in the tree:

- 复议机关 (§24): a department's own level's 人民政府 (§24(一)); a street (街道办事处, the district government's
  派出机关, §24(三)) or a town (乡镇人民政府, the next level down, §24(二)) → the district's 人民政府.
- 人民法院 (行政诉讼法 §18 ¶1: where the organ that first acted sits): the district's 人民法院; above a district, the
  organ's locality (a court with jurisdiction there: set the name for the locality).

The periods are ``appeal.review_days`` (60, 行政复议法 §20 ¶1) and ``appeal.litigation_months`` (6, 行政诉讼法 §46 ¶1).
"""
from __future__ import annotations

from anquan.orgs.models import OrgUnit, UnitKind
from anquan.rules import values


def _place(unit=None, department=None) -> OrgUnit | None:
    return department.unit if department is not None else unit


def _district(place: OrgUnit) -> OrgUnit | None:
    if place.kind == UnitKind.DISTRICT:
        return place
    return OrgUnit.objects.filter(pk=place.district_id).first() if place.district_id else None


def appeal_bodies(unit=None, department=None) -> tuple[str, str]:
    """(复议机关, 人民法院) for the organ (an OrgUnit or a Department)."""
    place = _place(unit, department)
    if place is None:
        return "", ""
    review = values.get("organ.review_body", place)
    court = values.get("organ.court", place)
    district = _district(place)
    if not review:
        if department is None and place.kind in (UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.GRID) and district:
            review = f"{district.name}人民政府"
        else:
            review = f"{place.name}人民政府"
    if not court:
        court = f"{district.name}人民法院" if district is not None else f"{place.name}有管辖权的人民法院"
    return review, court


def appeal_sentence(unit=None, department=None) -> str:
    """The 救济途径 sentence of an order, naming the 复议机关, the court and both periods."""
    place = _place(unit, department)
    review, court = appeal_bodies(unit, department)
    days = values.get("appeal.review_days", place)
    months = values.get("appeal.litigation_months", place)
    return (f"如不服本决定，可以自收到本决定之日起{days}日内依法向{review}申请行政复议，"
            f"或者在{months}个月内依法向{court}提起行政诉讼。")
