"""The accident objects the tests and the matrix are checked against, on top of core's matrix world.

- ``ACC_A``: reported by qiye_a at S_A (E_A, 建筑施工, street A, wangge_a's grid): 1 death, 高处坠落 → 一般;
  legs: unit (reported by the enterprise itself), county (示范区), city (示范市, top for 一般).
- ``ACC_B``: reported by jiedao_b at S_B (E_B, 危险化学品, street B): 2 serious injuries, 中毒和窒息 → 一般.
- ``ACC_L``: reported by linqu_anweiban at S_L (邻区): 1 death, 坍塌 → 一般.

Built at the test's frozen moment: each accident occurred an hour before and was learned of at once.
"""
from __future__ import annotations

import datetime

from django.utils import timezone

from anquan.core.tests.matrix_world import build_world

from .. import services


def report_data(site, **extra) -> dict:
    moment = timezone.now() - datetime.timedelta(hours=1)
    data = {"site": site.pk, "occurred_at": moment, "learned_at": moment, "place": f"{site.name}现场",
            "account": "作业人员在作业过程中发生事故。", "kind": "fall", "deaths": 0, "missing": 0,
            "serious_injuries": 0, "injuries": 0, "direct_loss_yuan": 0, "measures": "已组织抢救并保护现场"}
    data.update(extra)
    return data


def build_accident_world() -> dict:
    w = build_world()
    users = w["users"]
    w["ACC_A"] = services.accident_report(actor=users["qiye_a"], data=report_data(w["S_A"], deaths=1))
    w["ACC_B"] = services.accident_report(actor=users["jiedao_b"], data=report_data(w["S_B"], serious_injuries=2, kind="poisoning"))
    w["ACC_L"] = services.accident_report(actor=users["linqu_anweiban"], data=report_data(w["S_L"], deaths=1, kind="collapse"))
    return w
