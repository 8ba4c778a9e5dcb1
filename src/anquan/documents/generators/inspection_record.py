"""现场检查记录 (安全生产法 第六十八条): time, place, content, problems found and handling,
signed by the inspectors and the inspected party — or the recorded refusal to sign."""
from __future__ import annotations

from docx.image.exceptions import UnrecognizedImageError

from anquan.core.errors import Conflict
from anquan.inspections.models import Answer, AnswerResult, Inspection, SignerKind

from ..models import DocumentKind
from ..services import issue_document
from .common import party_of, preferred_issuer, time_text


def _signature_image(signature) -> bytes | None:
    if not signature.image:
        return None
    try:
        with signature.image.open("rb") as fh:
            return fh.read()
    except OSError:
        return None


def issue_inspection_record(actor, inspection: Inspection, *, client_key: str = "", **_):
    if inspection.performed_at is None:
        raise Conflict("检查尚未完成，不能生成现场检查记录")
    site = inspection.site
    inspectors = list(inspection.inspectors.all().order_by("pk"))
    answers = list(
        Answer.objects.filter(part__inspection=inspection)
        .select_related("item", "part__checklist", "hazard")
        .order_by("part__sort", "part_id", "item__sort", "item_id")
    )
    parts = list(inspection.parts.select_related("checklist", "department").order_by("sort", "pk"))
    problems = [a for a in answers if a.result == AnswerResult.NONCONFORM]
    signatures = list(inspection.signatures.select_related("person").order_by("signer_kind", "pk"))

    inspector_text = "；".join(
        f"{p.name}（执法证号：{p.enforcement_cert_no}）" if p.enforcement_cert_no else p.name for p in inspectors
    ) or "—"
    rep = inspection.representative_name or (site.contact_name or "—")
    if inspection.representative_post:
        rep += f"（{inspection.representative_post}）"
    content = "、".join(f"《{p.checklist.name}》" + (f"（{p.department.name}）" if p.department_id else "") for p in parts)
    counts = {r: sum(1 for a in answers if a.result == r) for r in AnswerResult.values}
    paragraphs = [
        f"被检查单位：{party_of(site)}",
        f"检查场所：{site.name}（{site.address}）",
        f"检查时间：{time_text(inspection.started_at or inspection.performed_at)}至{time_text(inspection.performed_at)}",
        f"检查地点：{inspection.place or site.address}",
        f"检查类型：{inspection.get_kind_display()}" + ("（执法检查）" if inspection.enforcement else ""),
        f"检查人员：{inspector_text}",
        f"被检查单位现场负责人：{rep}",
        f"检查内容：依据{content or '检查表'}逐项检查，共检查{len(answers)}项，其中符合{counts['conform']}项、"
        f"不符合{counts['nonconform']}项、不适用{counts['na']}项。",
    ]
    if problems:
        paragraphs.append(f"发现的问题：共{len(problems)}项，详见下表。")
    else:
        paragraphs.append("发现的问题：未发现不符合项。")
    paragraphs.append(f"处理情况：{inspection.handling or inspection.summary or '—'}")

    def build(layout):
        rows = [[a.item.number, a.item.text, a.item.basis or "—", a.get_result_display(), a.note or "—"] for a in answers]
        if rows:
            layout.heading("一、检查项目及结果")
            layout.table(["序号", "检查内容", "依据", "结果", "情况记录"], rows, [12, 48, 36, 22, 38])
        if problems:
            layout.heading("二、发现的问题")
            layout.table(
                ["序号", "问题（隐患）描述", "位置", "隐患编号"],
                [[str(i), a.hazard_description or a.note or a.item.text, a.hazard_location or "—",
                  a.hazard.number if a.hazard_id else "—"] for i, a in enumerate(problems, 1)],
                [12, 72, 30, 42],
            )
        layout.heading("三、签字")
        for sig in signatures:
            label = "检查人员" if sig.signer_kind == SignerKind.INSPECTOR else "被检查单位代表"
            if sig.refused:
                note = inspection.refusal_note or "—"
                layout.paragraph(f"{sig.name}拒绝签字。情况说明：{note}（记录时间：{time_text(sig.signed_at)}）",
                                 lead=f"{label}：")
                continue
            image = _signature_image(sig)
            if image:
                layout.paragraph(f"{sig.name}（{time_text(sig.signed_at)}）", lead=f"{label}：", keep_with_next=True)
                try:
                    layout.image(image, width_mm=40)
                except (UnrecognizedImageError, ValueError, OSError):  # unreadable image: the name stays
                    layout.paragraph("（签名图像无法读取）")
            else:
                layout.paragraph(f"{sig.name}（{time_text(sig.signed_at)}）", lead=f"{label}：")
        if inspection.representative_refused and not any(
            s.refused and s.signer_kind == SignerKind.REPRESENTATIVE for s in signatures
        ):
            layout.paragraph(f"{inspection.representative_name or '被检查单位代表'}拒绝签字。情况说明："
                             f"{inspection.refusal_note or '—'}", lead="被检查单位代表：")

    return issue_document(
        actor, kind=DocumentKind.INSPECTION_RECORD, about=inspection, title="现场检查记录", recipients="",
        paragraphs=paragraphs, build=build,
        audit_after={"answers": len(answers), "problems": len(problems)},
        **preferred_issuer(actor, department=inspection.department, unit=inspection.organiser_unit), client_key=client_key,
    )
