"""What the accident app tells people, and who hears of each event.

- reported → the territory chain (安委办, street and department staff who may pass reports on, from the
  place's street up) and the regulators of the accident's industry and enterprise;
- re-graded up by a 补报 → the same (a new level brings new levels and a new investigating body);
- a leg due within the hour / late → whoever may record that leg (``services.reporting.may_record_leg``),
  written by ``accidents.sweep`` (run every few minutes: the clocks are hours, not days);
- 批复 → the chain and the enterprise (the rectification is evaluated within a year).
"""
from __future__ import annotations

from django.utils import timezone

from anquan.notifications.kinds import NoticeKind, register
from anquan.notifications.recipients import near, users_of, who_may

ACCIDENT = "accidents.Accident"
LEG = "accidents.ReportLeg"


def _accident_url(accident) -> str:
    return f"/accidents/{accident.pk}/"


def _leg_url(leg) -> str:
    return f"/accidents/{leg.accident_id}/"


def _where(accident):
    from .services.reporting import regulators_of

    return near(units=accident.unit.ancestor_ids(),
                departments={accident.department_id, accident.reporter_department_id, *regulators_of(accident)},
                enterprises={accident.enterprise_id})


def chain(accident, context=None) -> list:
    """Officials of the territory chain and the regulators who may pass the report on."""
    return users_of(who_may(accident, "accident.forward", where=_where(accident)))


def chain_and_enterprise(accident, context=None) -> list:
    return users_of(who_may(accident, "view", where=_where(accident), roles=["anweiban", "street_staff", "dept_staff",
                                                                           "ent_manager", "ent_principal"]))


def leg_keepers(leg, context=None) -> list:
    from .services.reporting import may_record_leg

    rule = lambda a, obj: may_record_leg(a, leg)  # noqa: E731
    return users_of(who_may(leg.accident, "accident.forward", rule=rule, where=_where(leg.accident)))


def _a(text: str):
    return lambda a, context: text.format(a=a, level=a.level_name, kind=a.get_kind_display(), **context)


def _leg_title(prefix: str):
    def title(leg, context):
        due = timezone.localtime(leg.due_at) if leg.due_at else None
        return f"{prefix}：{leg.accident.number} {leg.get_level_display()}应于{due:%m-%d %H:%M}前上报" if due else prefix
    return title


register(
    NoticeKind("accident_reported", "事故报告", ACCIDENT, _a("事故报告：{a.unit_name}{kind}（{level}事故），请按时逐级上报"),
               _accident_url, recipients=chain, tone="danger"),
    NoticeKind("accident_regraded", "事故等级变化", ACCIDENT, _a("补报后事故等级升为{level}：{a.number} {a.unit_name}"),
               _accident_url, recipients=chain, tone="danger"),
    NoticeKind("accident_approved", "事故调查报告已批复", ACCIDENT, _a("事故调查报告已批复：{a.number} {a.unit_name}，一年内评估整改落实情况"),
               _accident_url, recipients=chain_and_enterprise, tone="info"),
    NoticeKind("accident_leg_due_soon", "事故上报时限将至", LEG, _leg_title("事故上报时限将至"), _leg_url,
               recipients=leg_keepers, tone="warning"),
    NoticeKind("accident_leg_late", "事故迟报", LEG, _leg_title("事故上报已超时"), _leg_url, recipients=leg_keepers, tone="danger"),
)
