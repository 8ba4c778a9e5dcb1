"""Look-back (倒查): who inspected, in which role at the time, what they found, what they missed
(same top-level category, found later by others), scoped, through the service, the page and the API."""
import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from anquan.audit.models import AuditEvent
from anquan.core.errors import Forbidden, Invalid, NotFound
from anquan.core.tests.factories import add_role, make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.hazards.lookback import MISSED_SOURCES, inspection_record_visit, lookback
from anquan.hazards.models import HazardCategory

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


# The tests tell a story of March–June 2026 and are set just after it (hazards found over a year ago, or
# in the future, are refused at recording): the world is built at this moment too.
AFTER_THE_STORY = "2026-07-01 10:00 +0800"


def moment(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=SH)


@pytest.fixture
def world():
    if not HazardCategory.objects.filter(code="2103").exists():
        from anquan.hazards.catalogue_data import seed_catalogue

        seed_catalogue()
    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="倒查测试机械厂", industries=("industry_trade",))
    site = make_site(tree.grid_a, enterprise=firm, name="一号厂房", industry_code="industry_trade")
    other_site = make_site(tree.grid_a, enterprise=firm, name="二号仓库", industry_code="industry_trade")
    cats = {code: HazardCategory.objects.get(code=code) for code in ("2101", "2103", "4302", "1202")}
    w = {
        "tree": tree, "firm": firm, "site": site, "other_site": other_site, "cats": cats,
        "inspector": make_user("inspector", department=tree.yingji, username="zhifa_x", name="执法员甲"),  # in post since January
        "grid": make_user("grid_worker", unit=tree.grid_a, name="网格员乙"),
        "anweiban": make_user("anweiban", unit=tree.district),
        "street_b": make_user("street_staff", unit=tree.street_b),
    }
    w["inspector"].assignments.update(valid_from=moment(1, 1))
    w["visit"] = inspection_record_visit(actor=w["inspector"], site=site, performed_at=moment(3, 10),
                                         inspectors=[w["inspector"].person_id], categories=[cats["2103"].pk], summary="检查配电设施")
    return w


def found(w, user, when, code, site=None, text="隐患"):
    data = {"site": (site or w["site"]).pk, "description": text, "source": "industry" if user == w["inspector"] else "grid",
            "found_at": when.isoformat(), "deadline": (when + datetime.timedelta(days=10)).date().isoformat(),
            "category": w["cats"][code].pk}
    return services.hazard_record(actor=user, data=data)


@pytest.mark.frozen(AFTER_THE_STORY)
def test_found_and_missed(world):
    w = world
    same_day = found(w, w["inspector"], moment(3, 10, 11), "2103", text="配电箱无漏电保护")
    before = found(w, w["grid"], moment(3, 1), "2101", text="早于检查")
    missed = found(w, w["grid"], moment(4, 1), "2101", text="砂轮机防护罩缺失")  # same top class 物的因素
    found(w, w["grid"], moment(4, 2), "4302", text="管理制度缺失")             # 管理因素: not what was checked
    found(w, w["grid"], moment(4, 3), "2103", site=w["other_site"], text="另一场所")
    found(w, w["inspector"], moment(4, 5), "2103", text="同一检查人后来发现")
    report = lookback(w["anweiban"], site=w["site"].pk, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31))
    [visit] = report.visits
    assert visit.inspection == w["visit"]
    assert [h.pk for h in visit.found] == [same_day.pk]
    assert [(m.hazard.pk, m.root, m.days_later) for m in visit.missed] == [(missed.pk, "物的因素", 22)]
    assert before.pk not in {m.hazard.pk for m in visit.missed}
    assert [i.person.name for i in visit.inspectors] == ["执法员甲"]
    assert visit.inspectors[0].roles == ["执法人员（示范区应急管理局）"]


@pytest.mark.frozen(AFTER_THE_STORY)
def test_roles_are_those_held_at_the_time(world):
    w = world
    assignment = w["inspector"].assignments.get()
    assignment.valid_to = moment(5, 1)
    assignment.save()
    add_role(w["inspector"], "dept_staff", department=w["tree"].zhujian, valid_from=moment(5, 1))
    report = lookback(w["anweiban"], site=w["site"].pk, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31))
    assert report.visits[0].inspectors[0].roles == ["执法人员（示范区应急管理局）"]


@pytest.mark.frozen(AFTER_THE_STORY)
def test_an_accident_hook_adds_later_findings(world, monkeypatch):
    w = world
    revealed = found(w, w["grid"], moment(6, 1), "2101", text="事故后发现")
    monkeypatch.setattr("anquan.hazards.lookback.MISSED_SOURCES", [lambda user, site_ids, after: [(revealed, "事故后发现")]])
    assert MISSED_SOURCES == []
    report = lookback(w["anweiban"], site=w["site"].pk, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31))
    assert [m.how for m in report.visits[0].missed] == ["其后检查发现", "事故后发现"]


@pytest.mark.frozen(AFTER_THE_STORY)
def test_scope_and_range(world):
    w = world
    with pytest.raises(NotFound):
        lookback(w["street_b"], site=w["site"].pk, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31))
    with pytest.raises(NotFound):
        lookback(w["street_b"], enterprise=w["firm"].pk, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31))
    with pytest.raises(Invalid):
        lookback(w["anweiban"], site=w["site"].pk, date_from=datetime.date(2026, 3, 31), date_to=datetime.date(2026, 3, 1))
    with pytest.raises(Invalid):
        lookback(w["anweiban"], date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31))
    assert lookback(w["anweiban"], site=w["site"].pk, date_from=datetime.date(2026, 3, 11),
                    date_to=datetime.date(2026, 3, 31)).visits == []


