"""Accident pages (生产安全事故): the scoped list, the phone report form with the level shown while it is filled,
the detail page (legs and their clocks, 补报, investigation, 四不放过, documents) and the scene photos.

Thin: reads through ``visible_to`` (out of scope → 404), writes through ``services`` (their Chinese errors are
shown on the page). The detail page's action forms post to ``views_actions``; statistics are in
``views_stats``; the 一案双查 look-back in ``views_lookback``.
"""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from anquan.accounts.scope import active_assignments
from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import get_visible, safe_id
from anquan.core.views import login_required, paginate, query_without
from anquan.enterprises.models import Site
from anquan.orgs.models import Department, Industry, OrgUnit, UnitKind

from . import rules, stats
from .choices import INFORMED_PARTIES, AccidentKind, AccidentLevel, FourNotsItem, LateKind
from .forms import PlaceForm
from .models import REPORT_PARTS, Accident, AccidentPhoto

PER_PAGE = 30
#: Places listed before the reporter searches (a phone screen; the search reaches all of them).
SHOWN = 30
LEVEL_BADGES = {"general": "text-bg-warning", "larger": "text-bg-orange", "major": "text-bg-danger",
                "especially_major": "text-bg-dark"}
FIGURE_FIELDS = (("deaths", "死亡"), ("missing", "下落不明"), ("serious_injuries", "重伤（含急性工业中毒）"), ("injuries", "轻伤"))


def permits_any(user, action: str) -> bool:
    return any(a.permits(action) for a in active_assignments(user))


def chain_targets(accident) -> tuple[list, list]:
    """Who a late finding may name besides the enterprise (the service's rule): the territorial units of the
    reporting chain above the community (street, district, city, province) and their departments (安委办 included)."""
    chain = accident.unit.ancestor_ids()
    territories = list(OrgUnit.objects.filter(
        pk__in=chain, kind__in=[UnitKind.STREET, UnitKind.DISTRICT, UnitKind.CITY, UnitKind.PROVINCE]).order_by("path"))
    departments = list(Department.objects.filter(unit_id__in=chain, voided_at__isnull=True)
                       .select_related("unit").order_by("unit__path", "pk")[:60])
    return territories, departments


def get_accident(user, pk) -> Accident:
    related = ("enterprise", "site", "unit", "industry", "department", "reported_by__person", "reporter_unit",
               "reporter_department", "reporter_enterprise")
    return get_visible(Accident.objects.select_related(*related), user, pk)


# ---------------------------------------------------------------- list


@require_GET
@login_required
def accident_list(request):
    params = stats.clean_params(request.GET)
    qs = stats.filter_accidents(Accident.objects.visible_to(request.user), params, request.user)
    qs = qs.select_related("unit", "industry", "enterprise")
    page = paginate(request, qs, PER_PAGE)
    total = stats.totals(qs)
    return render(request, "accidents/list.html", {
        "page": page, "params": params, "query": query_without(request), "totals": total,
        "levels": AccidentLevel.choices, "kinds": AccidentKind.choices, "badges": LEVEL_BADGES,
        "can_report": permits_any(request.user, "accident.report"), "nav_active": "accidents",
        "industry": Industry.objects.filter(pk=params["industry"]).first() if "industry" in params else None,
    })


# ---------------------------------------------------------------- the report form


def _place_context(request, data) -> dict:
    picker = PlaceForm(request.user)
    text = (request.GET.get("q") or "").strip()[:50]
    site = None
    site_id = safe_id(data.get("site") or request.GET.get("site"))
    if site_id:
        site = (Site.objects.visible_to(request.user, "accident.report").filter(pk=site_id, voided_at__isnull=True)
                .select_related("enterprise", "grid", "industry").first())
        if site is None:
            raise Http404()
    sites = [] if site else picker.sites(text)
    if not site and len(sites) == 1 and not text:
        site = (Site.objects.select_related("enterprise", "grid", "industry").get(pk=sites[0].pk))
    unit_id = safe_id(data.get("unit") or request.GET.get("unit"))
    return {"site": site, "sites": sites[:SHOWN], "too_many": len(sites) > SHOWN, "q": text,
            "units": [] if site else picker.units(), "unit_id": unit_id}


def _profile(site) -> str:
    from .services.reporting import unit_profile_for

    return unit_profile_for(site.enterprise, site) if site else ""


