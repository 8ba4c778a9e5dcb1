"""Services of the accident app — the API pages, API, demo and importers call (never ``.save()`` on a model).

Every service: ``actor`` first (keyword), runs in one transaction, authorizes one single assignment
(``core.services.authorize`` + the app's own rule), validates (Chinese messages; ``Invalid`` → 422),
applies against the version the caller read (``version=``, stale → 409), writes one audit event and
notifies. Errors: NotFound 404 (out of scope), Forbidden 403, Invalid 422, Conflict 409 (state).

Reporting (``reporting.py``)
- ``accident_report(*, actor, data, photos=(), client_key="") -> Accident``
  ``data`` keys: site (id; required for an enterprise) or unit (id of a grid/community/street, for a
  place without a site), occurred_at, learned_at (default occurred_at), place, scene, account, kind
  (``choices.AccidentKind``), is_road_traffic, is_fire, deaths, missing, serious_injuries, injuries,
  direct_loss_yuan, measures, other, unit_name / unit_profile (pre-filled from the enterprise ledger
  by ``unit_profile_for(enterprise, site)`` when empty), industry (id, default the site's).
  Grades it, creates the reporting legs and the investigation shell (body by level, due date).
  ``client_key``: the form's own key — the same key from the same user returns the first accident.
- ``accident_update(*, actor, accident, version, data) -> Accident``: the descriptive fields only
  (place, scene, account, measures, other, unit_profile, kind); figures change only by 补报.
- ``accident_add_casualties(*, actor, accident, version, data) -> CasualtyAddition`` (补报, 第十三条)
  ``data``: deaths, missing, serious_injuries, injuries, direct_loss_yuan (the NEW totals), changed_at
  (default now), note. Refused (Invalid, field "changed_at") after ``accident.late_addition_until``
  with the date the window closed. Re-grades; a level change moves the investigating body and legs.
- ``leg_receive(*, actor, leg, received_at=None, note="") -> ReportLeg``; ``leg_forward(*, actor, leg,
  forwarded_at=None, note="")``; ``leg_inform(*, actor, leg, party, at=None)`` (party in
  ``choices.INFORMED_PARTIES``). Legs outside the tree (``leg.unit is None``) are recorded by whoever
  may forward at the highest level inside it, with the times reported.
- ``late_finding_record(*, actor, accident, data) -> LateFinding`` (kind 迟报/漏报/谎报/瞒报, exactly one of
  against_unit / against_department / against_enterprise (ids), leg (id, optional), description).
- ``accident_photos_add(*, actor, accident, photos) -> list[AccidentPhoto]``.
- read helpers: ``legs_view(accident, now=None) -> list[dict]`` (level, level_name, unit, due_at,
  received_at, forwarded_at, late, is_top, outside_territory), ``unit_profile_for(enterprise, site)``.

Investigation (``investigation.py``)
- ``investigation_form_team(*, actor, investigation, version, data)``: team_formed_on, team_leader,
  team_members (list of {"name", "unit", "role"}), organized_by, entrust_to_unit (bool; only a
  no-casualty 一般 accident). Status 已报告 → 调查中.
- ``appraisal_start(*, actor, investigation, version, started_on, subject, appraiser="")`` and
  ``appraisal_end(*, actor, appraisal, ended_on)`` — excluded from the 60 days; the due date moves.
- ``investigation_extend(*, actor, investigation, version, days, reason, approved_by, approved_on)`` — once, ≤ 60.
- ``investigation_submit_report(*, actor, investigation, version, data)``: the six parts (``models.REPORT_PARTS``)
  + report_submitted_on. 调查中 → 调查报告已提交; the 批复 due date is set.
- ``approval_extend(*, actor, investigation, version, days)`` — 特别重大 only, ≤ 30.
- ``investigation_approve(*, actor, investigation, version, approved_on, approval_number="", summary="")``
  (批复): → 已批复; evaluation due one year later.
- ``evaluation_record(*, actor, investigation, version, evaluated_on, summary, published_on=None, published_where="")``.
- ``four_nots_record(*, actor, accident, item, evidence) -> FourNots`` (replaces an item's evidence, audited).
- ``accident_close(*, actor, accident, version)``: only 已批复 and all four 四不放过 recorded.

三责同追 (``accountability.py``; the one accountability model is ``supervision.AccountabilityRecord``)
- ``accountability_open(*, actor, accident, data) -> AccountabilityRecord``: exactly one of target_enterprise /
  target_department / target_unit (on the accident's chain), content (责任认定), proposed_handling.
- ``accountability_decide(*, actor, record_obj, version, decided_handling, decided_on=None)``.

Who (accounts/roles.py): ``accident.report`` (enterprise, street, department, 安委办), ``accident.add``
(same), ``accident.forward`` (street, department, 安委办), ``accident.investigate`` (department, 安委办, at
or above the investigating body's level: ``common.may_investigate``), ``accident.close`` (安委办).
"""
from .accountability import accountability_decide, accountability_open
from .investigation import (
    accident_close,
    appraisal_end,
    appraisal_start,
    approval_extend,
    evaluation_record,
    four_nots_missing,
    four_nots_record,
    investigation_approve,
    investigation_extend,
    investigation_form_team,
    investigation_submit_report,
)
from .reporting import (
    AccidentForm,
    accident_add_casualties,
    accident_photos_add,
    accident_report,
    accident_update,
    late_finding_record,
    leg_forward,
    leg_inform,
    leg_receive,
    legs_view,
    unit_profile_for,
)

__all__ = [
    "AccidentForm",
    "accident_add_casualties",
    "accident_close",
    "accident_photos_add",
    "accident_report",
    "accident_update",
    "accountability_decide",
    "accountability_open",
    "appraisal_end",
    "appraisal_start",
    "approval_extend",
    "evaluation_record",
    "four_nots_missing",
    "four_nots_record",
    "investigation_approve",
    "investigation_extend",
    "investigation_form_team",
    "investigation_submit_report",
    "late_finding_record",
    "leg_forward",
    "leg_inform",
    "leg_receive",
    "legs_view",
    "unit_profile_for",
]
