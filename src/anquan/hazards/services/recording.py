"""Recording a hazard, editing its descriptive fields, and the services for the fields that
define responsibility: grading (重大/一般), transfer to another site."""
from __future__ import annotations

import datetime

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anquan.accounts.models import Person
from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.audit.services import snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import authorize, bump_version, safe_id
from anquan.core.text import TextRuleMixin
from anquan.enterprises.models import Site
from anquan.notifications.services import notify_event
from anquan.orgs.models import Department, OrgUnit, UnitKind
from anquan.rules.calendar import local_date, today
from anquan.rules.deadlines import earliest_finding, latest_deadline

from ..choices import HazardLevel, HazardSource, HazardStatus, PhotoKind, Verdict
from ..models import Hazard, HazardCategory, RectificationRound
from . import judgement
from .common import audit, place_of, require_reason, save_photos

DESCRIPTIVE = ["category", "description", "location", "measures", "funds", "contingency_plan",
               "report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org",
               "plan_timeline", "plan_safety"]


class HazardForm(TextRuleMixin, forms.ModelForm):
    """Field validation shared by pages, API and importer (choices of site/category are checked by the service)."""

    responsible_name = forms.CharField(label="整改责任人", max_length=50, required=False)
    responsible_phone = forms.CharField(label="责任人电话", max_length=30, required=False)

    class Meta:
        model = Hazard
        fields = ["description", "location", "source", "found_at", "level", "immediate", "measures", "funds",
                  "deadline", "contingency_plan", *DESCRIPTIVE[6:]]

    def __init__(self, *args, unit=None, **kwargs):
        """``unit``: the site's grid, whose locality's rules bound the dates (None: the system-wide rules)."""
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["found_at"].required = False
        self.fields["deadline"].required = False
        self.fields["funds"].max_digits = 14
        self.fields["level"].required = False

    def clean(self):
        data = super().clean()
        found_at = data.get("found_at") or timezone.now()
        found_on = local_date(found_at)
        if found_at > timezone.now() + datetime.timedelta(minutes=5):
            self.add_error("found_at", "发现时间不能晚于当前时间")
        elif found_on < (earliest := earliest_finding(today(), unit=self.unit)):
            self.add_error("found_at", f"发现时间不能早于{earliest:%Y-%m-%d}（只能登记{(today() - earliest).days}日内发现的隐患）")
        data["found_at"] = found_at
        data["level"] = data.get("level") or HazardLevel.GENERAL
        deadline = data.get("deadline")
        if deadline and deadline > (latest := latest_deadline(found_on, unit=self.unit)):
            # checked for 立查立改 too: its deadline is the day found, but a typed one must not be stored
            self.add_error("deadline", f"整改期限不能晚于{latest:%Y-%m-%d}（自发现之日起最长{(latest - found_on).days}日；"
                                       "确需更长时间的，到期前申请延期）")
        if data.get("immediate"):
            if data["level"] == HazardLevel.MAJOR:
                self.add_error("immediate", "重大事故隐患不能立查立改")
        elif not deadline:
            self.add_error("deadline", "请填写整改期限")
        elif deadline < found_on:
            self.add_error("deadline", "整改期限不能早于发现日期")
        return data


def _valid(form):
    if not form.is_valid():
        raise Invalid({f: [str(e) for e in errs] for f, errs in form.errors.items()})
    return form.cleaned_data


def _keys(raw) -> list[str]:
    """Condition keys from a page (list), the API (list) or a comma-separated text."""
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, (list, tuple)):
        raise Invalid({"criterion_conditions": ["须同时具备的情形应为情形代号的列表"]})
    return [str(k).strip()[:10] for k in raw if str(k).strip()]


def _ids(raw) -> list:
    if raw is None or raw == "":
        return []
    if isinstance(raw, (str, int)):
        raw = str(raw).split(",")
    if not isinstance(raw, (list, tuple)):
        raise Invalid({"elements": ["综合判定要素应为条款编号（id）的列表"]})
    return [safe_id(v) or 0 for v in raw if str(v).strip()]


