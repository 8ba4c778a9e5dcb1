"""The project's URL map plus ``GET /bench/stats``: the hazard dashboard figures for the caller's scope.

Why a bench-only view: issue 5 measures the dashboards (statistics of anquan.hazards.stats for a
district and for a province) through HTTP, and the API has no statistics endpoint yet. The
view authenticates like the API (``Authorization: Bearer <token>``), scopes with
``selectors.hazard_list`` (visible_to) and answers what a dashboard shows: the headline
figures, counts by status, level, source, category and industry, and by territory one level
below the user's unit.
"""
from django.http import JsonResponse
from django.urls import include, path


def _user(request):
    from anquan.accounts.services import token_user

    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    return token_user(header.split(" ", 1)[1].strip())


def _figures(figures) -> list:
    return [{"label": f.label, "value": f.value, "url": f.url} for f in figures]


def stats_view(request):
    from anquan.accounts.scope import active_assignments
    from anquan.hazards import stats
    from anquan.hazards.models import Hazard
    from anquan.hazards.selectors import clean_params, filter_hazards

    user = _user(request)
    if user is None:
        return JsonResponse({"detail": "请先登录或提供有效的访问令牌"}, status=401)
    params = clean_params(request.GET)
    qs = stats.prepare(filter_hazards(Hazard.objects.visible_to(user), params, user=user), params)
    head = stats.headline(qs, params)
    body = {name: {"label": f.label, "value": f.value, "display": f.display} for name, f in head.items()}
    body["by_status"] = _figures(stats.by_status(qs, params))
    body["by_level"] = _figures(stats.by_level(qs, params))
    body["by_source"] = _figures(stats.by_source(qs, params))
    body["by_category"] = _figures(stats.by_category(qs, params))
    body["by_industry"] = _figures(stats.by_industry(qs, params))
    units = [a.unit for a in active_assignments(user) if a.unit_id]
    if units:
        body["by_territory"] = _figures(stats.by_territory(qs, params, unit=units[0]))
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("bench/stats", stats_view),
    path("", include("anquan.urls")),
]
