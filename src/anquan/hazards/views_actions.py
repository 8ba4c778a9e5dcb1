"""The action forms of the detail page: one small POST URL per transition, each calling one service.

Every handler is wrapped by ``hazard_action``: it finds the hazard in the user's scope (404
otherwise), calls the service, and on success redirects to the detail page with a message.
A refusal (Conflict, 409) shows the service's Chinese message on the detail page with what
the user typed kept; field errors (Invalid, 422) are shown under the fields; Forbidden is 403.
Files cannot be kept across a failed submit, so the page says to choose photos again.
"""
from __future__ import annotations

import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from anquan.core.errors import Conflict, Invalid, NotFound
from anquan.core.services import authorize, safe_id
from anquan.core.uploads import check_count
from anquan.core.views import apply_errors, bootstrapify, login_required

from . import services
from .forms import HazardEditForm
from .models import DeadlineExtension, InterimControl, ListedSupervision
from .services.recording import locked_fields
from .views import get_hazard
from .views_detail import render_detail


def _values(request) -> dict:
    return {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}


def hazard_action(name: str):
    """Turn ``fn(request, hazard, **kwargs) -> success message`` into a POST view with the shared error handling."""
    def decorate(fn):
        @require_POST
        @login_required
        @wraps(fn)
        def view(request, pk, **kwargs):
            user = request.user
            hazard = get_hazard(user, pk)
            files = bool(request.FILES)
            try:
                message = fn(request, hazard, **kwargs)
            except Invalid as exc:
                posted = {"action": name, "values": _values(request), "errors": exc.errors, "files_lost": files}
                return render_detail(request, get_hazard(user, pk), posted, status=422)
            except Conflict as exc:
                posted = {"action": name, "values": _values(request), "errors": {}, "conflict": exc.message, "files_lost": files}
                return render_detail(request, get_hazard(user, pk), posted, status=409)
            messages.success(request, message)
            return redirect("hazards:detail", pk=hazard.pk)
        return view
    return decorate


def _date(request, field: str, label: str) -> datetime.date:
    raw = (request.POST.get(field) or "").strip()
    if not raw:
        raise Invalid({field: [f"请填写{label}"]})
    try:
        return forms.DateField().clean(raw)
    except forms.ValidationError:
        raise Invalid({field: [f"{label}不是有效日期，应如 2026-12-31"]}) from None


def _photos(request, field: str) -> list[bytes]:
    return [f.read() for f in check_count(request.FILES.getlist(field), field)]


def _child(model, user, hazard, pk):
    """A record of this hazard (extension, control, listing) that the user sees; 404 otherwise."""
    obj = model.objects.visible_to(user).filter(pk=safe_id(pk) or 0, hazard=hazard).first()
    if obj is None:
        raise NotFound()
    return obj


# ---------------------------------------------------------------- rectification and verification


@hazard_action("start")
def hazard_start(request, hazard):
    services.hazard_start(actor=request.user, hazard=hazard, version=request.POST.get("version"))
    return "已开始整改。"


@hazard_action("submit")
def hazard_submit(request, hazard):
    rnd = services.hazard_submit(actor=request.user, hazard=hazard, version=request.POST.get("version"),
                                 measures_taken=request.POST.get("measures_taken", ""),
                                 after_photos=_photos(request, "after_photos"))
    return f"已提交第{rnd.number}轮整改，等待验收。"


@hazard_action("verify")
def hazard_verify(request, hazard):
    services.hazard_verify(actor=request.user, hazard=hazard, version=request.POST.get("version"), passed=True,
                           reason=request.POST.get("reason", ""), photos=_photos(request, "photos"))
    return "验收通过，隐患已销号。"


@hazard_action("verify")
def hazard_send_back(request, hazard):
    services.hazard_verify(actor=request.user, hazard=hazard, version=request.POST.get("version"), passed=False,
                           reason=request.POST.get("reason", ""), photos=_photos(request, "photos"))
    return "已退回整改，整改单位会收到通知。"


@hazard_action("recheck")
def hazard_recheck(request, hazard):
    passed = request.POST.get("passed") == "1"
    new_deadline = None if passed else _date(request, "new_deadline", "新整改期限")
    services.hazard_recheck(actor=request.user, hazard=hazard, version=request.POST.get("version"), passed=passed,
                            reason=request.POST.get("reason", ""), new_deadline=new_deadline)
    return "已记录回头看复查无问题。" if passed else "回头看发现问题，隐患已重新进入整改。"


# ---------------------------------------------------------------- deadlines


@hazard_action("extension_request")
def extension_request(request, hazard):
    services.extension_request(actor=request.user, hazard=hazard, new_deadline=_date(request, "new_deadline", "申请延至的日期"),
                               reason=request.POST.get("reason", ""))
    return "已提交延期申请，等待审批。"


@hazard_action("extension_decide")
def extension_decide(request, hazard, ext_id):
    extension = _child(DeadlineExtension, request.user, hazard, ext_id)
    approve = request.POST.get("approve") == "1"
    services.extension_decide(actor=request.user, extension=extension, version=request.POST.get("version"),
                              approve=approve, reason=request.POST.get("reason", ""))
    return f"已批准延期至{extension.requested_deadline:%Y-%m-%d}。" if approve else "已不予批准延期。"


@hazard_action("explain")
def overdue_explain(request, hazard):
    services.overdue_explain(actor=request.user, hazard=hazard, text=request.POST.get("text", ""))
    return "已向安委办提交逾期书面说明。"


