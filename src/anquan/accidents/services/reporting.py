"""Reporting an accident, its grading and legs, 补报, and late findings (493号令 第九条至第十三条)."""
from __future__ import annotations

import datetime

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import authorize, bump_version, safe_id
from anquan.core.text import TextRuleMixin, clean_text
from anquan.enterprises.models import Enterprise, EnterpriseRegulator, Site
from anquan.notifications.services import notify_event
from anquan.orgs.models import Department, Industry, OrgUnit, UnitKind
from anquan.rules.calendar import local_date

from .. import rules
from ..choices import GOV_ORDER, INFORMED_PARTIES, AccidentStatus, GovLevel, LateKind, level_rank
from ..models import Accident, CasualtyAddition, Investigation, LateFinding, LevelChange, ReportLeg
from .common import audit, level_unit, require_open, save_photos, snap

FIGURES = ("deaths", "missing", "serious_injuries", "injuries", "direct_loss_yuan")
DESCRIPTIVE = ("place", "scene", "account", "measures", "other", "unit_profile", "kind")
#: A future time typed by a phone whose clock is a little ahead is accepted up to this.
CLOCK_SLACK = datetime.timedelta(minutes=5)
MAX_PERSONS = 100_000
MAX_LOSS = 10**13  # 10 万亿元: beyond any accident; keeps within the column (16 digits, 2 decimals)
#: No record of this platform is older (and a time near year 1 cannot even be converted to UTC).
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _too_early(value) -> bool:
    """Before 2000 (checked on the year first: comparing a time near year 1 or 9999 in another zone overflows)."""
    return value is not None and (value.year < EARLIEST.year or (value.year < 2001 and timezone.is_aware(value) and value < EARLIEST))


def _too_late(value) -> bool:
    return value is not None and value.year > 2999


class FiguresForm(TextRuleMixin, forms.Form):
    deaths = forms.IntegerField(label="死亡人数", min_value=0, max_value=MAX_PERSONS, required=False)
    missing = forms.IntegerField(label="下落不明人数", min_value=0, max_value=MAX_PERSONS, required=False)
    serious_injuries = forms.IntegerField(label="重伤人数（含急性工业中毒）", min_value=0, max_value=MAX_PERSONS, required=False)
    injuries = forms.IntegerField(label="轻伤人数", min_value=0, max_value=MAX_PERSONS, required=False)
    direct_loss_yuan = forms.DecimalField(label="直接经济损失（元）", min_value=0, max_value=MAX_LOSS, max_digits=16,
                                          decimal_places=2, required=False)

    def clean(self):
        data = super().clean()
        for name in FIGURES:
            if name in data and data[name] is None:
                data[name] = 0
        return data


