"""A small world for document tests: a performed 执法 inspection with two inspectors (with 执法证号),
answers (two 不符合 raising hazards), drawn signatures and a representative who refused; a hazard
with a verified rectification round; a listed major hazard."""
from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from anquan.accounts.models import Person, User
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards.choices import HazardLevel, HazardStatus, ListingLevel, Verdict
from anquan.hazards.models import Hazard, HazardCategory, ListedSupervision, RectificationRound
from anquan.inspections.models import Answer, AnswerResult, Inspection, InspectionStatus, Signature, SignerKind
from anquan.inspections.tests.factories import inspection_checklist, make_task

PERFORMED = datetime.datetime(2026, 11, 20, 3, 5, tzinfo=datetime.UTC)  # 11:05 Shanghai


def signature_png(text: str = "sig") -> bytes:
    image = Image.new("RGB", (240, 80), "white")
    ImageDraw.Draw(image).line([(10, 60), (80, 15), (150, 65), (230, 20)], fill="black", width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@dataclass
class DocWorld:
    tree: object
    enterprise: object
    site: object
    zhifa_a: User
    zhifa_b: User
    street_a: User
    anweiban: User
    inspection: Inspection
    hazards: list[Hazard]
    checked: Hazard
    listing: ListedSupervision


def build(hazard_category=True) -> DocWorld:
    from anquan.hazards import services as hazard_services

    tree = make_tree()
    enterprise = make_enterprise(tree.grid_a, name="示范甲化工有限公司", industries=("hazchem",))
    site = make_site(tree.grid_a, enterprise=enterprise, name="甲化工厂区", contact_name="赵厂长")
    zhifa_a = make_user("inspector", department=tree.yingji, name="王建国", username="zf_a")
    zhifa_b = make_user("inspector", department=tree.yingji, name="李卫东", username="zf_b")
    Person.objects.filter(pk=zhifa_a.person_id).update(enforcement_cert_no="99010100001")
    Person.objects.filter(pk=zhifa_b.person_id).update(enforcement_cert_no="99010100002")
    street_a = make_user("street_staff", unit=tree.street_a, name="陈街道")
    anweiban = make_user("anweiban", unit=tree.district, name="周安委")
    if not HazardCategory.objects.exists():
        HazardCategory.objects.create(code="T1", name="测试类别")
        parent = HazardCategory.objects.get(code="T1")
        HazardCategory.objects.create(code="T1.1", name="测试子类", parent=parent)

    checklist = inspection_checklist(4, name="危险化学品企业安全检查表", department=tree.yingji)
    task = make_task(site, inspectors=[zhifa_a, zhifa_b], kind="industry", department=tree.yingji, enforcement=True,
                     checklists=[checklist])
    part = task.parts.get()
    items = list(checklist.items.order_by("sort"))
    now = PERFORMED
    results = [AnswerResult.CONFORM, AnswerResult.NONCONFORM, AnswerResult.NONCONFORM, AnswerResult.NOT_APPLICABLE]
    answers = []
    for item, result in zip(items, results, strict=True):
        answers.append(Answer.objects.create(
            part=part, item=item, result=result, answered_by=zhifa_a, answered_at=now,
            note="灭火器压力不足" if item.sort == 1 else ("配电箱线路私拉乱接" if item.sort == 2 else ""),
            hazard_description={1: "仓库灭火器压力不足", 2: "配电箱线路私拉乱接"}.get(item.sort, ""),
            hazard_location={1: "二号仓库", 2: "配电房"}.get(item.sort, ""),
        ))
    Inspection.objects.filter(pk=task.pk).update(
        status=InspectionStatus.PERFORMED, started_at=now - datetime.timedelta(hours=1, minutes=35), performed_at=now,
        place="甲化工厂区二号仓库及配电房", handling="当场责令整改两项隐患，下达责令限期整改指令书",
        representative_name="赵厂长", representative_post="厂长", representative_refused=True,
        refusal_note="代表称需请示总部，拒绝签字，执法人员二人在场见证", completed_by=zhifa_a,
    )
    task.refresh_from_db()
    for user in (zhifa_a, zhifa_b):
        sig = Signature(inspection=task, signer_kind=SignerKind.INSPECTOR, person=user.person, name=user.person.name,
                        client_id=__import__("uuid").uuid4(), signed_at=now, recorded_by=zhifa_a)
        sig.image.save(f"sig-{user.pk}.png", ContentFile(signature_png()), save=False)
        sig.save()
    Signature.objects.create(inspection=task, signer_kind=SignerKind.REPRESENTATIVE, name="赵厂长", refused=True,
                             client_id=__import__("uuid").uuid4(), signed_at=now, recorded_by=zhifa_a)

    deadline = (timezone.localdate() + datetime.timedelta(days=15)).isoformat()
    category = HazardCategory.objects.filter(parent__isnull=False).order_by("path").first()
    hazards = []
    for answer in answers[1:3]:
        hazard = hazard_services.hazard_record(
            actor=zhifa_a, inspection=task, finder_department=tree.yingji,
            data={"site": site.pk, "source": "industry", "description": answer.hazard_description,
                  "location": answer.hazard_location, "deadline": deadline, "category": category.pk},
        )
        Answer.objects.filter(pk=answer.pk).update(hazard=hazard)
        hazards.append(hazard)

    checked = hazards[0]
    RectificationRound.objects.create(
        hazard=checked, number=1, measures_taken="已更换灭火器4具并张贴检查标签", submitted_by=zhifa_a,
        submitted_role="ent_manager", submitted_at=now + datetime.timedelta(days=1),
        deadline_at_submission=checked.deadline_in_force, on_time=True, verdict=Verdict.PASSED, verified_by=zhifa_b,
        verified_role="inspector", verified_at=now + datetime.timedelta(days=2), verdict_reason="现场核查灭火器压力正常",
    )
    Hazard.objects.filter(pk=checked.pk).update(status=HazardStatus.CLOSED, closed_at=now + datetime.timedelta(days=2))

    major = hazards[1]
    Hazard.objects.filter(pk=major.pk).update(level=HazardLevel.MAJOR)
    listing = ListedSupervision.objects.create(
        hazard=major, level=ListingLevel.DISTRICT, listing_unit=tree.district, document_no="示安委督〔2026〕3号",
        deadline=datetime.date(2027, 1, 31), listed_at=now + datetime.timedelta(days=1), listed_by=anweiban,
    )
    return DocWorld(tree=tree, enterprise=enterprise, site=site, zhifa_a=zhifa_a, zhifa_b=zhifa_b, street_a=street_a,
                    anweiban=anweiban, inspection=task, hazards=hazards, checked=checked, listing=listing)
