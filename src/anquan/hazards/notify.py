"""Who hears about what in the hazard loop, at once (after commit). The periodic sweep for
deadlines lives in anquan.notifications.sweep."""
from __future__ import annotations

from django.contrib.auth import get_user_model

from anquan.accounts.models import RoleAssignment
from anquan.notifications.models import NotificationKind
from anquan.notifications.services import notify

from .models import DeadlineExtension, Hazard


def _users(assignments):
    User = get_user_model()
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True)


def rectifiers(hazard: Hazard):
    """The enterprise's safety people, or (no enterprise) the staff of the hazard's street."""
    active = RoleAssignment.objects.active()
    if hazard.enterprise_id:
        return _users(active.filter(enterprise_id=hazard.enterprise_id))
    street_ids = hazard.grid.ancestor_ids()
    return _users(active.filter(role="street_staff", unit_id__in=street_ids))


def major_reported(hazard_id: int) -> None:
    """A 重大 hazard is reported to the site's regulators automatically."""
    hazard = Hazard.objects.select_related("enterprise").get(pk=hazard_id)
    from anquan.enterprises.models import EnterpriseRegulator

    dept_ids = {hazard.department_id} if hazard.department_id else set()
    if hazard.enterprise_id:
        dept_ids |= set(EnterpriseRegulator.objects.active().filter(enterprise_id=hazard.enterprise_id, department__isnull=False)
                        .values_list("department_id", flat=True))
    users = _users(RoleAssignment.objects.active().filter(department_id__in=dept_ids, role__in=["dept_staff", "anweiban"]))
    notify(users, NotificationKind.MAJOR_REPORTED, f"major:h{hazard.pk}", f"重大事故隐患报告：{hazard.number} {hazard.description[:40]}",
           hazard=hazard, url=f"/hazards/{hazard.pk}/")


def sent_back(hazard_id: int) -> None:
    hazard = Hazard.objects.get(pk=hazard_id)
    rnd = hazard.rounds.order_by("-number").first()
    notify(rectifiers(hazard), NotificationKind.SENT_BACK, f"sent_back:h{hazard.pk}:r{rnd.number if rnd else 0}",
           f"整改被退回：{hazard.number}", hazard=hazard, url=f"/hazards/{hazard.pk}/")


def extension_decided(extension_id: int) -> None:
    ext = DeadlineExtension.objects.select_related("hazard", "requested_by").get(pk=extension_id)
    verdict = "已批准" if ext.status == "approved" else "未批准"
    notify([ext.requested_by], NotificationKind.EXTENSION_DECIDED, f"extension:e{ext.pk}",
           f"延期申请{verdict}：{ext.hazard.number}", hazard=ext.hazard, url=f"/hazards/{ext.hazard_id}/")
