"""The action forms of the hazard detail page: each transition's happy path through its own URL,
and a refused one whose Chinese message (409) or field error (422) is shown with the input kept."""
from __future__ import annotations

import datetime
import re

import pytest

from anquan.core.tests.factories import make_site
from anquan.hazards import services
from anquan.hazards.choices import ExtensionStatus, HazardLevel, HazardStatus, ListingStatus, Verdict
from anquan.hazards.models import ChecklistItem, Hazard

from .test_pages import at, media, png, upload, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


def post(world, user, hazard, path, data=None, **files):
    hazard.refresh_from_db()
    body = {"version": hazard.version, **(data or {}), **files}
    return world.client(user).post(f"/hazards/{hazard.pk}/{path}", body)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def hazard(world):
    with at(DAY, 9):
        return world.record(deadline="2026-03-20")


def test_detail_shows_the_forms_the_user_may_use_now(world, hazard):
    with at(DAY, 10):
        firm = text(world.client(world.firm_user).get(f"/hazards/{hazard.pk}/"))
        assert "提交整改" in firm and "开始整改" in firm and "申请延期" in firm
        assert "复查验收" not in firm and "挂牌督办</summary>" not in firm
        street = text(world.client(world.street).get(f"/hazards/{hazard.pk}/"))
        assert "提请政府研究" in street and "复查验收" not in street  # nothing submitted yet
        assert "变更历史" in street and "登记隐患" in street  # the history with the hazard's own action names
        grid = text(world.client(world.grid).get(f"/hazards/{hazard.pk}/"))
        assert "提交整改</summary>" not in grid and "修改信息" in grid


def test_start_submit_verify_through_the_pages(world, hazard):
    with at(DAY, 10):
        assert post(world, world.firm_user, hazard, "start/").status_code == 302
        refused = post(world, world.firm_user, hazard, "start/")
        assert refused.status_code == 409 and "隐患当前状态为“整改中”，不能开始整改" in text(refused)
        missing = post(world, world.firm_user, hazard, "submit/", {"measures_taken": "已更换配电箱门"})
        assert missing.status_code == 422
        assert "请上传至少一张整改后照片" in text(missing) and "已更换配电箱门" in text(missing)  # input kept
        done = post(world, world.firm_user, hazard, "submit/", {"measures_taken": "已更换配电箱门"}, after_photos=[upload()])
        assert done.status_code == 302
        page = text(world.client(world.street).get(f"/hazards/{hazard.pk}/"))
        assert "复查验收" in page and "第1轮整改" in page and "验收期限" in page
        no_reason = post(world, world.street, hazard, "send-back/", {"reason": ""})
        assert no_reason.status_code == 422 and "请填写退回理由" in text(no_reason)
        assert post(world, world.street, hazard, "send-back/", {"reason": "照片看不清"}).status_code == 302
        post(world, world.firm_user, hazard, "submit/", {"measures_taken": "补拍照片"}, after_photos=[upload()])
        assert post(world, world.street, hazard, "verify/", {"reason": "合格"}, photos=[upload("r.png")]).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    assert [r.verdict for r in hazard.rounds.all()] == [Verdict.SENT_BACK, Verdict.PASSED]
    assert hazard.photos.count() == 4  # finding, two rounds' after-photos, the review photo
    with at(DAY, 11):
        again = post(world, world.street, hazard, "verify/")
        assert again.status_code == 409 and "已销号" in text(again)


def test_the_submitter_is_not_offered_verification(world):
    """At a place without an enterprise the street rectifies itself — and then may not verify its own round."""
    with at(DAY, 9):
        hazard = world.record(site=make_site(world.tree.grid_a, name="甲街道出租房"), deadline="2026-03-20")
    with at(DAY, 10):
        post(world, world.street, hazard, "submit/", {"measures_taken": "街道代为整改"}, after_photos=[upload()])
        page = text(world.client(world.street).get(f"/hazards/{hazard.pk}/"))
        assert "复查验收</summary>" not in page and "须由其他人验收" in page
        assert post(world, world.street, hazard, "verify/").status_code == 403


