"""The detail page's action forms (POST): 补报, the legs, late findings, the investigation steps, 四不放过, closing,
photos and documents. Each calls one service; a refusal (Invalid/Conflict/Forbidden) comes back to the page as a
message in Chinese at the section it concerns (the 补报 refusal names the date the window closed)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from anquan.core.errors import Conflict, Forbidden, Invalid
from anquan.core.services import safe_id
from anquan.core.views import login_required

from .views import get_accident

#: verb → (section anchor, success message)
VERBS = {
    "add": ("additions", "已补报，事故等级已按新的伤亡和损失数字重新确定"),
    "leg_receive": ("legs", "已登记接报时间"),
    "leg_forward": ("legs", "已登记上报时间"),
    "leg_inform": ("legs", "已登记通知情况"),
    "late_finding": ("legs", "已记录迟报、漏报、谎报、瞒报认定"),
    "form_team": ("investigation", "已成立调查组"),
    "appraisal_start": ("investigation", "已登记技术鉴定开始，鉴定时间不计入调查期限"),
    "appraisal_end": ("investigation", "已登记技术鉴定结束，调查期限已顺延"),
    "extend": ("investigation", "已登记调查期限延长"),
    "submit_report": ("investigation", "调查报告已提交"),
    "approval_extend": ("investigation", "已登记批复期限延长"),
    "approve": ("investigation", "已登记批复"),
    "evaluate": ("investigation", "已登记整改情况评估"),
    "four_nots": ("four-nots", "已记录四不放过落实情况"),
    "close": ("four-nots", "事故已结案"),
    "photos": ("photos", "照片已上传"),
    "document": ("documents", "公文已生成"),
    "account": ("accountability", "已提出问责"),
    "account_decide": ("accountability", "已作出问责处理决定"),
}


def _errors_text(err) -> str:
    if isinstance(err, Invalid):
        lines = [m for msgs in err.errors.values() for m in msgs]
        return "；".join(lines) or err.message
    return err.message or str(err)


@require_POST
@login_required
def accident_action(request, pk, verb):
    if verb not in VERBS:
        raise Http404()
    accident = get_accident(request.user, pk)
    anchor, done = VERBS[verb]
    try:
        result = _run(request, accident, verb)
    except (Invalid, Conflict) as err:
        messages.error(request, _errors_text(err))
    except Forbidden as err:
        raise PermissionDenied(err.message) from None
    else:
        messages.success(request, result if isinstance(result, str) else done)
    page = "accidents:lookback" if verb == "account" else "accidents:detail"
    return redirect(reverse(page, args=[accident.pk]) + f"#{anchor}")


def _leg(accident, request):
    leg = accident.legs.filter(pk=safe_id(request.POST.get("leg")) or 0).first()
    if leg is None:
        raise Invalid({"leg": ["所选报告环节不属于该事故"]})
    return leg


def _members(text: str) -> list[dict]:
    """One member a line: 姓名 单位 职务 (separated by spaces or commas)."""
    members = []
    for line in (text or "").splitlines():
        parts = [p for p in line.replace("，", " ").replace(",", " ").split() if p]
        if parts:
            members.append({"name": parts[0], "unit": parts[1] if len(parts) > 1 else "", "role": " ".join(parts[2:])})
    return members


def _run(request, accident, verb):  # one branch per verb, each one service call
    from .services import investigation as inv_s
    from .services import reporting

    post = request.POST
    user = request.user
    inv = getattr(accident, "investigation", None)
    version = post.get("version")
    if verb == "add":
        data = {k: post.get(k, "") for k in ("deaths", "missing", "serious_injuries", "injuries", "direct_loss_yuan",
                                             "changed_at", "note")}
        addition = reporting.accident_add_casualties(actor=user, accident=accident, version=version, data=data)
        if addition.level_after != addition.level_before:
            return (f"已补报。事故等级由{addition.get_level_before_display()}变为{addition.get_level_after_display()}，"
                    f"负责调查的层级和报告环节已随之调整（第二十条）")
        return None
    if verb == "leg_receive":
        reporting.leg_receive(actor=user, leg=_leg(accident, request), received_at=post.get("at") or None,
                              note=post.get("note", ""))
    elif verb == "leg_forward":
        reporting.leg_forward(actor=user, leg=_leg(accident, request), forwarded_at=post.get("at") or None,
                              note=post.get("note", ""))
    elif verb == "leg_inform":
        reporting.leg_inform(actor=user, leg=_leg(accident, request), party=post.get("party", ""), at=post.get("at") or None)
    elif verb == "late_finding":
        data = {k: post.get(k, "") for k in ("kind", "against_unit", "against_department", "against_enterprise", "leg", "description")}
        kind, _, pk = (post.get("target") or "").partition(":")  # the page's one select: "unit:7", "department:3", "enterprise:9"
        if post.get("target") is not None:
            if kind not in ("enterprise", "department", "unit") or not pk:
                raise Invalid({"against_unit": ["请选择认定对象"]})
            data.update(against_unit="", against_department="", against_enterprise="")
            data[f"against_{kind}"] = pk
        reporting.late_finding_record(actor=user, accident=accident, data=data)
    elif verb == "photos":
        reporting.accident_photos_add(actor=user, accident=accident, photos=request.FILES.getlist("photos"))
    elif verb == "four_nots":
        inv_s.four_nots_record(actor=user, accident=accident, item=post.get("item", ""), evidence=post.get("evidence", ""))
    elif verb == "close":
        inv_s.accident_close(actor=user, accident=accident, version=version)
    elif verb == "account":
        from .services.accountability import accountability_open

        kind, _, pk = (post.get("target") or "").partition(":")
        if kind not in ("enterprise", "department", "unit"):
            raise Invalid({"target": ["请选择问责对象"]})
        accountability_open(actor=user, accident=accident, data={
            f"target_{kind}": pk, "content": post.get("content", ""), "proposed_handling": post.get("proposed_handling", "")})
    elif verb == "account_decide":
        from anquan.supervision.models import AccountabilityRecord

        from .services.accountability import accountability_decide

        rec = (AccountabilityRecord.objects.visible_to(user)
               .filter(accident=accident, voided_at__isnull=True, pk=safe_id(post.get("record")) or 0).first())
        if rec is None:
            raise Invalid({"record": ["所选问责记录不属于该事故"]})
        accountability_decide(actor=user, record_obj=rec, version=version, decided_handling=post.get("decided_handling", ""),
                              decided_on=post.get("decided_on") or None)
    elif verb == "document":
        from .documents import issue_for_accident

        doc = issue_for_accident(user, accident, post.get("kind", ""), leg_id=post.get("leg"),
                                 client_key=post.get("client_key", ""))
        return f"公文已生成：{doc.number}"
    elif inv is None:
        raise Conflict("该事故没有调查记录")
    elif verb == "form_team":
        data = {"team_formed_on": post.get("team_formed_on", ""), "team_leader": post.get("team_leader", ""),
                "team_members": _members(post.get("team_members", "")), "organized_by": post.get("organized_by", ""),
                "entrust_to_unit": post.get("entrust_to_unit") == "1"}
        inv_s.investigation_form_team(actor=user, investigation=inv, version=version, data=data)
    elif verb == "appraisal_start":
        inv_s.appraisal_start(actor=user, investigation=inv, version=version, started_on=post.get("started_on", ""),
                              subject=post.get("subject", ""), appraiser=post.get("appraiser", ""))
    elif verb == "appraisal_end":
        appraisal = inv.appraisals.filter(pk=safe_id(post.get("appraisal")) or 0).first()
        if appraisal is None:
            raise Invalid({"appraisal": ["所选技术鉴定不属于该事故"]})
        inv_s.appraisal_end(actor=user, appraisal=appraisal, ended_on=post.get("ended_on", ""))
    elif verb == "extend":
        inv_s.investigation_extend(actor=user, investigation=inv, version=version, days=post.get("days", ""),
                                   reason=post.get("reason", ""), approved_by=post.get("approved_by", ""),
                                   approved_on=post.get("approved_on", ""))
    elif verb == "submit_report":
        from .models import REPORT_PARTS

        data = {f: post.get(f, "") for f in REPORT_PARTS}
        data["report_submitted_on"] = post.get("report_submitted_on", "")
        inv_s.investigation_submit_report(actor=user, investigation=inv, version=version, data=data)
    elif verb == "approval_extend":
        inv_s.approval_extend(actor=user, investigation=inv, version=version, days=post.get("days", ""))
    elif verb == "approve":
        inv_s.investigation_approve(actor=user, investigation=inv, version=version, approved_on=post.get("approved_on", ""),
                                    approval_number=post.get("approval_number", ""), summary=post.get("summary", ""))
    elif verb == "evaluate":
        inv_s.evaluation_record(actor=user, investigation=inv, version=version, evaluated_on=post.get("evaluated_on", ""),
                                summary=post.get("summary", ""), published_on=post.get("published_on") or None,
                                published_where=post.get("published_where", ""))
    return None