@hazard_action("escalate")
def hazard_escalate(request, hazard):
    services.hazard_escalate(actor=request.user, hazard=hazard, text=request.POST.get("text", ""))
    return "已提请政府研究。"


# ---------------------------------------------------------------- level, place


@hazard_action("judge_major")
def hazard_judge_major(request, hazard):
    services.hazard_judge_major(actor=request.user, hazard=hazard, version=request.POST.get("version"),
                                criterion=safe_id(request.POST.get("criterion")), reason=request.POST.get("reason", ""),
                                conditions=request.POST.getlist("criterion_conditions"),
                                elements=request.POST.getlist("elements"), place_kind=request.POST.get("place_kind"))
    return "已判定为重大事故隐患，并自动报告监管部门。请补全隐患报告和治理方案。"


@hazard_action("downgrade")
def hazard_downgrade(request, hazard):
    services.hazard_downgrade(actor=request.user, hazard=hazard, version=request.POST.get("version"),
                              reason=request.POST.get("reason", ""))
    return "已降为一般事故隐患。"


@hazard_action("transfer")
def hazard_transfer(request, hazard):
    services.hazard_transfer(actor=request.user, hazard=hazard, version=request.POST.get("version"),
                             site=safe_id(request.POST.get("site")), reason=request.POST.get("reason", ""))
    return "已移交到新的场所，属地、行业和主管部门随之更新。"


# ---------------------------------------------------------------- controls and listed supervision


@hazard_action("control_start")
def control_start(request, hazard):
    services.control_start(actor=request.user, hazard=hazard, kind=request.POST.get("kind", ""),
                           reason=request.POST.get("reason", ""))
    return "已记录临时管控措施。"


@hazard_action("control_end")
def control_end(request, hazard, control_id):
    control = _child(InterimControl, request.user, hazard, control_id)
    services.control_end(actor=request.user, control=control, reason=request.POST.get("reason", ""))
    return "已解除该临时管控措施。"


@hazard_action("list")
def hazard_list_for_supervision(request, hazard):
    services.hazard_list(actor=request.user, hazard=hazard, version=request.POST.get("version"),
                         deadline=_date(request, "deadline", "督办期限"),
                         client_key=request.POST.get("client_key", "").strip()[:64])
    return "已挂牌督办。"


@hazard_action("apply_resume")
def listing_apply_resume(request, hazard, listing_id):
    listing = _child(ListedSupervision, request.user, hazard, listing_id)
    services.listing_apply_resume(actor=request.user, listing=listing, application=request.POST.get("application", ""))
    return "已提交复工复产申请，挂牌单位将在规定期限内现场审查。"


@hazard_action("review")
def listing_review(request, hazard, listing_id):
    listing = _child(ListedSupervision, request.user, hazard, listing_id)
    passed = request.POST.get("passed") == "1"
    services.listing_review(actor=request.user, listing=listing, passed=passed, opinion=request.POST.get("opinion", ""))
    return "现场审查通过，可以摘牌。" if passed else "现场审查未通过，继续挂牌督办。"


@hazard_action("delist")
def hazard_delist(request, hazard, listing_id):
    listing = _child(ListedSupervision, request.user, hazard, listing_id)
    services.hazard_delist(actor=request.user, listing=listing, version=request.POST.get("version"),
                           reason=request.POST.get("reason", ""))
    return "已摘牌。"


# ---------------------------------------------------------------- edit the descriptive fields


def _edit_data(form_data: dict, hazard, locked=frozenset()) -> dict:
    """What to hand to ``hazard_update``: the descriptive fields the user may change, and the responsible
    person only if changed (naming the same person again must not create a new person record)."""
    data = {k: form_data.get(k, "") for k in HazardEditForm.DATA_FIELDS if k in form_data and k not in locked}
    person = hazard.responsible_person
    name, phone = (form_data.get("responsible_name") or "").strip(), (form_data.get("responsible_phone") or "").strip()
    if (name, phone) != ((person.name, person.phone) if person else ("", "")):
        data.update(responsible_name=name, responsible_phone=phone)
    return data


@require_http_methods(["GET", "POST"])
@login_required
def hazard_edit(request, pk):
    """修改隐患信息 (descriptive fields, the 重大 report and 治理方案) against the version the user saw."""
    user = request.user
    hazard = get_hazard(user, pk)
    locked = locked_fields(authorize(user, hazard, "update"), hazard)
    conflict, status, version = "", 200, hazard.version
    if request.method == "POST":
        values = _values(request)
        version = request.POST.get("version", "")
        form = HazardEditForm(values, hazard=hazard, locked=locked)
        try:
            services.hazard_update(actor=user, hazard=hazard, version=version, data=_edit_data(values, hazard, locked))
        except Invalid as exc:
            apply_errors(form, exc.errors)
            status = 422
        except Conflict as exc:
            form.is_valid()
            bootstrapify(form)
            conflict, status = exc.message, 409
        else:
            messages.success(request, "已保存修改。")
            return redirect("hazards:detail", pk=hazard.pk)
        hazard = get_hazard(user, pk)
    else:
        form = HazardEditForm(hazard=hazard, locked=locked)
    return render(request, "hazards/edit.html", {
        "nav_active": "hazards", "hazard": hazard, "form": form, "version": version, "conflict": conflict,
    }, status=status)