@pytest.mark.frozen(AFTER_THE_STORY)
def test_enterprise_covers_all_its_sites(world):
    w = world
    inspection_record_visit(actor=w["grid"], site=w["other_site"], performed_at=moment(3, 20), categories=[w["cats"]["4302"].pk])
    report = lookback(w["anweiban"], enterprise=w["firm"].pk, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31))
    assert [v.inspection.site for v in report.visits] == [w["site"], w["other_site"]]
    assert report.visits[1].recorded_role_label == "网格员" and report.visits[1].inspection.kind == "territorial"


@pytest.mark.frozen(AFTER_THE_STORY)
def test_recording_a_visit_is_audited_and_scoped(world):
    w = world
    event = AuditEvent.objects.get(model_key="inspection", object_id=w["visit"].pk)
    assert event.action == "record_visit" and event.acting_role == "inspector"
    assert w["visit"].kind == "industry" and w["visit"].department == w["tree"].yingji
    with pytest.raises(NotFound):
        inspection_record_visit(actor=w["street_b"], site=w["site"], performed_at=timezone.now())
    leader = make_user("leader", unit=w["tree"].street_a)
    with pytest.raises(Forbidden):
        inspection_record_visit(actor=leader, site=w["site"], performed_at=timezone.now())


@pytest.mark.frozen(AFTER_THE_STORY)
def test_inspectors_must_be_people_within_reach(world):
    w = world
    stranger = make_user("street_staff", unit=w["tree"].other_street).person  # a person of 邻区
    with pytest.raises(Invalid):
        inspection_record_visit(actor=w["inspector"], site=w["site"], performed_at=timezone.now(), inspectors=[stranger.pk])


@pytest.mark.frozen(AFTER_THE_STORY)
def test_api_and_page(world, django_assert_max_num_queries):
    w = world
    found(w, w["grid"], moment(4, 1), "2101", text="砂轮机防护罩缺失")
    client = Client()
    client.force_login(w["anweiban"])
    url = f"/api/v1/lookback?site={w['site'].pk}&from=2026-03-01&to=2026-03-31"
    data = client.get(url).json()
    assert data["missed_count"] == 1 and data["visits"][0]["inspectors"][0]["roles_at_the_time"] == ["执法人员（示范区应急管理局）"]
    assert data["visits"][0]["categories_checked"] == ["电危害"]
    for day in (12, 14, 16, 18):  # more visits, more hazards: the same queries
        inspection_record_visit(actor=w["inspector"], site=w["site"], performed_at=moment(3, day), categories=[w["cats"]["2101"].pk])
        found(w, w["grid"], moment(4, day), "2101", text=f"后来发现{day}")
    with django_assert_max_num_queries(20):
        assert len(client.get(url).json()["visits"]) == 5
    assert client.get(f"/api/v1/lookback?site={w['site'].pk}&from=2026-03-31&to=2026-03-01").status_code == 422
    street_b = Client()
    street_b.force_login(w["street_b"])
    assert street_b.get(url).status_code == 404
    page = client.get(f"/lookback/?site={w['site'].pk}&from=2026-03-01&to=2026-03-31").content.decode()
    assert "执法员甲" in page and "砂轮机防护罩缺失" in page and "可能漏查" in page
    search = client.get("/lookback/?q=一号厂房").content.decode()
    assert f"?site={w['site'].pk}&from=" in search
    assert street_b.get(f"/lookback/?site={w['site'].pk}").status_code == 404
    elsewhere = street_b.get("/lookback/?q=一号厂房").content.decode()
    assert "请选择倒查对象" not in elsewhere and "没有找到" in elsewhere


@pytest.mark.django_db(transaction=True)
def test_the_page_on_a_phone(live_page, login_as):
    import os

    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="倒查手机测试厂")
    site = make_site(tree.grid_a, enterprise=firm, name="三号车间", industry_code="industry_trade")
    if not HazardCategory.objects.filter(code="2103").exists():
        from anquan.hazards.catalogue_data import seed_catalogue

        seed_catalogue()
    street = make_user("street_staff", unit=tree.street_a, name="街道甲")
    street.assignments.update(valid_from=moment(1, 1))
    grid = make_user("grid_worker", unit=tree.grid_a, name="网格员乙")
    grid.assignments.update(valid_from=moment(1, 1))
    # The story is recorded as of its time; the browser (which keeps the real date) then reads it.
    with time_machine.travel(AFTER_THE_STORY, tick=False):
        inspection_record_visit(actor=street, site=site, performed_at=moment(3, 10),
                                categories=[HazardCategory.objects.get(code="2103").pk])
        services.hazard_record(actor=grid, data={"site": site.pk, "description": "配电柜门未关闭", "source": "grid",
                                                 "found_at": moment(4, 1).isoformat(), "deadline": "2026-04-10",
                                                 "category": HazardCategory.objects.get(code="2101").pk})
    page = login_as(street)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/lookback/?q=三号车间")
    page.get_by_role("link", name="场所：三号车间").click()
    page.fill("#lb-from", "2026-03-01")
    page.fill("#lb-to", "2026-03-31")
    page.get_by_role("button", name="查询").click()
    assert "配电柜门未关闭" in page.locator("article").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if os.environ.get("ANQUAN_SHOTS"):
        page.screenshot(path=os.path.join(os.environ["ANQUAN_SHOTS"], "lookback-phone.png"), full_page=True)
