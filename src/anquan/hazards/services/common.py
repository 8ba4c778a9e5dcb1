"""What every hazard service shares: the explicit transition table, the who-found-it rule,
snapshots of the place, photos and the audit write."""
from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import Q

from anquan.accounts.roles import ScopeKind
from anquan.audit.services import record, snapshot
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import authorize
from anquan.core.uploads import check_image
from anquan.orgs.models import Department, UnitKind

from ..choices import HazardLevel, HazardSource, HazardStatus
from ..models import Hazard, HazardPhoto

S = HazardStatus
#: verb → {from status: to status}. Anything else is refused with 409.
TRANSITIONS = {
    "start": {S.PENDING: S.RECTIFYING},
    "submit": {S.PENDING: S.AWAITING, S.RECTIFYING: S.AWAITING},
    "pass": {S.AWAITING: S.CLOSED},
    "send_back": {S.AWAITING: S.RECTIFYING},
    "reopen": {S.CLOSED: S.RECTIFYING},
}
VERBS = {"start": "开始整改", "submit": "提交验收", "pass": "验收销号", "send_back": "退回整改", "reopen": "重新整改"}

#: Fields whose change means responsibility changes: only their own services touch them.
RESPONSIBILITY_FIELDS = ("deadline", "deadline_in_force", "level", "site_id", "enterprise_id", "grid_id", "department_id")


def next_status(hazard: Hazard, verb: str) -> str:
    target = TRANSITIONS[verb].get(hazard.status)
    if target is None:
        raise Conflict(f"隐患当前状态为“{hazard.get_status_display()}”，不能{VERBS[verb]}")
    return target


def require_live(hazard: Hazard) -> None:
    if hazard.voided_at:
        raise Conflict("该隐患记录已作废")


def require_plan(hazard: Hazard) -> None:
    """A 重大 hazard moves past 待整改 only with its 3-part report and 6-element 治理方案."""
    if hazard.level == HazardLevel.MAJOR:
        missing = hazard.plan_missing()
        if missing:
            raise Conflict("重大事故隐患须先补全隐患报告和治理方案：" + "、".join(missing))


def may_oversee(assignment, hazard: Hazard) -> str | None:
    """Why this assignment may *not* verify/decide for this hazard (None when it may).

    The finder's unit verifies what it found: a street (or community/grid) what its own
    territory found or public reports in it; a department what it found or what is
    reported to it; the 安委办 anything in its territory; an enterprise only its own
    self-found 一般 hazards.
    """
    kind = assignment.scope_kind
    if kind == ScopeKind.ENTERPRISE:
        own = hazard.finder_enterprise_id == assignment.enterprise_id and hazard.source == HazardSource.SELF
        if own and hazard.level == HazardLevel.GENERAL:
            return None
        return "企业只能验收本企业自查发现的一般事故隐患"
    if assignment.role == "anweiban":
        return None
    if kind == ScopeKind.TERRITORY:
        finder = hazard.finder_unit
        if finder is not None and finder.path.startswith(assignment.unit.path):
            return None
        if hazard.source in (HazardSource.PUBLIC, HazardSource.MEDIA) and hazard.grid_path.startswith(assignment.unit.path):
            return None
        return "只能验收本单位发现或交办的隐患"
    if kind == ScopeKind.DEPARTMENT:
        if hazard.finder_department_id == assignment.department_id:
            return None
        # Reported to it: public/media reports, and an enterprise's self-found 重大 hazard (its own
        # 一般 ones the enterprise closes itself, with a second person).
        reported = hazard.source in (HazardSource.PUBLIC, HazardSource.MEDIA) or (
            hazard.source == HazardSource.SELF and hazard.level == HazardLevel.MAJOR
        )
        if reported and hazard.department_id == assignment.department_id:
            return None
        return "只能验收本部门发现或报告本部门的隐患"
    return "无权验收"


def oversee_q(assignment) -> Q:
    """``may_oversee`` in SQL: the hazards this assignment may verify/decide by the who-found-it rule.

    Lists of what waits on someone (待验收, 延期待批) filter with it, so a count on the workbench
    and the list it opens show exactly the hazards the services would let this person act on;
    ``test_oversee_q`` keeps the two readings equal.
    """
    kind = assignment.scope_kind
    public = Q(source__in=[HazardSource.PUBLIC, HazardSource.MEDIA])
    if kind == ScopeKind.ENTERPRISE:
        return Q(finder_enterprise_id=assignment.enterprise_id, source=HazardSource.SELF, level=HazardLevel.GENERAL)
    if assignment.role == "anweiban":
        return Q()
    if kind == ScopeKind.TERRITORY:
        path = assignment.unit.path
        return Q(finder_unit__path__startswith=path) | (public & Q(grid_path__startswith=path))
    if kind == ScopeKind.DEPARTMENT:
        reported = public | Q(source=HazardSource.SELF, level=HazardLevel.MAJOR)
        return Q(finder_department_id=assignment.department_id) | (reported & Q(department_id=assignment.department_id))
    return Q(pk__in=[])