@require_http_methods(["GET", "POST"])
@login_required
def accident_new(request):
    """The phone-first report (第十二条的六项内容). What was typed is kept in the browser until the report is filed."""
    if not permits_any(request.user, "accident.report"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("您没有报告事故的权限")
    data = request.POST if request.method == "POST" else {}
    context = _place_context(request, data)
    errors: dict = {}
    if request.method == "POST":
        from .services import reporting

        payload = {k: request.POST.get(k, "") for k in request.POST if k not in ("csrfmiddlewaretoken", "client_key", "photos")}
        for flag in ("is_road_traffic", "is_fire"):
            payload[flag] = flag in request.POST
        if context["site"] is not None:
            payload["site"] = context["site"].pk
            payload.pop("unit", None)
        try:
            accident = reporting.accident_report(actor=request.user, data=payload, photos=request.FILES.getlist("photos"),
                                                 client_key=request.POST.get("client_key", ""))
        except Invalid as err:
            errors = err.errors
        except Conflict as err:
            errors = {"__all__": [str(err.message if hasattr(err, "message") else err)]}
        else:
            messages.success(request, f"事故已报告：{accident.number}，定级为{accident.level_name}事故")
            return redirect(reverse("accidents:detail", args=[accident.pk]) + "?filed=1")
    site = context["site"]
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    initial = {"occurred_at": now, "learned_at": now, "unit_profile": _profile(site),
               "unit_name": site.enterprise.name if site and site.enterprise else (site.name if site else "")}
    values = {**initial, **dict(data.items())} if data else initial
    context.update({
        "values": values, "errors": errors, "kinds": AccidentKind.choices, "figures": FIGURE_FIELDS,
        "industries": Industry.objects.order_by("sort", "pk"), "client_key": data.get("client_key") or uuid.uuid4().hex,
        "photos_lost": bool(errors) and bool(request.FILES), "nav_active": "accidents",
        "draft_key": f"anquan:accident-draft:{request.user.pk}",
    })
    return render(request, "accidents/new.html", context, status=422 if errors else 200)


@require_GET
@login_required
def classify_fragment(request):
    """The level while the form is filled (htmx): the same function the services and the API use."""
    try:
        values = {}
        for name in ("deaths", "serious_injuries"):
            raw = (request.GET.get(name) or "0").strip() or "0"
            values[name] = int(raw)
        loss = (request.GET.get("direct_loss_yuan") or "0").strip() or "0"
        level = rules.classify(values["deaths"], values["serious_injuries"], loss)
    except (ValueError, TypeError, OverflowError):
        return render(request, "accidents/_level.html", {"invalid": True})
    return render(request, "accidents/_level.html", {
        "level": level, "level_name": rules.level_name(level), "badge": LEVEL_BADGES[level],
        "body": rules.BODY_NAMES[rules.investigating_body(level)], "top": dict(rules.GovLevel.choices)[rules.TOP_LEVEL[level]],
    })


# ---------------------------------------------------------------- detail


@require_GET
@login_required
def accident_detail(request, pk):
    from .services.investigation import four_nots_missing
    from .services.reporting import legs_view

    accident = get_accident(request.user, pk)
    now = timezone.now()
    inv = getattr(accident, "investigation", None)
    four = {f.item: f for f in accident.four_nots.select_related("recorded_by__person")}
    documents = _documents(request.user, accident)
    context = {
        "accident": accident, "a": accident, "badge": LEVEL_BADGES[accident.level], "legs": legs_view(accident, now),
        "level_changes": accident.level_changes.select_related("changed_by__person"),
        "additions": accident.additions.select_related("reported_by__person"),
        "late_findings": accident.late_findings.select_related("against_unit", "against_department", "against_enterprise", "leg"),
        "photos": list(accident.photos.all()), "inv": inv,
        "appraisals": list(inv.appraisals.all()) if inv else [],
        "report_parts": [(f, inv._meta.get_field(f).verbose_name, getattr(inv, f)) for f in REPORT_PARTS] if inv else [],
        "four_nots": [(value, label, four.get(value)) for value, label in FourNotsItem.choices],
        "four_missing": four_nots_missing(accident),
        "window_end": accident.late_addition_until, "window_days": rules.addition_days(accident.is_road_traffic, accident.is_fire),
        "window_note": rules.WINDOW_NOTE, "window_open": timezone.localdate() <= accident.late_addition_until,
        "body_name": rules.BODY_NAMES.get(inv.body_level, "") if inv else "",
        "may_entrust": rules.may_entrust_to_unit(accident.level, accident.deaths, accident.missing,
                                                 accident.serious_injuries, accident.injuries),
        "can_add": permits_any(request.user, "accident.add"), "can_forward": permits_any(request.user, "accident.forward"),
        "can_investigate": permits_any(request.user, "accident.investigate"),
        "can_close": permits_any(request.user, "accident.close"),
        "can_account": _may_account(request.user, accident),
        "can_issue": permits_any(request.user, "document.issue"),
        "finding_targets": chain_targets(accident) if permits_any(request.user, "accident.investigate") else ([], []),
        "informed_parties": INFORMED_PARTIES, "late_kinds": LateKind.choices, "figures": FIGURE_FIELDS,
        "filed": request.GET.get("filed") == "1", "documents": documents, "nav_active": "accidents",
        "draft_key": f"anquan:accident-draft:{request.user.pk}",
        "accountability": _accountability(request.user, accident), "doc_key": uuid.uuid4().hex,
    }
    return render(request, "accidents/detail.html", context)


def _may_account(user, accident) -> bool:
    """Whether the 问责 actions are offered: the same check the service makes (investigating level and above)."""
    from .services.accountability import _authorize

    try:
        _authorize(user, accident)
    except Forbidden:
        return False
    return True


def _documents(user, accident):
    try:
        from django.contrib.contenttypes.models import ContentType

        from anquan.documents.models import OfficialDocument
    except ImportError:  # pragma: no cover
        return []
    ct = ContentType.objects.get_for_model(Accident)
    return list(OfficialDocument.objects.visible_to(user).filter(about_type=ct, about_id=accident.pk).order_by("-id")[:30])


def _accountability(user, accident):
    """Accountability records opened from this accident (三责同追), if the supervision model links accidents."""
    try:
        from anquan.supervision.models import AccountabilityRecord
    except ImportError:  # pragma: no cover
        return []
    if "accident" not in {f.name for f in AccountabilityRecord._meta.get_fields()}:
        return []
    return list(AccountabilityRecord.objects.visible_to(user).filter(accident=accident).order_by("-id")[:50])


@require_GET
@login_required
def accident_photo(request, pk, photo_pk):
    accident = get_accident(request.user, pk)
    photo = AccidentPhoto.objects.filter(accident=accident, pk=safe_id(photo_pk) or 0).first()
    if photo is None:
        raise Http404()
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)
