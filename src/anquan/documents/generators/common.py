"""What the generators share: dates and times as official documents write them, the party a
document is addressed to, and the issuer an actor should sign for."""
from __future__ import annotations

import datetime

from django.utils import timezone

from anquan.accounts.roles import DOCUMENT_ISSUE, ScopeKind
from anquan.accounts.scope import active_assignments

from ..layout import chinese_date

#: 安全生产法 (2021) 第六十五条第一款第（三）项.
ART_65 = ("对检查中发现的事故隐患，应当责令立即排除；重大事故隐患排除前或者排除过程中无法保证安全的，应当责令从危险区域内"
          "撤出作业人员，责令暂时停产停业或者停止使用相关设施、设备；重大事故隐患排除后，经审查同意，方可恢复生产经营和使用")
#: Superseded by ``documents.organs.appeal_sentence`` (names the 复议机关 and the court); kept for old imports.
APPEAL = "如不服本决定，可以依法在六十日内申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"


def date_text(day: datetime.date | None) -> str:
    return chinese_date(day) if day else "—"


def time_text(moment: datetime.datetime | None) -> str:
    """``2026年11月22日9时30分`` in Asia/Shanghai."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{chinese_date(local.date())}{local.hour}时{local.minute:02d}分"


def party_of(site) -> str:
    """Who a document about a site is addressed to: its enterprise, else the site itself."""
    return site.enterprise.name if site.enterprise_id else site.name


def preferred_issuer(actor, *, department=None, unit=None) -> dict:
    """Issue in the name of ``department``/``unit`` (the inspection's organiser …) when the actor serves
    there with document.issue; otherwise let issue_document take the actor's own organ."""
    for assignment in active_assignments(actor):
        if not assignment.permits(DOCUMENT_ISSUE):
            continue
        if department is not None and assignment.scope_kind == ScopeKind.DEPARTMENT and assignment.department_id == department.pk:
            return {"issuer_department": department}
        if unit is not None and assignment.scope_kind == ScopeKind.TERRITORY and assignment.unit_id == unit.pk:
            return {"issuer_unit": unit}
    return {}