def test_extension_request_and_decision(world, hazard):
    with at(DAY, 10):
        bad = post(world, world.firm_user, hazard, "extension/", {"new_deadline": "2026-03-10", "reason": "等配件"})
        assert bad.status_code == 422 and "申请延至的日期须晚于现行整改期限" in text(bad) and "等配件" in text(bad)
        assert post(world, world.firm_user, hazard, "extension/", {"new_deadline": "2026-04-10", "reason": "等配件"}).status_code == 302
        twice = post(world, world.firm_user, hazard, "extension/", {"new_deadline": "2026-04-20", "reason": "再等等"})
        assert twice.status_code == 409 and "已有待审批的延期申请" in text(twice)
        ext = hazard.extensions.get()
        assert "审批延期申请" in text(world.client(world.street).get(f"/hazards/{hazard.pk}/"))
        assert post(world, world.street, hazard, f"extension/{ext.pk}/decide/", {"approve": "1"}).status_code == 302
    hazard.refresh_from_db()
    ext.refresh_from_db()
    assert ext.status == ExtensionStatus.APPROVED and hazard.deadline_in_force == datetime.date(2026, 4, 10)
    assert hazard.deadline == datetime.date(2026, 3, 20)
    page = text(world.client(world.street).get("/hazards/"))
    assert "原定 2026-03-20" in page


def test_overdue_explanation_only_when_overdue(world, hazard):
    with at(DAY, 10):
        early = post(world, world.firm_user, hazard, "explain/", {"text": "设备未到"})
        assert early.status_code == 409 and "未逾期" in text(early)
    with at(datetime.date(2026, 3, 25), 10):
        page = text(world.client(world.firm_user).get(f"/hazards/{hazard.pk}/"))
        assert "逾期5天" in page and "逾期书面说明" in page and "申请延期</summary>" not in page
        assert post(world, world.firm_user, hazard, "explain/", {"text": "设备未到"}).status_code == 302
        assert post(world, world.street, hazard, "escalate/", {"text": "涉及产权纠纷"}).status_code == 302
    assert hazard.explanations.count() == 2


def test_judge_major_downgrade_and_plan_rule(world, hazard):
    item = ChecklistItem.objects.filter(checklist__industry__code="industry_trade", checklist__status="published").first()
    with at(DAY, 10):
        none = post(world, world.street, hazard, "judge-major/", {"criterion": ""})
        assert none.status_code == 422 and "请选择匹配的判定标准条款" in text(none)
        assert post(world, world.street, hazard, "judge-major/", {"criterion": item.pk}).status_code == 302
        hazard.refresh_from_db()
        assert hazard.level == HazardLevel.MAJOR
        start = post(world, world.firm_user, hazard, "start/")
        assert start.status_code == 409 and "重大事故隐患须先补全隐患报告和治理方案" in text(start)
        hazard.refresh_from_db()
        assert hazard.department == world.tree.yingji
        assert "降为一般事故隐患" in text(world.client(world.yingji).get(f"/hazards/{hazard.pk}/"))
        assert post(world, world.yingji, hazard, "downgrade/", {"reason": "复核不符合判定标准"}).status_code == 302
        again = post(world, world.yingji, hazard, "downgrade/", {"reason": "x"})
        assert again.status_code == 409 and "不是重大事故隐患" in text(again)


def test_edit_with_a_stale_version_keeps_the_input(world, hazard):
    with at(DAY, 10):
        page = world.client(world.grid).get(f"/hazards/{hazard.pk}/edit/")
        assert page.status_code == 200 and "整改期限、隐患等级、场所和责任单位只能通过" in text(page)
        data = {"version": hazard.version, "description": "配电箱门损坏，线路裸露", "location": "一号车间东墙",
                "responsible_name": "钱师傅", "responsible_phone": "13700000000", "measures": "", "funds": "", "contingency_plan": "",
                "category": ""}
        services.hazard_update(actor=world.street, hazard=hazard, version=hazard.version, data={"location": "别人先改了"})
        stale = world.client(world.grid).post(f"/hazards/{hazard.pk}/edit/", data)
        assert stale.status_code == 409 and "该记录已被他人修改" in text(stale) and "钱师傅" in text(stale)
        hazard.refresh_from_db()
        ok = world.client(world.grid).post(f"/hazards/{hazard.pk}/edit/", {**data, "version": hazard.version})
        assert ok.status_code == 302
        hazard.refresh_from_db()
        assert hazard.location == "一号车间东墙" and hazard.responsible_person.name == "钱师傅"
        person = hazard.responsible_person
        world.client(world.grid).post(f"/hazards/{hazard.pk}/edit/", {**data, "version": hazard.version, "location": "再改"})
        hazard.refresh_from_db()
        assert hazard.responsible_person == person  # the same name again is not a new person


def test_interim_controls(world, hazard):
    with at(DAY, 10):
        bad = post(world, world.street, hazard, "controls/", {"kind": "", "reason": "配电房进水"})
        assert bad.status_code == 422 and "请选择管控措施" in text(bad)
        assert post(world, world.street, hazard, "controls/", {"kind": "suspend", "reason": "配电房进水"}).status_code == 302
        control = hazard.controls.get()
        assert "临时管控中" in text(world.client(world.street).get(f"/hazards/{hazard.pk}/"))
        assert post(world, world.street, hazard, f"controls/{control.pk}/end/", {"reason": "已排水"}).status_code == 302
        again = post(world, world.street, hazard, f"controls/{control.pk}/end/", {"reason": "已排水"})
        assert again.status_code == 409 and "该措施已经解除" in text(again)
        assert post(world, world.street_b, hazard, "controls/", {"kind": "suspend", "reason": "x"}).status_code == 404