def _judge_finding(data: dict, industry, found_on, unit=None) -> judgement.Judgement:
    """The judgement of a finding recorded by hand: the criterion picked with its "并且" conditions affirmed,
    or combined elements (GB 35181 ch. 6) for a place kind. A criterion that does not make it 重大 (a
    condition not affirmed, too few elements) is refused with the reason: record it 一般 without a criterion."""
    criterion, elements = data.get("criterion"), _ids(data.get("elements"))
    if not criterion and not elements:
        return judgement.Judgement(False, None, {}, ())
    place_kind = str(data.get("place_kind") or "")[:40] or None
    judged = judgement.judge_items(industry=industry, found_on=found_on, criterion=criterion,
                                   conditions=_keys(data.get("criterion_conditions")), elements=elements,
                                   place_kind=place_kind, unit=unit)
    if not judged.major:
        field = "criterion_conditions" if criterion and not elements else "elements"
        raise Invalid({field: list(judged.reasons) or ["所选条款不构成重大事故隐患：请按一般事故隐患登记，不选判定条款"]})
    return judged


def _category(pk):
    if not pk:
        return None
    category = HazardCategory.objects.filter(pk=safe_id(pk) or 0, active=True).first()
    if category is None:
        raise Invalid({"category": ["所选隐患类别不存在"]})
    return category


#: The roles an official must hold the judging permission for (``hazard.judge_major``) to record a 重大 hazard.
NO_JUDGING = {"grid_worker": "网格员不能直接登记重大事故隐患：请按一般事故隐患登记，由街道（乡镇）或行业部门对照判定标准判定"}


def major_refusal(assignment, criterion) -> dict[str, list[str]] | None:
    """Why ``assignment`` may not record a 重大 hazard (None when it may).

    重大 is a judgement against a published 判定标准 item (rules.md "Hazards"), so a criterion is always
    named; and it is made by whoever may judge (``hazard.judge_major``: 安委办, street, department,
    inspector, expert) — a grid worker or a supervision-group member records 一般 and the street or
    department judges it (``hazard_judge_major``). An enterprise reports its own 重大 hazard (安全生产法
    第四十一条) without that permission: grading up only brings its regulator in (``may_oversee``)."""
    if assignment.scope_kind != ScopeKind.ENTERPRISE and not assignment.permits("hazard.judge_major"):
        return {"level": [NO_JUDGING.get(assignment.role, "您没有判定重大事故隐患的权限：请按一般事故隐患登记，由有判定权限的单位对照判定标准判定")]}
    if criterion is None:
        return {"criterion": ["登记重大事故隐患须选择所依据的重大事故隐患判定标准条款"]}
    return None


def responsible_people(site):
    """Who may be named 整改责任人 (五落实·责任) at ``site``: people of whoever answers for the fix — the
    site's enterprise (主体责任), or at a place without one the territorial units from its street down
    to its grid (属地; ``may_rectify``). Not "anyone the recorder can see": a street sees the units
    above it and must not name a city official as the one who fixes a fire exit."""
    if site.enterprise_id:
        return Person.objects.filter(enterprise_id=site.enterprise_id, voided_at__isnull=True)
    local = OrgUnit.objects.filter(pk__in=site.grid.ancestor_ids(), kind__in=[UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.GRID])
    return Person.objects.filter(unit__in=local, department__isnull=True, enterprise__isnull=True, voided_at__isnull=True)


def people_for(actor, site):
    """People who may be named on a hazard at ``site``: the site's enterprise's people, and people of
    the units and departments ``actor`` can see (never an arbitrary person id from elsewhere)."""
    q = Q(unit__in=OrgUnit.objects.visible_to(actor)) | Q(department__in=Department.objects.visible_to(actor))
    if site.enterprise_id:
        q |= Q(enterprise_id=site.enterprise_id)
    return Person.objects.filter(q, voided_at__isnull=True)


def _responsible(data, actor, site) -> Person | None:
    """The named responsible person (五落实·责任), picked by id within reach, or found/created by name and phone."""
    if data.get("responsible_person"):
        person = responsible_people(site).filter(pk=safe_id(data["responsible_person"]) or 0).first()
        if person is None:
            who = "该场所所属企业" if site.enterprise_id else "该场所所在的街道（乡镇）、社区或网格"
            raise Invalid({"responsible_person": [f"整改责任人须是{who}的人员"]})
        return person
    name = (data.get("responsible_name") or "").strip()[:50]
    if not name:
        return None
    phone = (data.get("responsible_phone") or "").strip()[:30]
    anchor = {"enterprise_id": site.enterprise_id} if site.enterprise_id else {"unit_id": site.grid_id}
    person, _ = Person.objects.get_or_create(name=name, phone=phone, voided_at__isnull=True, **anchor)
    return person


