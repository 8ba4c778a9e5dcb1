"""Licences (证照) of demo enterprises, by industry, with expiry dates around the as-of date (some expired)."""
from __future__ import annotations

import datetime

from anquan.enterprises.models import Scale

#: industry code → [(licence name, number pattern, issuer pattern, validity in years)].
#: Patterns see ``y`` (year of issue), ``n`` (serial), ``code`` (district code), ``city``, ``district``.
LICENCES = {
    "hazchem": [
        ("危险化学品经营许可证", "{city}危化经字〔{y}〕{n:06d}", "{city}应急管理局", 3),
    ],
    "hazchem_producer": [
        ("安全生产许可证（危险化学品生产）", "（示）WH安许证字〔{y}〕{n:04d}", "示范省应急管理厅", 3),
    ],
    "fireworks": [
        ("烟花爆竹经营许可证", "（示）YH经字〔{y}〕{n:05d}", "{district}应急管理局", 2),
    ],
    "non_coal_mine": [
        ("安全生产许可证（非煤矿矿山）", "（示）FM安许证字〔{y}〕{n:04d}", "示范省应急管理厅", 3),
        ("采矿许可证", "C{code}{y}{n:07d}", "{city}自然资源和规划局", 5),
    ],
    "gas": [
        ("燃气经营许可证", "示{y}{code}{n:04d}", "{city}住房和城乡建设局", 3),
    ],
    "construction": [
        ("建筑施工企业安全生产许可证", "（示）JZ安许证字〔{y}〕{n:06d}", "示范省住房和城乡建设厅", 3),
    ],
    "road_transport": [
        ("道路运输经营许可证", "示交运管许可字{code}{n:06d}号", "{district}交通运输局", 4),
    ],
}


def licences_for(ctx, ent, primary: str, codes: list[str]) -> list[dict]:
    """Licences for the enterprise's main business (plus a hazchem licence for a gas supplier).

    Issued up to half a year longer ago than they are valid, so some have expired by the as-of date.
    """
    rng = ctx.rng
    keys = [primary] if primary in LICENCES else []
    if primary == "hazchem" and ent.scale in (Scale.MEDIUM, Scale.LARGE):
        keys.append("hazchem_producer")
    elif primary == "gas" and "hazchem" in codes:
        keys.append("hazchem")
    result = []
    for key in keys:
        for name, number, issuer, years in LICENCES[key]:
            valid = 365 * years
            issued = ctx.as_of - datetime.timedelta(days=rng.randint(0, valid + 180))
            fill = {"y": issued.year, "n": rng.randint(1, 9999), "code": ctx.tree.district.code,
                    "city": ctx.city.name, "district": ctx.tree.district.name}
            result.append({
                "name": name,
                "number": number.format(**fill),
                "issued_by": issuer.format(**fill),
                "expires_on": issued + datetime.timedelta(days=valid),
            })
    return result
