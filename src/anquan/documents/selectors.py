"""Lists of documents shared by pages and the API (always scoped with ``visible_to``)."""
from __future__ import annotations

from django.db.models import Q

from anquan.core.services import safe_id

from .models import DocumentKind, OfficialDocument


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def document_list(user, params):
    """Documents ``user`` may read, filtered by ``kind``, ``year``, ``q`` (文号/标题/机关), ``inspection``,
    ``hazard``, ``listing`` and ``voided`` ("1": only voided; default: all); newest first."""
    qs = OfficialDocument.objects.visible_to(user).select_related("issuer_unit", "issuer_department", "issued_by__person")
    kind = params.get("kind") or ""
    if kind in DocumentKind.values:
        qs = qs.filter(kind=kind)
    year = _year(params.get("year"))
    if year:
        qs = qs.filter(year=year)
    for field in ("inspection", "hazard", "listing"):
        pk = safe_id(params.get(field))
        if params.get(field) not in (None, "") and pk is not None:
            qs = qs.filter(**{f"{field}_id": pk})
    text = (params.get("q") or "").strip()[:100]
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(issuer_name__icontains=text)
                       | Q(recipients__icontains=text))
    if params.get("voided") == "1":
        qs = qs.filter(voided_at__isnull=False)
    return qs.order_by("-issued_at", "-id")


def documents_about(user, obj):
    """Documents ``user`` may read about one object (an inspection, a hazard with its listings, a listing)."""
    from anquan.hazards.models import Hazard, ListedSupervision
    from anquan.inspections.models import Inspection

    qs = OfficialDocument.objects.visible_to(user)
    if isinstance(obj, Inspection):
        qs = qs.filter(inspection=obj)
    elif isinstance(obj, Hazard):
        qs = qs.filter(Q(hazard=obj) | Q(listing__hazard=obj))
    elif isinstance(obj, ListedSupervision):
        qs = qs.filter(listing=obj)
    else:
        from django.contrib.contenttypes.models import ContentType

        qs = qs.filter(about_type=ContentType.objects.get_for_model(type(obj)), about_id=obj.pk)
    return qs.order_by("-issued_at", "-id")