def test_listed_supervision_through_the_pages(world, hazard):
    item = ChecklistItem.objects.filter(checklist__industry__code="industry_trade", checklist__status="published").first()
    plan = dict.fromkeys(("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org", "plan_timeline", "plan_safety"), "已编制")
    with at(DAY, 10):
        general = post(world, world.anweiban, hazard, "listing/", {"deadline": "2026-06-30"})
        assert general.status_code == 409 and "只有重大事故隐患可以挂牌督办" in text(general)
        services.hazard_judge_major(actor=world.street, hazard=hazard, version=hazard.version, criterion=item.pk)
        services.hazard_update(actor=world.firm_user, hazard=hazard, version=hazard.version, data=plan)
        assert "挂牌督办</summary>" in text(world.client(world.anweiban).get(f"/hazards/{hazard.pk}/"))
        assert post(world, world.anweiban, hazard, "listing/", {"deadline": "2026-06-30"}).status_code == 302
        twice = post(world, world.anweiban, hazard, "listing/", {"deadline": "2026-06-30"})
        assert twice.status_code == 409 and "本级已对该隐患挂牌督办" in text(twice)
        listing = hazard.listings.get()
        early = post(world, world.firm_user, hazard, f"listings/{listing.pk}/apply-resume/", {"application": "已整改"})
        assert early.status_code == 409 and "请先提交整改材料" in text(early)
        post(world, world.firm_user, hazard, "submit/", {"measures_taken": "完成治理"}, after_photos=[upload()])
        assert post(world, world.firm_user, hazard, f"listings/{listing.pk}/apply-resume/", {"application": "已整改并评估"}).status_code == 302
        early_delist = post(world, world.anweiban, hazard, f"listings/{listing.pk}/delist/")
        assert early_delist.status_code == 409 and "须经现场审查通过后才能摘牌" in text(early_delist)
    with at(datetime.date(2026, 3, 5), 10):
        page = text(world.client(world.anweiban).get(f"/hazards/{hazard.pk}/"))
        assert "现场审查期限：<strong>2026-03-12</strong>" in page and "现场审查（期限 2026-03-12）" in page
        assert post(world, world.anweiban, hazard, f"listings/{listing.pk}/review/", {"passed": "1", "opinion": "现场核查合格"}).status_code == 302
        assert post(world, world.anweiban, hazard, f"listings/{listing.pk}/delist/").status_code == 302
    hazard.refresh_from_db()
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DELISTED and hazard.status == HazardStatus.CLOSED


def test_listing_from_the_page_issues_one_notice_under_the_forms_key(world, hazard):
    """The 挂牌督办 form carries a key of its own (as every document button does); the notice is issued
    once, under that key, and its 文号 is the listing's number — the user types no number."""
    from anquan.documents.models import DocumentKind, OfficialDocument

    item = ChecklistItem.objects.filter(checklist__industry__code="industry_trade", checklist__status="published").first()
    plan = dict.fromkeys(("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org", "plan_timeline", "plan_safety"), "已编制")
    key_field = re.compile(r'action="/hazards/\d+/listing/".*?name="client_key" value="([0-9a-f]{32})"', re.S)
    with at(DAY, 10):
        services.hazard_judge_major(actor=world.street, hazard=hazard, version=hazard.version, criterion=item.pk)
        services.hazard_update(actor=world.firm_user, hazard=hazard, version=hazard.version, data=plan)
        pages = [text(world.client(world.anweiban).get(f"/hazards/{hazard.pk}/")) for _ in range(2)]
        keys = [key_field.search(page).group(1) for page in pages]
        assert keys[0] != keys[1]  # a fresh key per rendered form
        refused = post(world, world.anweiban, hazard, "listing/", {"deadline": "2026-01-01", "client_key": keys[0]})
        assert refused.status_code == 422 and key_field.search(text(refused)).group(1) == keys[0]  # kept for the retry
        assert post(world, world.anweiban, hazard, "listing/", {"deadline": "2026-06-30", "client_key": keys[0]}).status_code == 302
        resent = post(world, world.anweiban, hazard, "listing/", {"deadline": "2026-06-30", "client_key": keys[0]})
        assert resent.status_code == 409
    listing = hazard.listings.get()
    notice = OfficialDocument.objects.get(kind=DocumentKind.LISTING_NOTICE)
    assert notice.listing == listing and notice.number == listing.document_no and notice.client_key == keys[0]


