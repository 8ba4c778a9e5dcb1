"""The handful of figures each role lives by, shown under the to-dos (computed by the apps' own
statistics functions, so the workbench shows the same numbers as their pages, with the same links).

- hazard roles (officials, enterprises, leaders): the hazard loop's headline (``hazards.stats``) over
  everything they see — for an enterprise that is its own hazards, never "辖区企业";
- officials with a territory or department: the enterprises and red-risk enterprises they oversee
  (the former home page, ``/overview/``, keeps the full picture);
- enterprises: their own sites;
- supervisors (督查组): the findings of their groups by status.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from anquan.accounts.roles import ScopeKind


@dataclass(frozen=True)
class Shown:
    label: str
    value: str
    url: str
    unit: str = ""


def _hazard_figures(user, today: datetime.date) -> list[Shown]:
    from anquan.hazards import stats
    from anquan.hazards.selectors import hazard_list

    qs = stats.prepare(hazard_list(user, {}, today=today).order_by(), {}, today)
    head = stats.headline(qs, {}, today)
    return [Shown("隐患总数", head["total"].display, head["total"].url, "条"),
            Shown("整改率", head["rectification_rate"].display, head["rectification_rate"].url),
            Shown("按期整改率", head["on_time_rate"].display, head["on_time_rate"].url),
            Shown("平均整改用时", head["days_to_close"].display, head["days_to_close"].url, "天")]


def _enterprise_figures(user) -> list[Shown]:
    from anquan.enterprises import selectors
    from anquan.enterprises.models import RiskColour

    enterprises = selectors.enterprise_list(user).order_by()
    base = reverse("enterprises:list")
    return [Shown("辖区企业", str(enterprises.count()), base, "家"),
            Shown("红色（重大风险）企业", str(enterprises.filter(risk_colour=RiskColour.RED).count()),
                  f"{base}?{urlencode({'risk_colour': RiskColour.RED})}", "家")]


def _own_sites(user) -> list[Shown]:
    from anquan.enterprises import selectors

    return [Shown("本企业场所", str(selectors.site_list(user).count()), reverse("sites:list"), "处")]


def _findings(user, today) -> list[Shown]:
    from anquan.supervision.models import FindingStatus
    from anquan.supervision.selectors import finding_list

    base = reverse("supervision:findings")
    rows = finding_list(user, {}, today).order_by()
    return [Shown(f"督查问题·{label}", str(rows.filter(status=value).count()), f"{base}?status={value}", "个")
            for value, label in FindingStatus.choices]


def figures_for(user, assignments, today: datetime.date) -> list[Shown]:
    kinds = {a.scope_kind for a in assignments}
    roles = {a.role for a in assignments}
    shown: list[Shown] = []
    if kinds & {ScopeKind.TERRITORY, ScopeKind.DEPARTMENT} and roles - {"inspector"}:
        shown += _enterprise_figures(user)
    if ScopeKind.ENTERPRISE in kinds:
        shown += _own_sites(user)
    if kinds & {ScopeKind.TERRITORY, ScopeKind.DEPARTMENT, ScopeKind.ENTERPRISE}:
        shown += _hazard_figures(user, today)
    if "supervisor" in roles:
        shown += _findings(user, today)
    return shown