@transaction.atomic
def hazard_record(*, actor, data: dict, photos=(), after_photos=(), found_by=(), inspection=None,
                  finder_department=None) -> Hazard:
    """Record a hazard at a site from any source; 立查立改 closes it at once with the after-photo.

    ``inspection`` and ``finder_department`` are for the inspections app (a 不符合 answer becomes a
    hazard when its visit is completed): the hazard is linked to the visit, and in a 联合检查 the
    department owning the part is the finder, whichever inspector completed the visit."""
    if not any(a.permits("hazard.record") for a in active_assignments(actor)):
        raise Forbidden()
    sites = Site.objects.visible_to(actor, "hazard.record")
    site = sites.filter(pk=safe_id(data.get("site")) or 0, voided_at__isnull=True).select_related("grid", "enterprise", "industry").first()
    if site is None:
        raise Invalid({"site": ["所选场所不存在或不在您的管辖范围内"]})
    assignment = Site.objects.authorizing_assignment(actor, "hazard.record", site.pk)
    clean = _valid(HazardForm(data=data, unit=site.grid))
    if assignment.scope_kind == ScopeKind.ENTERPRISE and clean["source"] != HazardSource.SELF:
        raise Invalid({"source": ["企业登记的隐患来源只能是“企业自查”"]})
    found_on = timezone.localtime(clean["found_at"]).date()
    industry = site.industry
    if inspection is not None:
        # from a visit, the checklist item's criterion decides — if in force on the day and for the site's industry
        judged = judgement.for_checklist_item(data.get("criterion"), industry=industry, found_on=found_on, unit=site.grid)
        criterion = judged.item
        level = HazardLevel.MAJOR if judged.major else (
            HazardLevel.GENERAL if data.get("criterion") else clean["level"])
    else:
        judged = _judge_finding(data, industry, found_on, site.grid)
        criterion = judged.item
        level = HazardLevel.MAJOR if judged.major else clean["level"]
        if level == HazardLevel.MAJOR:
            refusal = major_refusal(assignment, criterion)
            if refusal:
                raise Invalid(refusal)
    if clean["immediate"] and level == HazardLevel.MAJOR:
        raise Invalid({"immediate": ["重大事故隐患不能立查立改"]})
    if clean["immediate"] and not after_photos:
        raise Invalid({"after_photos": ["立查立改须上传整改后照片"]})
    now = timezone.now()
    deadline = clean["deadline"] or found_on
    place = place_of(site)
    hazard = Hazard(
        number=f"tmp-{now.timestamp()}-{actor.pk}", site=site, category=_category(data.get("category")),
        description=clean["description"], location=clean["location"], source=clean["source"],
        found_at=clean["found_at"], found_on=found_on, recorded_by=actor, recorded_role=assignment.role,
        finder_unit=assignment.unit if assignment.scope_kind == ScopeKind.TERRITORY else None,
        finder_department=finder_department or (assignment.department if assignment.scope_kind == ScopeKind.DEPARTMENT else None),
        inspection=inspection,
        finder_enterprise=assignment.enterprise if assignment.scope_kind == ScopeKind.ENTERPRISE else None,
        level=level, criterion=criterion, judgement=judged.record, immediate=clean["immediate"], responsible_person=_responsible(data, actor, site),
        measures=clean["measures"], funds=clean["funds"], deadline=deadline, deadline_in_force=deadline,
        contingency_plan=clean["contingency_plan"], **place,
        **{f: clean.get(f, "") or "" for f in DESCRIPTIVE[6:]},
    )
    if level == HazardLevel.MAJOR:
        hazard.reported_to_regulators_at = now  # reported to the site's regulators automatically
    hazard.save()
    hazard.number = f"YH{found_on:%Y}{hazard.pk:08d}"
    hazard.save(update_fields=["number"])
    if found_by:
        ids = [i for i in map(safe_id, found_by) if i]
        people = list(people_for(actor, site).filter(pk__in=ids))
        if len(people) != len(set(ids)):
            raise Invalid({"found_by": ["所选发现人不存在或不在您的管辖范围内"]})
        hazard.found_by.set(people)
    elif actor.person_id:
        hazard.found_by.set([actor.person_id])
    save_photos(actor, hazard, photos, PhotoKind.FINDING)
    if clean["immediate"]:
        _fixed_on_the_spot(actor, assignment, hazard, after_photos, now)
    audit(actor, assignment, hazard, "record")
    if hazard.status == HazardStatus.AWAITING:
        notify_event("verification_waiting", hazard, key=f"verify:h{hazard.pk}:r1", actor=actor, round=1)
    if hazard.status != HazardStatus.CLOSED and hazard.source != HazardSource.SELF:
        notify_event("hazard_recorded", hazard, key=f"recorded:h{hazard.pk}", actor=actor)
    if level == HazardLevel.MAJOR:
        notify_event("major_reported", hazard, key=f"major:h{hazard.pk}", actor=actor)
    return hazard


