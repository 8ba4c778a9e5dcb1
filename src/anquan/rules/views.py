"""Rules pages: every statutory number with its source and its value for the user's locality (any signed-in
user), and the administrator's forms to override a number and enter a year's holiday schedule (403 for others).

Holiday schedules are national public data, so they are shown to every signed-in user unscoped;
overrides are read through ``visible_to`` like every other record.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.core.errors import Invalid
from anquan.core.services import safe_id
from anquan.core.views import apply_errors, bootstrapify, login_required

from . import calendar, services, values
from .catalog import RULES
from .forms import HolidayDayFormSet, HolidayScheduleForm, HolidayYearForm, OverrideForm, indented, locality_queryset
from .models import HolidayDay, HolidayYear, RuleOverride


def _require_manager(user) -> None:
    if not services.can_manage(user):
        raise PermissionDenied("只有系统管理员可以调整法定时限与节假日安排")


def default_locality(user):
    """The unit whose values the user lives under: their first territorial assignment's territory, or None (全系统)."""
    for a in active_assignments(user):
        if a.scope_kind in (ScopeKind.TERRITORY, ScopeKind.DEPARTMENT):
            return a.territory
        if a.scope_kind == ScopeKind.ENTERPRISE and a.enterprise_id:
            return a.enterprise.unit
    return None


def _calendar_status() -> dict:
    this_year = calendar.today().year
    cal = calendar.WorkCalendar()
    return {
        "package_years": calendar.PACKAGE_YEARS,
        "entered_years": list(HolidayYear.objects.select_related("entered_by")),
        "years": [{"year": y, "known": cal.year_known(y), "note": calendar.note_for_years([y])}
                  for y in (this_year, this_year + 1)],
    }


@require_GET
@login_required
def index(request):
    user = request.user
    choices = list(locality_queryset(user))
    unit = default_locality(user)
    chosen = safe_id(request.GET.get("unit"))
    if chosen:
        from anquan.orgs.models import OrgUnit

        unit = OrgUnit.objects.visible_to(user).filter(pk=chosen, voided_at__isnull=True).first() or unit
    resolved = values.effective(unit)
    history: dict[str, list] = {}
    for o in RuleOverride.objects.visible_to(user).select_related("unit", "set_by__person", "ended_by__person"):
        history.setdefault(o.key, []).append(o)
    rows = [{"rule": rule, "resolved": resolved[key], "history": history.get(key, [])} for key, rule in RULES.items()]
    return render(request, "rules/index.html", {
        "rows": rows,
        "unit": unit,
        "unit_choices": [(u.pk, indented(u)) for u in choices],
        "can_manage": services.can_manage(user),
        **_calendar_status(),
    })


@require_http_methods(["GET", "POST"])
@login_required
def override(request, key):
    _require_manager(request.user)
    rule = RULES.get(key)
    if rule is None:
        raise Http404("未知的规则")
    form = OverrideForm(request.POST or None, user=request.user, initial={"value": rule.default})
    if request.method == "POST" and form.is_valid():
        try:
            services.override_set(actor=request.user, key=key, value=form.cleaned_data["value"],
                                  unit=form.cleaned_data["unit"], reason=form.cleaned_data["reason"])
        except Invalid as exc:
            form = apply_errors(form, exc.errors)
        else:
            messages.success(request, f"已调整“{rule.label_zh}”的取值")
            return redirect("rules:index")
    in_force = RuleOverride.objects.in_force().filter(key=key).select_related("unit", "set_by__person")
    return render(request, "rules/override.html", {
        "rule": rule, "form": bootstrapify(form), "in_force": in_force,
    })


@require_POST
@login_required
def override_end(request, pk):
    _require_manager(request.user)
    obj = get_object_or_404(RuleOverride, pk=safe_id(pk) or 0)
    try:
        services.override_end(actor=request.user, override=obj, reason=request.POST.get("reason", ""))
    except Invalid as exc:
        for errs in exc.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect("rules:override", key=obj.key)
    messages.success(request, "已撤销该地方取值，恢复按上级或默认值执行")
    return redirect("rules:index")


@require_http_methods(["GET", "POST"])
@login_required
def holidays(request):
    _require_manager(request.user)
    form = HolidayYearForm(request.POST or None, request.FILES or None,
                           initial={"year": calendar.today().year + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.holiday_year_load(actor=request.user, year=data["year"], days=data["days"],
                                       source_document=data["source_document"], reason=data.get("reason", ""))
        except Invalid as exc:
            target = "file" if data.get("file") else "text"
            form = apply_errors(form, {(target if k == "days" else k): v for k, v in exc.errors.items()})
        else:
            messages.success(request, f"已录入{data['year']}年节假日安排，此后计算的时限按新安排执行")
            return redirect("rules:holidays")
    days = HolidayDay.objects.filter(voided_at__isnull=True).order_by("date")
    by_year: dict[int, list] = {}
    for d in days:
        by_year.setdefault(d.date.year, []).append(d)
    entered = [{"record": y, "days": by_year.get(y.year, [])} for y in HolidayYear.objects.select_related("entered_by")]
    return render(request, "rules/holidays.html", {
        "form": bootstrapify(form), "entered": entered, **_calendar_status(),
    })


#: Empty rows offered below the days already entered (more are added in the page).
BLANK_ROWS = 6


@require_http_methods(["GET", "POST"])
@login_required
def holiday_form(request):
    """A year's schedule typed day by day (the CSV upload stays beside it); the same service and checks.

    GET ``?year=`` loads what was entered for that year so a correction starts from it.
    """
    _require_manager(request.user)
    if request.method == "POST":
        form = HolidayScheduleForm(request.POST)
        days = HolidayDayFormSet(request.POST, prefix="d")
        if form.is_valid() and days.is_valid():
            data = form.cleaned_data
            typed = [(d["date"], bool(d.get("is_workday")), (d.get("name") or "").strip())
                     for d in days.cleaned_data if d.get("date")]
            try:
                services.holiday_year_load(actor=request.user, year=data["year"], days=typed,
                                           source_document=data["source_document"], reason=data.get("reason", ""))
            except Invalid as exc:
                day_errors = exc.errors.pop("days", [])
                form = apply_errors(form, exc.errors)
                for message in day_errors:
                    form.add_error(None, message)
            else:
                messages.success(request, f"已录入{data['year']}年节假日安排（{len(typed)}天），此后计算的时限按新安排执行")
                return redirect("rules:holidays")
        status = 422
    else:
        year = safe_id(request.GET.get("year")) or calendar.today().year + 1
        entered = HolidayYear.objects.filter(year=year).first()
        rows = [{"date": d.date, "is_workday": "1" if d.is_workday else "0", "name": d.name}
                for d in HolidayDay.objects.filter(date__year=year, voided_at__isnull=True).order_by("date")]
        form = HolidayScheduleForm(initial={"year": year, "source_document": entered.source_document if entered else ""})
        days = HolidayDayFormSet(prefix="d", initial=rows + [{}] * BLANK_ROWS)
        status = 200
    for day_form in days:
        bootstrapify(day_form)
    return render(request, "rules/holiday_form.html", {
        "form": bootstrapify(form), "days": days, **_calendar_status(),
    }, status=status)
