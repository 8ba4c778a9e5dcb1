"""Major hazards through the API: judged by a criterion, listed (挂牌督办), resume applied, reviewed and
delisted by the listing level only; downgrade by the regulator only; transfer; 回头看 reopening."""
import datetime

import pytest
from django.utils import timezone

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.hazards.models import ChecklistItem, ChecklistKind, ChecklistStatus, Hazard

from .test_api import b64, call, client_for
from .test_loop_smoke import png

pytestmark = pytest.mark.django_db
PLAN = dict.fromkeys(("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org", "plan_timeline", "plan_safety"), "已编制")


def criterion(industry_code: str = "construction") -> ChecklistItem:
    """A plain (not "并且", not combined) criterion in force today for a site of ``industry_code``
    (criteria are checked by date and industry: services.judgement)."""
    from anquan.hazards.services.judgement import applicable_items
    from anquan.rules.calendar import today

    items = ChecklistItem.objects.filter(checklist__kind=ChecklistKind.MAJOR_CRITERIA, checklist__status=ChecklistStatus.PUBLISHED)
    if not items.exists():
        from anquan.hazards.catalogue_data import seed_catalogue

        seed_catalogue()
    return next(i for _, rows in applicable_items(industry_code, today()) for i in rows if not i.conditions and not i.combined)


@pytest.fixture
def world():
    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="督办测试建筑公司", industries=("construction",))
    site = make_site(tree.grid_a, enterprise=firm, industry_code="construction")
    return {
        "tree": tree, "site": site, "other_site": make_site(tree.grid_a, industry_code="construction"),
        "zhujian": make_user("dept_staff", department=tree.zhujian),
        "yingji": make_user("dept_staff", department=tree.yingji),
        "firm": make_user("ent_manager", enterprise=firm),
        "anweiban": make_user("anweiban", unit=tree.district),
        "city": make_user("anweiban", unit=tree.city),
        "street": make_user("street_staff", unit=tree.street_a),
    }