def _fixed_on_the_spot(actor, assignment, hazard: Hazard, after_photos, now) -> None:
    """立查立改 with the after-photo as round 1.

    An official saw the fix made in front of them: their after-photo is the verification, and the
    hazard closes at once. An enterprise that fixed its own hazard is its rectifier, and the
    rectifier never verifies (rules of the house 7): the round waits (待验收) for another person of
    the enterprise, exactly as any enterprise closure does (``may_oversee``, ``hazard_verify``)."""
    own_fix = assignment.scope_kind == ScopeKind.ENTERPRISE
    verdict = {} if own_fix else {"verdict": Verdict.PASSED, "verified_by": actor, "verified_role": assignment.role,
                                  "verified_at": now, "verdict_reason": "立查立改，现场确认"}
    rnd = RectificationRound.objects.create(
        hazard=hazard, number=1, measures_taken=hazard.measures or "现场立即整改", submitted_by=actor,
        submitted_role=assignment.role, submitted_at=now, deadline_at_submission=hazard.deadline_in_force, on_time=True,
        **verdict,
    )
    save_photos(actor, hazard, after_photos, PhotoKind.AFTER, round=rnd)
    if own_fix:
        hazard.status, hazard.submitted_at = HazardStatus.AWAITING, now
        hazard.save(update_fields=["status", "submitted_at"])
        return
    hazard.status, hazard.submitted_at = HazardStatus.CLOSED, now
    hazard.closed_at, hazard.closed_on, hazard.closed_by, hazard.closed_on_time = now, timezone.localdate(now), actor, True
    hazard.save(update_fields=["status", "submitted_at", "closed_at", "closed_on", "closed_by", "closed_on_time"])


#: What an enterprise may not change on a hazard someone else found (an inspection, the street …).
FINDER_FIELDS = frozenset({"category", "description", "location"})
FOUND_BY_OTHERS = "该隐患由检查单位发现，企业只能填写五落实和治理方案"


def locked_fields(assignment, hazard: Hazard) -> frozenset[str]:
    """The descriptive fields ``assignment`` may not change: what the finder wrote, for an enterprise
    that did not find the hazard itself (the finding is the inspector's record, not the firm's).
    The edit page shows these read-only and never posts them."""
    if assignment.scope_kind == ScopeKind.ENTERPRISE and hazard.finder_enterprise_id != assignment.enterprise_id:
        return FINDER_FIELDS
    return frozenset()


def _changes(hazard: Hazard, field: str, value) -> bool:
    """Whether ``value`` (as a page or an API client sends it) differs from what is stored: a client
    that sends an unchanged field back (a whole form, a full JSON object) changes nothing by it, so
    it is neither refused for a locked field nor re-validated (an inactive category kept as it is)."""
    if field == "category":
        return str(value or "").strip() != str(hazard.category_id or "")
    current = getattr(hazard, field)
    if field == "funds":
        return True
    if isinstance(value, str) or value is None:
        return (value or "").strip() != (current or "").strip()
    return True