def test_transfer_to_another_site(world, hazard):
    other = make_site(world.tree.grid_b, name="乙街道仓库")
    with at(DAY, 10):
        assert post(world, world.street, hazard, "transfer/", {"site": other.pk, "reason": "x"}).status_code == 403  # street staff may not
        bad = post(world, world.anweiban, hazard, "transfer/", {"site": "", "reason": "登记错场所"})
        assert bad.status_code == 422 and "所选场所不存在" in text(bad) and "登记错场所" in text(bad)
        found = text(world.client(world.anweiban).get(f"/hazards/new/sites/?mode=transfer&q=仓库&current={hazard.site_id}"))
        assert 'type="radio" name="site"' in found and "乙街道仓库" in found
        assert post(world, world.anweiban, hazard, "transfer/", {"site": other.pk, "reason": "登记错场所"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.site == other and hazard.grid == world.tree.grid_b
    assert world.client(world.street).get(f"/hazards/{hazard.pk}/").status_code == 404  # scope followed the place


def test_recheck_reopens(world, hazard):
    with at(DAY, 10):
        services.hazard_submit(actor=world.firm_user, hazard=hazard, version=hazard.version, measures_taken="已整改", after_photos=[png()])
        services.hazard_verify(actor=world.street, hazard=hazard, version=hazard.version, passed=True)
        bad = post(world, world.street, hazard, "recheck/", {"passed": "0", "reason": "配电箱门又坏了", "new_deadline": ""})
        assert bad.status_code == 422 and "新整改期限" in text(bad)
        ok = post(world, world.street, hazard, "recheck/", {"passed": "0", "reason": "配电箱门又坏了", "new_deadline": "2026-03-30"})
        assert ok.status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECTIFYING


def test_out_of_scope_actions_answer_404(world, hazard):
    with at(DAY, 10):
        for path in ("start/", "submit/", "verify/", "send-back/", "extension/", "explain/", "escalate/", "judge-major/",
                     "downgrade/", "transfer/", "controls/", "listing/", "recheck/", "edit/"):
            assert post(world, world.street_b, hazard, path).status_code == 404, path
        other_hazard = world.record(actor=world.street_b, site=world.market, source="territorial")
        ext = services.extension_request(actor=world.street_b, hazard=other_hazard, new_deadline=datetime.date(2026, 4, 30), reason="x")
        # someone else's extension cannot be decided through this hazard's URL
        assert post(world, world.street, hazard, f"extension/{ext.pk}/decide/", {"approve": "1"}).status_code == 404


def test_street_rectifies_only_places_without_an_enterprise(world, hazard):
    with at(DAY, 10):
        refused = post(world, world.street, hazard, "submit/", {"measures_taken": "街道代为整改"}, after_photos=[upload()])
        assert refused.status_code == 403


def test_escalation_and_own_extension_refusals(world):
    with at(DAY, 9):
        hazard = world.record(site=make_site(world.tree.grid_a, name="甲街道公共场所"), deadline="2026-03-20")
    with at(DAY, 10):
        empty = post(world, world.street, hazard, "escalate/", {"text": "  "})
        assert empty.status_code == 422 and "请填写提请研究的事由" in text(empty)
        services.extension_request(actor=world.street, hazard=hazard, new_deadline=datetime.date(2026, 4, 1), reason="街道协调")
        ext = hazard.extensions.get()
        assert "审批延期申请" not in text(world.client(world.street).get(f"/hazards/{hazard.pk}/"))  # not one's own
        assert post(world, world.street, hazard, f"extension/{ext.pk}/decide/", {"approve": "1"}).status_code == 403
        rejected = post(world, world.anweiban, hazard, f"extension/{ext.pk}/decide/", {"approve": "0", "reason": ""})
        assert rejected.status_code == 422 and "请填写不予批准的理由" in text(rejected)
        assert post(world, world.anweiban, hazard, f"extension/{ext.pk}/decide/", {"approve": "0", "reason": "理由不充分"}).status_code == 302
        decided = post(world, world.anweiban, hazard, f"extension/{ext.pk}/decide/", {"approve": "1"})
        assert decided.status_code == 409 and "该延期申请已经审批" in text(decided)
        services.hazard_submit(actor=world.street, hazard=hazard, version=hazard.version, measures_taken="已改", after_photos=[png()])
        closed = post(world, world.street, hazard, "escalate/", {"text": "需要研究"})
        assert closed.status_code == 409 and "无需提请研究" in text(closed)
