"""工作台 at ``/``: what waits on the signed-in person and their unit today, most urgent first, and the
figures their role lives by. Administrator roles (三权分立: no business records) keep their plain page."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from anquan.accounts.roles import ScopeKind
from anquan.accounts.scope import active_assignments
from anquan.core.views import home as administration_home
from anquan.core.views import login_required
from anquan.rules.calendar import today

from .figures import figures_for
from .registry import items_for


@never_cache
@login_required
def workbench(request):
    user = request.user
    assignments = active_assignments(user)
    if not any(a.scope_kind != ScopeKind.SYSTEM for a in assignments):
        return administration_home(request)
    day = today()
    items = items_for(user, day)
    kinds = {a.scope_kind for a in assignments}
    return render(request, "workbench/home.html", {
        "nav_active": "home",
        "assignments": assignments,
        "today": day,
        "waiting": [i for i in items if i.count],
        "quiet": [i for i in items if not i.count],
        "figures": figures_for(user, assignments, day),
        # the enterprise-register overview is an official's picture; an enterprise has its own figures here
        "overview": bool(kinds & {ScopeKind.TERRITORY, ScopeKind.DEPARTMENT}),
    })