class AccidentForm(FiguresForm, forms.ModelForm):
    """The report's fields (第十二条), shared by the phone page, the API and the demo."""

    class Meta:
        model = Accident
        fields = ["unit_name", "unit_profile", "occurred_at", "learned_at", "place", "scene", "account", "kind",
                  "is_road_traffic", "is_fire", "measures", "other"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learned_at"].required = False
        self.fields["occurred_at"].required = False
        self.fields["unit_name"].required = False

    def clean(self):
        data = super().clean()
        now = timezone.now()
        if not data.get("occurred_at") and "occurred_at" not in self.errors:
            data["occurred_at"] = now  # reported as it happens (the phone form fills in the moment too)
        for name, label in (("occurred_at", "事故发生时间"), ("learned_at", "单位负责人接到报告时间")):
            if _too_early(data.get(name)) or _too_late(data.get(name)):
                self.add_error(name, f"{label}应在2000年1月1日至当前时间之间")
                return data
        occurred = data.get("occurred_at")
        if occurred:
            if occurred > now + CLOCK_SLACK:
                self.add_error("occurred_at", "事故发生时间不能晚于当前时间")
            learned = data.get("learned_at") or occurred
            if learned < occurred:
                self.add_error("learned_at", "单位负责人接到报告时间不能早于事故发生时间")
            elif learned > now + CLOCK_SLACK:
                self.add_error("learned_at", "单位负责人接到报告时间不能晚于当前时间")
            data["learned_at"] = learned
        return data


class AdditionForm(FiguresForm):
    changed_at = forms.DateTimeField(label="伤亡变化时间", required=False)
    note = forms.CharField(label="补报说明", max_length=2000, required=False)


def _valid(form) -> dict:
    if not form.is_valid():
        raise Invalid({f: [str(e) for e in errs] for f, errs in form.errors.items()})
    return form.cleaned_data


def _figures(obj) -> dict:
    return {"deaths": obj.deaths, "missing": obj.missing, "serious_injuries": obj.serious_injuries,
            "injuries": obj.injuries, "direct_loss_yuan": str(obj.direct_loss_yuan)}


def unit_profile_for(enterprise: Enterprise | None, site: Site | None) -> str:
    """事故发生单位概况 pre-filled from the enterprise ledger (一企一档) and the site."""
    if enterprise is None:
        return f"场所：{site.name}，地址：{site.address}" if site else ""
    parts = [f"单位名称：{enterprise.name}", f"统一社会信用代码：{enterprise.credit_code}",
             f"法定代表人：{enterprise.legal_representative}", f"主要负责人：{enterprise.principal_name}",
             f"地址：{enterprise.address}", f"规模：{enterprise.get_scale_display()}", f"经营状态：{enterprise.get_status_display()}"]
    if enterprise.standard_grade:
        parts.append(f"安全生产标准化：{enterprise.get_standard_grade_display()}")
    if site is not None:
        parts.append(f"事故场所/项目：{site.name}（{site.get_kind_display()}，{site.address}）")
    return "；".join(parts)


def _department_for(unit: OrgUnit, industry) -> Department | None:
    """The regulator of ``industry`` closest to the place (district or street level), as hazards find it."""
    if industry is None:
        return None
    return (Department.objects.filter(unit_id__in=unit.ancestor_ids(), industries=industry, voided_at__isnull=True)
            .exclude(unit__kind__in=[UnitKind.PROVINCE, UnitKind.CITY]).order_by("-unit__depth", "id").first())


def _place(actor, data) -> tuple:
    """(assignment, site, unit, enterprise) of the place reported, within the reporter's scope."""
    if not any(a.permits("accident.report") for a in active_assignments(actor)):
        raise Forbidden("您没有报告事故的权限")
    if data.get("site") not in (None, ""):
        site = (Site.objects.visible_to(actor, "accident.report").filter(pk=safe_id(data.get("site")) or 0, voided_at__isnull=True)
                .select_related("grid", "enterprise", "industry").first())
        if site is None:
            raise Invalid({"site": ["所选场所不存在或不在您的管辖范围内"]})
        assignment = Site.objects.authorizing_assignment(actor, "accident.report", site.pk)
        return assignment, site, site.grid, site.enterprise
    if data.get("unit") not in (None, ""):
        unit = (OrgUnit.objects.visible_to(actor, "accident.report")
                .filter(pk=safe_id(data.get("unit")) or 0, voided_at__isnull=True,
                        kind__in=[UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.GRID]).first())
        assignment = unit and OrgUnit.objects.authorizing_assignment(actor, "accident.report", unit.pk)
        if unit is None or assignment is None or assignment.scope_kind == ScopeKind.ENTERPRISE:
            raise Invalid({"unit": ["所选区划不存在或不在您的管辖范围内（请选择街道、社区或网格）"]})
        return assignment, None, unit, None
    own = [a for a in active_assignments(actor) if a.permits("accident.report") and a.scope_kind == ScopeKind.ENTERPRISE]
    if len(own) == 1 and own[0].enterprise is not None:
        # An enterprise's account reporting without naming a site: its own enterprise, at its first site
        # (else its registered grid) — the phone form pre-selects the same.
        enterprise = own[0].enterprise
        site = (Site.objects.filter(enterprise=enterprise, voided_at__isnull=True).select_related("grid", "industry")
                .order_by("id").first())
        return own[0], site, (site.grid if site else enterprise.unit), enterprise
    raise Invalid({"site": ["请选择事故发生的场所（没有登记场所的，选择事故发生地所在的街道、社区或网格）"]})


@transaction.atomic
def accident_report(*, actor, data: dict, photos=(), client_key: str = "") -> Accident:
    """File an accident report (第九条、第十二条); see the package docstring for ``data``."""
    client_key = clean_text(client_key, field="client_key", label="客户端标识", max_length=64)
    if client_key:
        earlier = Accident.objects.filter(reported_by=actor, client_key=client_key).first()
        if earlier is not None:
            return earlier
    assignment, site, unit, enterprise = _place(actor, data)
    clean = _valid(AccidentForm(data=data))
    industry = None
    if data.get("industry") not in (None, ""):
        industry = Industry.objects.filter(pk=safe_id(data.get("industry")) or 0).first()
        if industry is None:
            raise Invalid({"industry": ["所选行业领域不存在"]})
    elif site is not None:
        industry = site.industry or (enterprise.industries.order_by("sort").first() if enterprise else None)
    now = timezone.now()
    level = rules.classify(clean["deaths"], clean["serious_injuries"], clean["direct_loss_yuan"])
    accident = Accident(
        number=f"tmp-{now.timestamp()}-{actor.pk}", enterprise=enterprise, site=site,
        unit_name=clean["unit_name"] or (enterprise.name if enterprise else (site.name if site else unit.name)),
        unit_profile=clean["unit_profile"] or unit_profile_for(enterprise, site),
        unit=unit, unit_path=unit.path, district_id=unit.district_id, industry=industry,
        department=_department_for(unit, industry),
        occurred_at=clean["occurred_at"], occurred_on=local_date(clean["occurred_at"]), learned_at=clean["learned_at"],
        place=clean["place"], scene=clean["scene"], account=clean["account"], kind=clean["kind"],
        is_road_traffic=clean["is_road_traffic"], is_fire=clean["is_fire"],
        **{f: clean[f] for f in FIGURES}, measures=clean["measures"], other=clean["other"],
        level=level, status=AccidentStatus.REPORTED, reported_at=now, reported_by=actor, reported_role=assignment.role,
        reporter_unit=assignment.unit if assignment.scope_kind == ScopeKind.TERRITORY else None,
        reporter_department=assignment.department if assignment.scope_kind == ScopeKind.DEPARTMENT else None,
        reporter_enterprise=assignment.enterprise if assignment.scope_kind == ScopeKind.ENTERPRISE else None,
        client_key=client_key,
    )
    try:
        with transaction.atomic():
            accident.save()
    except IntegrityError:
        raise Conflict("该事故报告已提交（同一表单重复提交）") from None
    accident.number = f"SG{accident.occurred_on:%Y}{accident.pk:06d}"
    accident.save(update_fields=["number"])
    LevelChange.objects.create(accident=accident, from_level="", to_level=level, figures=_figures(accident), changed_at=now,
                               changed_by=actor, reason="首次报告定级")
    _sync_legs(accident, now, first_report=True)
    body_level, body_unit = _body(accident)
    Investigation.objects.create(accident=accident, body_level=body_level, body_unit=body_unit,
                                 due_on=rules.investigation_due(accident.occurred_at))
    save_photos(actor, accident, photos)
    audit(actor, assignment, accident, "report")
    notify_event("accident_reported", accident, key=f"accident:a{accident.pk}", actor=actor)
    return accident


def _body(accident: Accident) -> tuple[str, OrgUnit | None]:
    level = rules.investigating_body(accident.level)
    return level, level_unit(accident, level)


# ---------------------------------------------------------------- legs


def _sync_legs(accident: Accident, now, *, first_report: bool = False) -> None:
    """Make the legs match the level: every level up to the one the grade requires (第十条). A leg that was the
    top and must now pass the report on starts its 2 hours when the new level is known (``now``) — the law's
    clock cannot run before anyone knew the accident was of that level. Legs no longer required are kept
    (history) but marked not required."""
    needed = rules.report_levels(accident.level)
    existing = {leg.level: leg for leg in accident.legs.all()}
    for seq, level in enumerate(GOV_ORDER):
        leg = existing.get(level)
        if leg is None:
            if level not in needed:
                continue
            leg = ReportLeg(accident=accident, level=level, seq=seq, unit=level_unit(accident, level))
            if first_report:
                _first_times(accident, leg)
        was_top = bool(leg.pk) and leg.is_top
        leg.required = level in needed
        leg.is_top = leg.required and level == needed[-1]
        _set_clock(leg, accident, reopened_at=now if (was_top and not leg.is_top) else None)
        leg.save()


def _first_times(accident: Accident, leg: ReportLeg) -> None:
    """At the first report: the unit's head learned at ``learned_at``; a report filed by the enterprise itself is
    its report to the county-level departments (they see it at once); whoever filed it, the county level
    (应急管理 and the regulators of the district) has received it when it was filed."""
    if leg.level == GovLevel.UNIT:
        leg.received_at = accident.learned_at
        if accident.reporter_enterprise_id:
            leg.forwarded_at, leg.forwarded_by = accident.reported_at, accident.reported_by
    elif leg.level == GovLevel.COUNTY:
        leg.received_at, leg.received_by = accident.reported_at, accident.reported_by


def _set_clock(leg: ReportLeg, accident: Accident, reopened_at=None) -> None:
    if not leg.required or leg.is_top:
        leg.clock_start = leg.due_at = None
        return
    if leg.level == GovLevel.UNIT:
        start = accident.learned_at
    elif leg.received_at is None:
        start = None
    else:
        start = leg.received_at
        if reopened_at is not None:
            start = max(start, reopened_at)
        elif leg.clock_start is not None:
            start = max(start, leg.clock_start)
    leg.clock_start = start
    leg.due_at = rules.leg_due(leg.level, start) if start else None


def legs_view(accident: Accident, now=None) -> list[dict]:
    """The legs as pages and the API show them (required ones, in order), ``late`` computed against ``now``."""
    now = now or timezone.now()
    rows = []
    for leg in accident.legs.filter(required=True).select_related("unit").order_by("seq"):
        rows.append({"id": leg.pk, "level": leg.level, "level_name": leg.get_level_display(), "unit": leg.unit.name if leg.unit_id else "",
                     "outside_territory": leg.outside_territory, "is_top": leg.is_top, "clock_start": leg.clock_start,
                     "due_at": leg.due_at, "received_at": leg.received_at, "forwarded_at": leg.forwarded_at,
                     "late": leg.is_late(now), "informed": leg.informed, "note": leg.note})
    return rows


#: Unit kinds that may enter the times reported for a level outside the tree.
OUTSIDE_RECORDERS = (UnitKind.DISTRICT, UnitKind.CITY, UnitKind.PROVINCE)


def may_record_leg(assignment, leg: ReportLeg) -> str | None:
    """Why ``assignment`` may *not* record times on ``leg`` (None when it may). Each level records its own
    leg (or a level above corrects it); the unit's report time is recorded by whoever received it on the
    chain; a level outside the tree by any level of the chain from the county up."""
    if assignment.scope_kind == ScopeKind.TERRITORY:
        own = assignment.unit
    elif assignment.scope_kind == ScopeKind.DEPARTMENT:
        own = assignment.department.unit
    else:
        return "只有接报的各级部门可以登记报告环节"
    accident = leg.accident
    if leg.level == GovLevel.UNIT:
        return None if accident.unit_path.startswith(own.path) else "不在事故发生地的报告链上"
    if leg.unit_id:
        return None if leg.unit.path.startswith(own.path) else f"该环节由{leg.unit.name}登记"
    # A level outside the tree (国务院, or a level the tree lacks): its times are entered as reported by
    # any level of the chain from the county up (they hear them from above); a street does not.
    if accident.unit_path.startswith(own.path) and own.depth <= accident.unit.depth and own.kind in OUTSIDE_RECORDERS:
        return None
    return "本系统以外层级的接报、上报时间由县级及以上各级登记"


def _authorize_leg(actor, leg: ReportLeg):
    accident = leg.accident
    authorize(actor, accident, "view")
    reasons = []
    for assignment in active_assignments(actor):
        if not assignment.permits("accident.forward"):
            continue
        if not Accident.objects.filter(Accident.objects.assignment_q(assignment), pk=accident.pk).exists():
            continue
        reason = may_record_leg(assignment, leg)
        if reason is None:
            return assignment
        reasons.append(reason)
    raise Forbidden(reasons[0] if reasons else "您没有登记事故报告环节的权限")


def _moment(value, field: str, label: str, *, not_before=None) -> datetime.datetime:
    now = timezone.now()
    if value in (None, ""):
        return now
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise Invalid({field: [f"{label}格式不正确，例如 2026-11-22T23:30:00+08:00"]})
        value = parsed
    if _too_early(value) or _too_late(value):
        raise Invalid({field: [f"{label}应在2000年1月1日至当前时间之间"]})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SLACK:
        raise Invalid({field: [f"{label}不能晚于当前时间"]})
    if not_before is not None and value < not_before:
        raise Invalid({field: [f"{label}不能早于{timezone.localtime(not_before):%Y-%m-%d %H:%M}"]})
    return value


def _leg(leg) -> ReportLeg:
    leg = ReportLeg.objects.select_for_update(of=("self",)).select_related("accident__unit", "unit").get(pk=leg.pk)
    require_open(leg.accident)
    if not leg.required:
        raise Conflict("按事故当前等级，不需要报至该层级")
    return leg


@transaction.atomic
def leg_receive(*, actor, leg: ReportLeg, received_at=None, note: str = "") -> ReportLeg:
    """Record when ``leg``'s level received the report; its 2-hour clock starts then (第十一条)."""
    leg = _leg(leg)
    assignment = _authorize_leg(actor, leg)
    if leg.level == GovLevel.UNIT:
        raise Conflict("事故发生单位的接报时间即单位负责人接到报告的时间，随事故报告填写")
    if leg.received_at is not None:
        raise Conflict(f"该层级已于{timezone.localtime(leg.received_at):%Y-%m-%d %H:%M}登记接报")
    before = snap(leg)
    leg.received_at = _moment(received_at, "received_at", "接报时间", not_before=leg.accident.occurred_at)
    leg.received_by = actor
    leg.note = clean_text(note, field="note", label="说明", max_length=500) or leg.note
    _set_clock(leg, leg.accident)
    leg.save()
    audit(actor, assignment, leg, "leg_receive", before=before)
    return leg


@transaction.atomic
def leg_forward(*, actor, leg: ReportLeg, forwarded_at=None, note: str = "") -> ReportLeg:
    """Record when ``leg``'s level passed the report up (the unit: reported to the county-level departments).
    Inside the tree, the next level's receipt is the same moment unless it recorded its own."""
    leg = _leg(leg)
    assignment = _authorize_leg(actor, leg)
    if leg.is_top:
        raise Conflict("按事故当前等级，该层级为最高报告层级，无需继续上报")
    if leg.forwarded_at is not None:
        raise Conflict(f"该层级已于{timezone.localtime(leg.forwarded_at):%Y-%m-%d %H:%M}登记上报")
    before = snap(leg)
    start = leg.received_at or leg.accident.occurred_at
    leg.forwarded_at = _moment(forwarded_at, "forwarded_at", "上报时间", not_before=start)
    leg.forwarded_by = actor
    leg.note = clean_text(note, field="note", label="说明", max_length=500) or leg.note
    leg.save()
    nxt = ReportLeg.objects.filter(accident=leg.accident, required=True, seq__gt=leg.seq).order_by("seq").first()
    if nxt is not None and nxt.received_at is None:
        nxt.received_at, nxt.received_by = leg.forwarded_at, actor
        _set_clock(nxt, leg.accident)
        nxt.save()
    audit(actor, assignment, leg, "leg_forward", before=before)
    return leg


@transaction.atomic
def leg_inform(*, actor, leg: ReportLeg, party: str, at=None) -> ReportLeg:
    """Record that ``leg``'s level informed 公安、人社、工会、检察院 or its government (第十条)."""
    leg = _leg(leg)
    assignment = _authorize_leg(actor, leg)
    if party not in INFORMED_PARTIES:
        raise Invalid({"party": ["请选择：" + "、".join(INFORMED_PARTIES)]})
    before = snap(leg)
    moment = _moment(at, "at", "通知时间", not_before=leg.accident.occurred_at)
    leg.informed = {**leg.informed, party: moment.isoformat()}
    leg.save(update_fields=["informed"])
    audit(actor, assignment, leg, "leg_inform", before=before)
    return leg


# ---------------------------------------------------------------- 补报 and regrading


def _regrade(actor, accident: Accident, now, reason: str) -> tuple[str, str]:
    """Recompute the level from the current figures; on a change keep the history, move the investigating
    body (第二十条) and the legs (第十条)."""
    before = accident.level
    after = rules.classify(accident.deaths, accident.serious_injuries, accident.direct_loss_yuan)
    if after == before:
        return before, after
    accident.level = after
    accident.save(update_fields=["level"])
    LevelChange.objects.create(accident=accident, from_level=before, to_level=after, figures=_figures(accident),
                               changed_at=now, changed_by=actor, reason=reason[:200])
    _sync_legs(accident, now)
    inv = Investigation.objects.filter(accident=accident).first()
    if inv is not None and not inv.approved_on:
        body_level, body_unit = _body(accident)
        if (body_level, body_unit) != (inv.body_level, inv.body_unit):
            inv.body_level, inv.body_unit = body_level, body_unit
            if inv.entrusted_to_unit and not rules.may_entrust_to_unit(after, accident.deaths, accident.missing,
                                                                        accident.serious_injuries, accident.injuries):
                inv.entrusted_to_unit = False
            inv.save(update_fields=["body_level", "body_unit", "entrusted_to_unit", "updated_at"])
    return before, after


def authorize_add(actor, accident: Accident):
    """The one assignment that permits ``accident.add`` (补报) on the accident."""
    return authorize(actor, accident, "accident.add")


@transaction.atomic
def accident_add_casualties(*, actor, accident: Accident, version, data: dict) -> CasualtyAddition:
    """补报 (第十三条): the new totals after a change in casualties (or the loss estimate).

    Refused after the window (30 calendar days, 7 for road-traffic and fire accidents; ``rules.addition_window_end``)
    with the date it closed. The change's time (``changed_at``, default now) decides; it cannot be before the
    accident nor in the future."""
    assignment = authorize_add(actor, accident)
    accident = Accident.objects.select_related("unit").get(pk=accident.pk)
    require_open(accident)
    clean = _valid(AdditionForm(data=data))
    changed_at = clean.get("changed_at") or timezone.now()
    if _too_early(changed_at) or _too_late(changed_at):
        raise Invalid({"changed_at": ["伤亡变化时间应在事故发生时间至当前时间之间"]})
    if changed_at > timezone.now() + CLOCK_SLACK:
        raise Invalid({"changed_at": ["伤亡变化时间不能晚于当前时间"]})
    if changed_at < accident.occurred_at:
        raise Invalid({"changed_at": ["伤亡变化时间不能早于事故发生时间"]})
    until = accident.late_addition_until
    if local_date(changed_at) > until:
        days = rules.addition_days(accident.is_road_traffic, accident.is_fire)
        what = "道路交通事故、火灾事故" if (accident.is_road_traffic or accident.is_fire) else "事故"
        raise Invalid({"changed_at": [
            f"补报期间已于{until:%Y年%m月%d日}届满：{what}自发生之日起{days}日内伤亡人数发生变化的应当补报"
            f"（生产安全事故报告和调查处理条例第十三条），此后的变化不再补报、不改变事故等级。"]})
    if all(clean[f] == getattr(accident, f) for f in FIGURES):
        raise Invalid({"deaths": ["补报的人数和损失与现有数字相同，无需补报"]})
    bump_version(accident, version)
    before = snap(accident)
    now = timezone.now()
    for f in FIGURES:
        setattr(accident, f, clean[f])
    accident.save(update_fields=[*FIGURES, "updated_at"])
    level_before, level_after = _regrade(actor, accident, now, reason="伤亡补报")
    addition = CasualtyAddition.objects.create(
        accident=accident, changed_at=changed_at, reported_at=now, reported_by=actor, reported_role=assignment.role,
        **{f: clean[f] for f in FIGURES}, note=clean.get("note") or "", level_before=level_before, level_after=level_after)
    audit(actor, assignment, accident, "add_casualties", before=before)
    if level_rank(level_after) > level_rank(level_before):
        notify_event("accident_regraded", accident, key=f"regraded:a{accident.pk}:{level_after}", actor=actor,
                     level=level_after)
    return addition


@transaction.atomic
def accident_update(*, actor, accident: Accident, version, data: dict) -> Accident:
    """Correct the descriptive fields of the report (the figures change only by 补报, the place never)."""
    assignment = authorize(actor, accident, "accident.add")
    accident = Accident.objects.get(pk=accident.pk)
    require_open(accident)
    merged = {f: getattr(accident, f) for f in AccidentForm.Meta.fields}
    merged.update({k: v for k, v in data.items() if k in DESCRIPTIVE})
    merged.update({f: getattr(accident, f) for f in FIGURES})
    clean = _valid(AccidentForm(data=merged))
    bump_version(accident, version)
    before = snap(accident)
    for f in DESCRIPTIVE:
        setattr(accident, f, clean[f])
    accident.save()
    audit(actor, assignment, accident, "update", before=before)
    return accident


@transaction.atomic
def accident_photos_add(*, actor, accident: Accident, photos) -> list:
    assignment = authorize(actor, accident, "accident.add")
    require_open(accident)
    saved = save_photos(actor, accident, photos)
    if saved:
        audit(actor, assignment, accident, "photos_add", after={"photos": [p.pk for p in saved]})
    return saved


# ---------------------------------------------------------------- 迟报/漏报/谎报/瞒报


@transaction.atomic
def late_finding_record(*, actor, accident: Accident, data: dict) -> LateFinding:
    """Record a finding of 迟报/漏报/谎报/瞒报 against exactly one unit, department or enterprise (by investigators)."""
    from .common import authorize_investigator

    assignment = authorize_investigator(actor, accident)
    kind = data.get("kind")
    if kind not in LateKind.values:
        raise Invalid({"kind": ["请选择：迟报、漏报、谎报或瞒报"]})
    description = clean_text(data.get("description"), field="description", label="认定情况", max_length=5000, required=True)
    targets = {}
    if data.get("against_unit") not in (None, ""):
        targets["against_unit"] = OrgUnit.objects.filter(pk=safe_id(data["against_unit"]) or 0, pk__in=accident.unit.ancestor_ids()).first()
    if data.get("against_department") not in (None, ""):
        targets["against_department"] = Department.objects.filter(
            Q(unit_id__in=accident.unit.ancestor_ids()), pk=safe_id(data["against_department"]) or 0).first()
    if data.get("against_enterprise") not in (None, ""):
        targets["against_enterprise"] = Enterprise.objects.filter(pk=safe_id(data["against_enterprise"]) or 0).filter(pk=accident.enterprise_id).first()
    if len(targets) != 1 or None in targets.values():
        raise Invalid({"against_unit": ["请选择一个认定对象：事故发生地报告链上的区划单位或部门，或事故发生单位"]})
    leg = None
    if data.get("leg") not in (None, ""):
        leg = accident.legs.filter(pk=safe_id(data["leg"]) or 0).first()
        if leg is None:
            raise Invalid({"leg": ["所选报告环节不属于该事故"]})
    finding = LateFinding.objects.create(accident=accident, kind=kind, leg=leg, description=description,
                                         recorded_at=timezone.now(), recorded_by=actor, recorded_role=assignment.role,
                                         **targets)
    audit(actor, assignment, finding, "late_finding")
    return finding


def regulators_of(accident: Accident) -> set[int]:
    """Departments that regulate the accident's enterprise (for notifications)."""
    if not accident.enterprise_id:
        return set()
    return set(EnterpriseRegulator.objects.active().filter(enterprise_id=accident.enterprise_id, department__isnull=False)
               .values_list("department_id", flat=True))