def record(world, **extra):
    data = {"site": world["site"].pk, "description": "深基坑未按方案支护", "source": "industry",
            "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(), **extra}
    return services.hazard_record(actor=world["zhujian"], data=data)


def test_listed_supervision_closes_only_with_the_listing_levels_sign_off(world):
    hazard = record(world)
    zhujian, firm, district, city = (client_for(world[k]) for k in ("zhujian", "firm", "anweiban", "city"))
    url = f"/api/v1/hazards/{hazard.pk}"

    def v() -> int:
        return Hazard.objects.get(pk=hazard.pk).version

    listing_body = {"document_no": "区安办督〔2026〕1号", "deadline": (timezone.localdate() + datetime.timedelta(days=60)).isoformat()}
    status, data = call(district, "post", f"{url}/list", {"version": v(), **listing_body})
    assert status == 409 and "重大" in data["detail"]
    status, data = call(zhujian, "post", f"{url}/judge-major", {"version": v(), "criterion": criterion().pk})
    assert status == 200 and data["level"] == "major" and data["criterion_id"] == criterion().pk
    status, data = call(firm, "post", f"{url}/start", {"version": v()})
    assert status == 409 and "治理方案" in data["detail"]
    assert call(zhujian, "patch", url, {"version": v(), **PLAN})[0] == 200
    status, data = call(district, "post", f"{url}/list", {"version": v(), **listing_body})
    assert status == 201 and data["listings"][0]["level"] == "district"
    listing = data["listings"][0]["id"]
    status, data = call(firm, "post", f"{url}/listings/{listing}/apply-resume", {"application": "已整改"})
    assert status == 409 and "待验收" in data["detail"]
    status, data = call(firm, "post", f"{url}/submit-rectification",
                        {"version": v(), "measures_taken": "已按方案支护", "after_photos": [b64(png())]})
    assert status == 200 and data["status"] == "awaiting_verification"
    assert call(firm, "post", f"{url}/verify", {"version": v(), "passed": True})[0] == 403  # not the enterprise's own find
    status, data = call(zhujian, "post", f"{url}/verify", {"version": v(), "passed": True})
    assert status == 409 and "挂牌" in data["detail"]
    status, data = call(firm, "post", f"{url}/listings/{listing}/apply-resume", {"application": "已整改并经专家评估"})
    assert status == 200 and data["listings"][0]["status"] == "resume_applied"
    assert call(city, "post", f"{url}/listings/{listing}/review", {"passed": True, "opinion": "合格"})[0] == 403  # not the listing level
    status, data = call(district, "post", f"{url}/listings/{listing}/delist", {"version": v()})
    assert status == 409 and "现场审查" in data["detail"]
    status, data = call(district, "post", f"{url}/listings/{listing}/review", {"passed": True, "opinion": "现场审查合格"})
    assert status == 200 and data["listings"][0]["status"] == "reviewed"
    status, data = call(district, "post", f"{url}/listings/{listing}/delist", {"version": v(), "reason": "摘牌"})
    assert status == 200 and data["status"] == "closed" and data["listings"][0]["status"] == "delisted"


def test_downgrade_by_the_regulator_only(world):
    hazard = record(world, criterion=criterion().pk, **PLAN)
    status, data = call(client_for(world["anweiban"]), "post", f"/api/v1/hazards/{hazard.pk}/downgrade", {"version": hazard.version, "reason": "复核"})
    assert status == 403
    client = client_for(world["zhujian"])
    status, data = call(client, "post", f"/api/v1/hazards/{hazard.pk}/downgrade", {"version": hazard.version, "reason": ""})
    assert status == 422 and "reason" in data["errors"]
    status, data = call(client, "post", f"/api/v1/hazards/{hazard.pk}/downgrade", {"version": hazard.version, "reason": "经专家论证不构成重大隐患"})
    assert status == 200 and data["level"] == "general" and data["history"][-1]["reason"] == "经专家论证不构成重大隐患"


def test_transfer_moves_the_place_snapshot(world):
    hazard = record(world)
    client = client_for(world["anweiban"])
    target = world["other_site"]
    status, data = call(client, "post", f"/api/v1/hazards/{hazard.pk}/transfer", {"version": hazard.version, "site": target.pk, "reason": "登记错误"})
    assert status == 200 and data["site_id"] == target.pk and data["enterprise_id"] is None
    status, data = call(client, "post", f"/api/v1/hazards/{hazard.pk}/transfer", {"version": data["version"], "site": 10**12, "reason": "x"})
    assert status == 422 and "site" in data["errors"]


def test_recheck_reopens_a_closed_hazard(world):
    hazard = record(world)
    services.hazard_submit(actor=world["firm"], hazard=hazard, version=hazard.version, measures_taken="已支护", after_photos=[png()])
    services.hazard_verify(actor=world["zhujian"], hazard=hazard, version=hazard.version, passed=True)
    client = client_for(world["zhujian"])
    status, data = call(client, "post", f"/api/v1/hazards/{hazard.pk}/recheck",
                        {"version": hazard.version, "passed": False, "reason": "回头看发现支护变形", "new_deadline": "2020-01-01"})
    assert status == 422 and "new_deadline" in data["errors"]
    new = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    status, data = call(client, "post", f"/api/v1/hazards/{hazard.pk}/recheck",
                        {"version": hazard.version, "passed": False, "reason": "回头看发现支护变形", "new_deadline": new})
    assert status == 200 and data["status"] == "rectifying" and data["deadline_in_force"] == new and data["closed_on"] is None


def test_escalate_and_controls(world):
    hazard = record(world)
    street, anweiban = client_for(world["street"]), client_for(world["anweiban"])
    status, data = call(street, "post", f"/api/v1/hazards/{hazard.pk}/escalate", {"text": "涉及征地"})
    assert status == 403  # the street did not find it
    status, data = call(anweiban, "post", f"/api/v1/hazards/{hazard.pk}/escalate", {"text": "涉及征地，提请区政府研究"})
    assert status == 200 and data["explanations"][0]["kind"] == "escalation"
    status, data = call(anweiban, "post", f"/api/v1/hazards/{hazard.pk}/controls", {"kind": "fly", "reason": "x"})
    assert status == 422 and "kind" in data["errors"]
    status, data = call(anweiban, "post", f"/api/v1/hazards/{hazard.pk}/controls", {"kind": "suspend", "reason": "第六十五条"})
    assert status == 201 and data["controls"][0]["ended_at"] is None
    control = data["controls"][0]["id"]
    call(anweiban, "post", f"/api/v1/hazards/{hazard.pk}/controls/{control}/end", {"reason": "已消除"})
    status, data = call(anweiban, "post", f"/api/v1/hazards/{hazard.pk}/controls/{control}/end", {"reason": "再次"})
    assert status == 409 and "已经解除" in data["detail"]


@pytest.mark.frozen("2026-11-30 23:30 +0800")  # a Monday, 23:30 in Shanghai; the world is built at this moment too
def test_the_detail_page_shows_the_review_period_in_force_where_the_listing_level_sits(world):
    """挂牌督办 on-site review: the period (rules: listing.review_days) a district set for itself, not the default 10."""
    from django.test import Client

    from anquan.hazards.models import ListedSupervision
    from anquan.rules.calendar import SHANGHAI
    from anquan.rules.models import RuleOverride

    applied = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI)
    hazard = record(world, level="major", criterion=criterion().pk)  # 重大 is recorded against a criterion
    ListedSupervision.objects.create(
        hazard=hazard, level="district", listing_unit=world["tree"].district, document_no="区安办督〔2026〕9号",
        deadline=datetime.date(2026, 12, 31), listed_at=applied, listed_by=world["anweiban"],
        status="resume_applied", resume_applied_at=applied, resume_application="已整改")
    client = Client()
    client.force_login(world["anweiban"])
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "2026-12-10" in page and "申请后10日内" in page  # the default: 10 days
    RuleOverride.objects.create(key="listing.review_days", value=7, unit=world["tree"].district, reason="本区从严",
                                set_by=world["anweiban"])
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "2026-12-07" in page and "申请后7日内" in page
