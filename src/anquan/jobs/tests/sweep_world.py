"""A small world whose notification sweep has a known answer, for the tests that sweep in other processes.

Hazards are recorded through the service at ``recorded_on`` (the clock frozen there) by
a grid worker at the site of one enterprise, with deadlines chosen so that a sweep on
``sweep_on`` finds:

- ``overdue`` hazards 1 day overdue → 2 notifications each (the enterprise's manager and
  the street's staff);
- one hazard 20 days overdue → those 2 plus one to the district 安委办 (escalated);
- one hazard due in 2 days → 1 notification (the enterprise's manager).

The answer holds for a sweep a day later too (1 → 2 days overdue is still not escalated,
2 → 1 day left is still "soon"), so a test sweeping "today" across midnight stays right.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import time_machine

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.rules.calendar import SHANGHAI


@dataclass
class SweepWorld:
    sweep_on: datetime.date
    expected: dict[str, int]
    users: dict

    @property
    def total(self) -> int:
        return sum(self.expected.values())


def make_sweep_world(sweep_on: datetime.date, overdue: int = 1) -> SweepWorld:
    recorded_on = sweep_on - datetime.timedelta(days=40)
    deadlines = [sweep_on - datetime.timedelta(days=1)] * overdue + [
        sweep_on - datetime.timedelta(days=20),
        sweep_on + datetime.timedelta(days=2),
    ]
    moment = datetime.datetime.combine(recorded_on, datetime.time(10), tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):  # role assignments, too, start on that day
        tree = make_tree()
        firm = make_enterprise(tree.grid_a, name="扫描测试建材厂")
        site = make_site(tree.grid_a, enterprise=firm, industry_code="industry_trade")
        users = {
            "grid": make_user("grid_worker", unit=tree.grid_a),
            "street": make_user("street_staff", unit=tree.street_a),
            "firm": make_user("ent_manager", enterprise=firm),
            "anweiban": make_user("anweiban", unit=tree.district),
        }
        for i, deadline in enumerate(deadlines):
            services.hazard_record(actor=users["grid"], data={
                "site": site.pk, "source": "grid", "description": f"第{i + 1}处：消防通道堆放杂物", "deadline": deadline.isoformat(),
            })
    # Recording told the enterprise at once (hazard_recorded, sent after commit in transactional tests):
    # not what the sweep is tested for, so the world starts with an empty inbox.
    from anquan.notifications.models import Notification

    Notification.objects.all().delete()
    expected = {"deadline_soon": 1, "overdue": 2 * (overdue + 1), "overdue_escalated": 1}
    return SweepWorld(sweep_on=sweep_on, expected=expected, users=users)
