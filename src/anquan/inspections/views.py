"""Inspection pages (read-only in the foundation)."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from anquan.core.services import get_visible

from .models import Inspection


@login_required
def inspection_list(request):
    qs = Inspection.objects.visible_to(request.user).select_related("site", "department").order_by("-planned_on", "id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "inspections/list.html", {"page": page})


@login_required
def inspection_detail(request, pk):
    inspection = get_visible(Inspection.objects.select_related("site__grid", "department"), request.user, pk)
    return render(request, "inspections/detail.html", {"inspection": inspection})