def waiting_q(assignment) -> Q:
    """``oversee_q`` narrowed to what *waits on* this assignment (待验收, 延期待批 on the workbench).

    The 安委办 may verify or decide anything in its territory, but only what its own level found waits on
    it; everything else waits on the street, department or enterprise closer to it — as notifications ask
    only the closest (``notifications.recipients.closest``), or every submission in a district would
    wait on the 安委办 too.
    """
    q = oversee_q(assignment)
    if assignment.role == "anweiban":
        q &= Q(finder_unit_id=assignment.unit_id, finder_department__isnull=True)
    return q


def overseen_q(user, action: str, waiting: bool = False) -> Q:
    """Hazards on which ONE active assignment of ``user`` both permits ``action`` (in scope) and passes
    the who-found-it rule — the rows ``authorize_oversight`` would accept; with ``waiting``, only those
    that wait on the user (``waiting_q``)."""
    from anquan.accounts.scope import active_assignments

    rule = waiting_q if waiting else oversee_q
    combined = Q(pk__in=[])
    for assignment in active_assignments(user):
        if assignment.permits(action):
            combined |= Hazard.objects.assignment_q(assignment) & rule(assignment)
    return combined


def may_rectify(assignment, hazard: Hazard) -> str | None:
    """Why this assignment may *not* rectify (None when it may): an enterprise rectifies its own
    hazards (主体责任); a street rectifies only at places without an enterprise (出租房、公共场所…)."""
    if assignment.scope_kind == ScopeKind.ENTERPRISE:
        return None if hazard.enterprise_id == assignment.enterprise_id else "只能整改本企业的隐患"
    if hazard.enterprise_id:
        return "企业的隐患由企业负责整改"
    return None


def authorize_rectifier(actor, hazard: Hazard, action: str):
    """The one assignment that permits ``action`` on the hazard *and* is its rectifier."""
    return _authorize_with(actor, hazard, action, may_rectify)


def authorize_oversight(actor, hazard: Hazard, action: str):
    """The one assignment that permits ``action`` on the hazard *and* passes the who-found-it rule."""
    return _authorize_with(actor, hazard, action, may_oversee)


def _authorize_with(actor, hazard: Hazard, action: str, rule):
    authorize(actor, hazard, "view")
    from anquan.accounts.scope import active_assignments

    reasons = []
    for assignment in active_assignments(actor):
        if not assignment.permits(action):
            continue
        if not Hazard.objects.filter(Hazard.objects.assignment_q(assignment), pk=hazard.pk).exists():
            continue
        reason = rule(assignment, hazard)
        if reason is None:
            return assignment
        reasons.append(reason)
    raise Forbidden(reasons[0] if reasons else "您没有执行此操作的权限")


def place_of(site) -> dict:
    """The site's grid, path, district, industry and responsible department, copied onto the hazard."""
    grid = site.grid
    industry = site.industry
    if industry is None and site.enterprise_id:
        industry = site.enterprise.industries.order_by("sort").first()
    department = None
    if industry is not None:
        department = (
            Department.objects.filter(unit_id__in=grid.ancestor_ids(), industries=industry, voided_at__isnull=True)
            .exclude(unit__kind__in=[UnitKind.PROVINCE, UnitKind.CITY])
            .order_by("-unit__depth", "id")
            .first()
        )
    return {
        "grid": grid, "grid_path": grid.path, "district_id": grid.district_id,
        "industry": industry, "department": department, "enterprise": site.enterprise,
    }


def save_photos(actor, hazard: Hazard, files, kind: str, round=None) -> list[HazardPhoto]:
    """Check every file by content first (nothing saved if one is bad), then store them."""
    checked = [check_image(f.read() if hasattr(f, "read") else f) for f in files or []]
    photos = []
    for image in checked:
        photo = HazardPhoto(hazard=hazard, round=round, kind=kind, sha256=image.sha256, content_type=image.content_type, uploaded_by=actor)
        photo.file.save(f"{image.sha256[:20]}.{image.extension}", ContentFile(image.content), save=False)
        photo.save()
        photos.append(photo)
    return photos


def audit(actor, assignment, hazard: Hazard, action: str, before: dict | None = None, reason: str = "", after: dict | None = None):
    return record(actor=actor, assignment=assignment, obj=hazard, action=action, before=before,
                  after=after if after is not None else snapshot(hazard), reason=reason)


def require_within_max(value, start, unit, field: str, what: str, since: str = "申请之日") -> None:
    """Refuse a deadline later than ``start`` + ``hazard.deadline.max_days`` (the one rule for every
    deadline of the loop; ``unit``: the hazard's grid, whose locality may set its own)."""
    from anquan.rules.deadlines import latest_deadline

    latest = latest_deadline(start, unit=unit)
    if value > latest:
        raise Invalid({field: [f"{what}不能晚于{latest:%Y-%m-%d}（自{since}起最长{(latest - start).days}日）"]})


def require_reason(reason: str, field: str = "reason", what: str = "理由") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({field: [f"请填写{what}"]})
    return reason