@transaction.atomic
def hazard_update(*, actor, hazard: Hazard, version, data: dict) -> Hazard:
    """Edit descriptive fields only; deadline, level, site and responsible unit have their own services."""
    assignment = authorize(actor, hazard, "update")
    if hazard.status == HazardStatus.CLOSED:
        raise Conflict("已销号的隐患不能修改")
    forbidden = sorted(set(data) & {"deadline", "deadline_in_force", "level", "site", "enterprise", "grid", "department", "status"})
    if forbidden:
        raise Invalid({f: ["该字段只能通过专门的流程变更（延期、定级、移交）"] for f in forbidden})
    foreign = [f for f in sorted(locked_fields(assignment, hazard) & set(data)) if _changes(hazard, f, data[f])]
    if foreign:
        raise Invalid({f: [FOUND_BY_OTHERS] for f in foreign})
    before = snapshot(hazard)
    for field in DESCRIPTIVE:
        if field not in data or not _changes(hazard, field, data[field]):
            continue
        value = data[field]
        if field == "category":
            hazard.category = _category(value)
        elif field == "funds":
            hazard.funds = _valid_funds(value)
        else:
            value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
            if field == "description" and not value:
                raise Invalid({"description": ["隐患描述不能为空"]})
            setattr(hazard, field, value[:10000])
    if "responsible_person" in data or "responsible_name" in data:
        hazard.responsible_person = _responsible(data, actor, hazard.site)
    bump_version(hazard, version)
    hazard.save()
    audit(actor, assignment, hazard, "update", before)
    return hazard


def _valid_funds(value):
    form = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    try:
        return form.clean(value)
    except forms.ValidationError as err:
        raise Invalid({"funds": list(err.messages)}) from None


@transaction.atomic
def hazard_judge_major(*, actor, hazard: Hazard, version, criterion=None, reason: str = "", conditions=None,
                       elements=(), place_kind: str | None = None) -> Hazard:
    """Match a 重大事故隐患判定标准 item in force on the day found and for the site's industry (with its "并且"
    conditions affirmed), or enough combined elements: the hazard becomes 重大 and is reported to its regulators."""
    assignment = authorize(actor, hazard, "judge_major")
    if hazard.status not in (HazardStatus.PENDING, HazardStatus.RECTIFYING):
        raise Conflict(f"隐患当前状态为“{hazard.get_status_display()}”，不能重新定级（待验收的请先退回）")
    if not criterion and not elements:
        raise Invalid({"criterion": ["请选择匹配的判定标准条款"]})
    judged = _judge_finding({"criterion": criterion, "criterion_conditions": conditions, "elements": elements,
                             "place_kind": place_kind}, hazard.industry, hazard.found_on, hazard.grid)
    before = snapshot(hazard)
    bump_version(hazard, version)
    hazard.level, hazard.criterion, hazard.immediate = HazardLevel.MAJOR, judged.item, False
    hazard.judgement = judged.record
    hazard.reported_to_regulators_at = hazard.reported_to_regulators_at or timezone.now()
    hazard.save()
    audit(actor, assignment, hazard, "judge_major", before, reason=reason or judgement.describe(judged.record))
    notify_event("major_reported", hazard, key=f"major:h{hazard.pk}", actor=actor)
    return hazard


@transaction.atomic
def hazard_downgrade(*, actor, hazard: Hazard, version, reason: str) -> Hazard:
    """Only the hazard's regulator (its responsible department) may downgrade a 重大 hazard, with a reason."""
    assignment = authorize(actor, hazard, "downgrade")
    reason = require_reason(reason)
    if assignment.department_id != hazard.department_id:
        raise Forbidden("只有该隐患的行业主管部门可以降级")
    if hazard.level != HazardLevel.MAJOR:
        raise Conflict("该隐患不是重大事故隐患")
    if hazard.listings.filter(delisted_at__isnull=True).exists():
        raise Conflict("挂牌督办中的隐患须先摘牌才能降级")
    before = snapshot(hazard)
    bump_version(hazard, version)
    hazard.level, hazard.criterion, hazard.judgement = HazardLevel.GENERAL, None, {}
    hazard.save()
    audit(actor, assignment, hazard, "downgrade", before, reason=reason)
    return hazard


@transaction.atomic
def hazard_transfer(*, actor, hazard: Hazard, version, site, reason: str) -> Hazard:
    """Move a wrongly placed hazard to another site (the place snapshot follows), with a reason."""
    assignment = authorize(actor, hazard, "transfer")
    reason = require_reason(reason)
    target = Site.objects.visible_to(actor, "hazard.transfer").filter(pk=safe_id(site) or 0, voided_at__isnull=True).first()
    if target is None:
        raise Invalid({"site": ["所选场所不存在或不在您的管辖范围内"]})
    before = snapshot(hazard)
    bump_version(hazard, version)
    hazard.site = target
    for field, value in place_of(target).items():
        setattr(hazard, field, value)
    hazard.save()
    audit(actor, assignment, hazard, "transfer", before, reason=reason)
    return hazard
