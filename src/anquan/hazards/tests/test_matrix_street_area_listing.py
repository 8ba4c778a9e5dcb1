"""Permission matrix of street-level 挂牌督办, 区域/行业挂牌督办 and the region/industry 警示约谈: every demo user ×
in-scope / out-of-scope object × list (create), view (API detail and page) and close (review/摘牌), against
expectations written here by hand from domain.md and the task (not read from the code under test).

World (factories, named after the demo users' roles and places): 示范市 › 示范区 (甲街道 = jiedao_a's, 乙街道 =
jiedao_b's) and 邻区; E_A a 建筑施工 firm at S_A in wangge_a's grid of street A (qiye_a), H_MAJ a 重大 hazard found
there by 住建局 (zhujian); S_B a 危险化学品 site in street B (qiye_b's firm E_B), H_B found there by jiedao_b.

Expectations:
- Street listing (挂牌督办 at 街道级): only a street's own staff lists a 重大 hazard of its territory, in the name of
  its street (level 街道（乡镇）级, the street's 文号); jiedao_b neither lists nor sees jiedao_a's listing; a street
  never lists outside its territory (404, the hazard is invisible); grid workers, enterprises, leaders, inspectors,
  departments may not list (403 where they see the hazard, else 404). Only the listing street reviews and 摘牌s
  its listing: the district's 安委办 sees it but may not sign off (403).
- 区域/行业挂牌督办: a 区县以上 安委办 or a street lists a territory below it (an industry also in its own); the
  listed territory (and a department regulating a listed industry there) sees it and reports; only the listing
  level reviews (摘牌); everybody else: 404 (out of scope) or 403 (in scope, not permitted).
- 区域/行业警示约谈: a 安委办 interviews a region below it or an industry in its territory; a department an industry
  it regulates in its territory; a street may not record interviews.
"""
from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from anquan.audit.models import AuditEvent
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards.choices import AreaListingStatus, ListingLevel, ListingStatus
from anquan.hazards.models import Hazard, ListedSupervision
from anquan.hazards.models.supervision import AreaListing
from anquan.orgs.models import Industry, OrgUnit, UnitKind

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]

USERS = ["shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a", "qiye_a", "qiye_b",
         "zhujian", "yingji", "zhifa_a", "admin"]
PLAN = dict.fromkeys(("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org",
                      "plan_timeline", "plan_safety"), "按方案落实")


def _client(w, name) -> Client:
    client = Client()
    client.force_login(w["users"][name])
    return client


def _post(client, url, body=None):
    response = client.post(url, data=json.dumps(body or {}), content_type="application/json")
    return response.status_code, (response.json() if response["Content-Type"].startswith("application/json") else None)


def _in(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def w():
    from anquan.hazards import services

    tree = make_tree()
    e_a = make_enterprise(tree.grid_a, name="矩阵甲建筑工程有限公司", industries=("construction",))
    e_b = make_enterprise(tree.grid_b, name="矩阵乙化工有限公司", industries=("hazchem",))
    s_a = make_site(tree.grid_a, enterprise=e_a, industry_code="construction")
    s_b = make_site(tree.grid_b, enterprise=e_b, industry_code="hazchem")
    users = {
        "shi_anweiban": make_user("anweiban", unit=tree.city, username="shi_anweiban"),
        "anweiban": make_user("anweiban", unit=tree.district, username="anweiban"),
        "linqu_anweiban": make_user("anweiban", unit=tree.other_district, username="linqu_anweiban"),
        "jiedao_a": make_user("street_staff", unit=tree.street_a, username="jiedao_a"),
        "jiedao_b": make_user("street_staff", unit=tree.street_b, username="jiedao_b"),
        "lingdao": make_user("leader", unit=tree.street_a, username="lingdao"),
        "wangge_a": make_user("grid_worker", unit=tree.grid_a, username="wangge_a"),
        "qiye_a": make_user("ent_manager", enterprise=e_a, username="qiye_a"),
        "qiye_b": make_user("ent_manager", enterprise=e_b, username="qiye_b"),
        "zhujian": make_user("dept_staff", department=tree.zhujian, username="zhujian"),
        "yingji": make_user("dept_staff", department=tree.yingji, username="yingji"),
        "zhifa_a": make_user("inspector", department=tree.yingji, username="zhifa_a"),
        "admin": make_user("sysadmin", username="admin"),
    }

    def record(user, site, source, text):
        return services.hazard_record(actor=users[user], data={"site": site.pk, "source": source, "description": text,
                                                               "deadline": _in(30)})

    h_maj = record("zhujian", s_a, "industry", "矩阵甲：深基坑无支护")
    Hazard.objects.filter(pk=h_maj.pk).update(level="major", **PLAN)
    h_maj.refresh_from_db()
    return {"tree": tree, "users": users, "H_MAJ": h_maj, "H_B": record("jiedao_b", s_b, "territorial", "矩阵乙：报警器失效"),
            "S_A": s_a, "S_B": s_b}


# ---------------------------------------------------------------- street-level 挂牌督办 of a 重大 hazard

# What each user gets when listing H_MAJ (street A, 重大) at their own level: 201 lists, 403 sees it but may not,
# 404 does not see it. The district's 安委办 lists at 区县级 (its own level) — also allowed.
STREET_LIST = {
    "shi_anweiban": 201, "anweiban": 201, "linqu_anweiban": 404, "jiedao_a": 201, "jiedao_b": 404,
    "lingdao": 403, "wangge_a": 403, "qiye_a": 403, "qiye_b": 404, "zhujian": 403, "yingji": 404, "zhifa_a": 404,
    "admin": 404,
}
#: Who sees jiedao_a's street listing (the hazard's page and the register): the hazard's scope.
STREET_VIEW = {"shi_anweiban", "anweiban", "jiedao_a", "lingdao", "wangge_a", "qiye_a", "zhujian"}


def test_the_table_covers_every_demo_user(w):
    assert set(STREET_LIST) == set(USERS) == set(w["users"])


def test_street_listing_who_may_list(w):
    hazard = w["H_MAJ"]
    for user in USERS:
        client = _client(w, user)
        version = Hazard.objects.get(pk=hazard.pk).version
        from django.db import transaction

        with transaction.atomic():
            status, data = _post(client, f"/api/v1/hazards/{hazard.pk}/list", {"version": version, "deadline": _in(60)})
            assert status == STREET_LIST[user], (user, status, data)
            transaction.set_rollback(True)


def test_street_listing_by_jiedao_a_has_the_streets_level_number_and_closure(w):
    hazard, street_a = w["H_MAJ"], w["tree"].street_a
    a = _client(w, "jiedao_a")
    status, data = _post(a, f"/api/v1/hazards/{hazard.pk}/list", {"version": hazard.version, "deadline": _in(60)})
    assert status == 201, data
    listing = ListedSupervision.objects.get(hazard=hazard)
    assert listing.level == ListingLevel.STREET and listing.listing_unit_id == street_a.pk
    assert listing.document_no and listing.documents.get().issuer_unit_id == street_a.pk  # the street's own 文号
    notice = listing.documents.get()
    assert notice.issuer_name == "甲街道办事处" and "街道（乡镇）级挂牌督办" in "".join(notice.paragraphs)
    assert "书面报告甲街道办事处" in "".join(notice.paragraphs)
    assert AuditEvent.objects.filter(action="list").count() == 1
    # Views: the register and the hazard's page.
    for user in USERS:
        client = _client(w, user)
        page = client.get(f"/hazards/{hazard.pk}/")
        seen = page.status_code == 200
        assert seen == (user in STREET_VIEW), (user, page.status_code)
        register = client.get(f"/hazards/listings/?q={hazard.number}")
        listed = register.status_code == 200 and f"/hazards/{hazard.pk}/" in register.content.decode()
        assert listed == (user in STREET_VIEW), (user, register.status_code)
    # jiedao_b: the listing's API is out of scope.
    b = _client(w, "jiedao_b")
    assert b.get(f"/api/v1/hazards/{hazard.pk}").status_code == 404
    # Closure by the listing level only: bring it to 已申请复工复产 and review.
    ListedSupervision.objects.filter(pk=listing.pk).update(status=ListingStatus.RESUME_APPLIED, resume_applied_at=timezone.now(),
                                                          resume_application="已整改并经专家评估")
    review = f"/api/v1/hazards/{hazard.pk}/listings/{listing.pk}/review"
    body = {"passed": True, "opinion": "现场审查合格"}
    assert _post(_client(w, "anweiban"), review, body)[0] == 403  # a higher level sees it but did not list it
    assert _post(b, review, body)[0] == 404
    assert _post(_client(w, "wangge_a"), review, body)[0] == 403
    status, data = _post(a, review, body)
    assert status == 200, data
    listing.refresh_from_db()
    assert listing.status == ListingStatus.REVIEWED
    assert AuditEvent.objects.filter(action="review_listing").exists()
    # 摘牌 by the street closes the hazard (the enterprise's round, submitted, is verified by the sign-off).
    from anquan.hazards.choices import HazardStatus
    from anquan.hazards.models import RectificationRound

    hazard.refresh_from_db()
    RectificationRound.objects.create(hazard=hazard, number=1, measures_taken="已支护并经专家评估", submitted_by=w["users"]["qiye_a"],
                                      submitted_role="ent_manager", submitted_at=timezone.now(),
                                      deadline_at_submission=hazard.deadline_in_force, on_time=True)
    Hazard.objects.filter(pk=hazard.pk).update(status=HazardStatus.AWAITING, submitted_at=timezone.now())
    delist = f"/api/v1/hazards/{hazard.pk}/listings/{listing.pk}/delist"
    body = {"version": hazard.version, "reason": "审查合格，予以摘牌"}
    assert _post(_client(w, "anweiban"), delist, body)[0] == 403
    assert _post(b, delist, body)[0] == 404
    status, data = _post(a, delist, body)
    assert status == 200, data
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_by == w["users"]["jiedao_a"]
    assert AuditEvent.objects.filter(action="delist").count() == 1


def test_a_street_cannot_list_outside_its_territory(w):
    """H_B (street B) made 重大: jiedao_a does not see it (404) and cannot list it; jiedao_b can."""
    hazard = w["H_B"]
    Hazard.objects.filter(pk=hazard.pk).update(level="major", **PLAN)
    hazard.refresh_from_db()
    status, _ = _post(_client(w, "jiedao_a"), f"/api/v1/hazards/{hazard.pk}/list", {"version": hazard.version, "deadline": _in(30)})
    assert status == 404
    response = _client(w, "jiedao_a").post(f"/hazards/{hazard.pk}/listing/", {"version": hazard.version, "deadline": _in(30)})
    assert response.status_code == 404
    assert not ListedSupervision.objects.filter(hazard=hazard).exists()
    status, data = _post(_client(w, "jiedao_b"), f"/api/v1/hazards/{hazard.pk}/list", {"version": hazard.version, "deadline": _in(30)})
    assert status == 201, data
    assert ListedSupervision.objects.get(hazard=hazard).listing_unit_id == w["tree"].street_b.pk


# ---------------------------------------------------------------- 区域/行业挂牌督办

#: Creating a region listing of street B: 201 listed, 403 no listing level, 422 street B is not below the lister.
AREA_CREATE_STREET_B = {
    "shi_anweiban": 201, "anweiban": 201, "linqu_anweiban": 422, "jiedao_a": 422, "jiedao_b": 422,
    "lingdao": 403, "wangge_a": 403, "qiye_a": 403, "qiye_b": 403, "zhujian": 403, "yingji": 403, "zhifa_a": 403,
    "admin": 403,
}
#: Who sees 示范区's listing of street B (API detail and page): the levels above and street B itself.
AREA_VIEW_B = {"shi_anweiban", "anweiban", "jiedao_b"}
#: Who sees 示范区's listing of its own 建筑施工 industry: the district's territory and the 住建局 (regulates it).
AREA_VIEW_INDUSTRY = {"shi_anweiban", "anweiban", "zhujian"}


def test_area_listing_create_matrix(w):
    from django.db import transaction

    street_b = w["tree"].street_b
    for user in USERS:
        with transaction.atomic():
            status, data = _post(_client(w, user), "/api/v1/area-listings",
                                 {"target_unit": street_b.pk, "problems": "辖区内小化工企业重大隐患集中", "deadline": _in(90)})
            # 422 when the body names a unit the user does not see at all is also "out of scope".
            assert status == AREA_CREATE_STREET_B[user], (user, status, data)
            transaction.set_rollback(True)


def test_area_listing_region_loop_and_scope(w):
    street_a, street_b = w["tree"].street_a, w["tree"].street_b
    district = OrgUnit.objects.get(pk=street_b.district_id)
    status, data = _post(_client(w, "anweiban"), "/api/v1/area-listings",
                         {"target_unit": street_b.pk, "problems": "辖区内小化工企业重大隐患集中", "requirements": "三个月内完成集中整治",
                          "deadline": _in(90)})
    assert status == 201, data
    listing = AreaListing.objects.get(pk=data["id"])
    assert listing.level == ListingLevel.DISTRICT and listing.listing_unit_id == district.pk
    assert listing.document_no and data["document_no"] == listing.document_no
    from anquan.documents.models import OfficialDocument

    notice = OfficialDocument.objects.get(number=listing.document_no)
    assert notice.about == listing and notice.title == "区域挂牌督办通知"
    assert AuditEvent.objects.filter(action="area_list").count() == 1
    for user in USERS:
        client = _client(w, user)
        api = client.get(f"/api/v1/area-listings/{listing.pk}").status_code
        page = client.get(f"/hazards/area-listings/{listing.pk}/").status_code
        expected = 200 if user in AREA_VIEW_B else 404
        assert (api, page) == (expected, expected), user
        listed = [row["id"] for row in client.get("/api/v1/area-listings").json()] if api == 200 else []
        assert (listing.pk in listed) == (user in AREA_VIEW_B), user
    # The register shows it to the listed street, not to jiedao_a.
    assert listing.object_name in _client(w, "jiedao_b").get("/hazards/listings/").content.decode()
    assert listing.object_name not in _client(w, "jiedao_a").get("/hazards/listings/").content.decode()
    # The workbench to-do of the listed street counts it, and its link shows it.
    from anquan.hazards.todos import area_listings
    from anquan.rules.calendar import today

    assert area_listings(w["users"]["jiedao_b"], today()) == 1
    assert area_listings(w["users"]["anweiban"], today()) == 0  # nothing reported yet
    assert area_listings(w["users"]["jiedao_a"], today()) == 0
    # Report: the listed street only.
    report = f"/api/v1/area-listings/{listing.pk}/report"
    assert _post(_client(w, "anweiban"), report, {"version": listing.version, "report": "已整改"})[0] == 403
    assert _post(_client(w, "jiedao_a"), report, {"version": listing.version, "report": "已整改"})[0] == 404
    status, data = _post(_client(w, "jiedao_b"), report, {"version": listing.version, "report": "已完成集中整治，关停3家"})
    assert status == 200 and data["status"] == AreaListingStatus.REPORTED, data
    assert area_listings(w["users"]["anweiban"], today()) == 1
    # Review (摘牌): the listing level only.
    review = f"/api/v1/area-listings/{listing.pk}/review"
    body = {"version": data["version"], "passed": True, "opinion": "经审查整改到位，予以摘牌"}
    assert _post(_client(w, "shi_anweiban"), review, body)[0] == 403  # sees it, did not list it
    assert _post(_client(w, "jiedao_b"), review, body)[0] == 403     # the listed party never closes its own listing
    assert _post(_client(w, "linqu_anweiban"), review, body)[0] == 404
    status, data = _post(_client(w, "anweiban"), review, body)
    assert status == 200 and data["status"] == AreaListingStatus.DELISTED and data["delisted_at"], data
    assert {"area_list", "area_report", "area_delist"} <= set(AuditEvent.objects.values_list("action", flat=True))
    # A street lists a community of its own, never its neighbour's street nor itself without an industry.
    community_a = OrgUnit.objects.filter(kind=UnitKind.COMMUNITY, path__startswith=street_a.path).order_by("path").first()
    a = _client(w, "jiedao_a")
    status, data = _post(a, "/api/v1/area-listings", {"target_unit": community_a.pk, "problems": "出租房电动自行车充电隐患集中",
                                                      "deadline": _in(30)})
    assert status == 201 and data["level"] == ListingLevel.STREET, data
    assert _client(w, "jiedao_b").get(f"/api/v1/area-listings/{data['id']}").status_code == 404
    assert _post(a, "/api/v1/area-listings", {"target_unit": street_a.pk, "problems": "x", "deadline": _in(30)})[0] == 422


def test_industry_listing_is_seen_and_reported_by_the_regulating_department(w):
    street_b = w["tree"].street_b
    district = OrgUnit.objects.get(pk=street_b.district_id)
    construction = Industry.objects.get(code="construction")
    status, data = _post(_client(w, "anweiban"), "/api/v1/area-listings",
                         {"target_unit": district.pk, "target_industry": construction.pk,
                          "problems": "建筑施工领域深基坑、高支模重大隐患多发", "deadline": _in(60)})
    assert status == 201, data
    assert data["object_name"].endswith("建筑施工行业") or "行业" in data["object_name"]
    for user in USERS:
        expected = 200 if user in AREA_VIEW_INDUSTRY else 404
        assert _client(w, user).get(f"/api/v1/area-listings/{data['id']}").status_code == expected, user
    status, out = _post(_client(w, "zhujian"), f"/api/v1/area-listings/{data['id']}/report",
                        {"version": data["version"], "report": "开展深基坑专项整治，已整改32处"})
    assert status == 200 and out["status"] == AreaListingStatus.REPORTED, out


def test_area_listing_page_form(w):
    street_b = w["tree"].street_b
    client = _client(w, "anweiban")
    assert client.get("/hazards/area-listings/new/").status_code == 200
    assert _client(w, "wangge_a").get("/hazards/area-listings/new/").status_code == 403
    response = client.post("/hazards/area-listings/new/", {"target_unit": street_b.pk, "problems": "", "deadline": _in(30),
                                                          "client_key": "k1"})
    assert response.status_code == 422 and "请填写存在的突出问题" in response.content.decode()
    response = client.post("/hazards/area-listings/new/", {"target_unit": street_b.pk, "problems": "隐患集中",
                                                          "deadline": _in(30), "client_key": "k2"})
    assert response.status_code == 302
    listing = AreaListing.objects.get()
    assert response["Location"] == f"/hazards/area-listings/{listing.pk}/"
    page = _client(w, "jiedao_b").get(response["Location"]).content.decode()
    assert "报告整改情况" in page and listing.document_no in page


# ---------------------------------------------------------------- 区域/行业警示约谈

def _interview(client, **target):
    return _post(client, "/api/v1/interviews", {"held_on": timezone.localdate().isoformat(), "participants": "街道分管负责人",
                                                "content": "通报辖区重大隐患集中情况，提出整改要求", **target})


def test_region_and_industry_interviews(w):
    street_a, street_b = w["tree"].street_a, w["tree"].street_b
    district = OrgUnit.objects.get(pk=street_b.district_id)
    construction, hazchem = Industry.objects.get(code="construction"), Industry.objects.get(code="hazchem")
    # A region (street B) by the district's 安委办; an industry in street B; an industry of its own district.
    status, region = _interview(_client(w, "anweiban"), target_unit=street_b.pk)
    assert status == 201, region
    status, industry = _interview(_client(w, "anweiban"), target_unit=street_b.pk, target_industry=construction.pk)
    assert status == 201 and industry["target_industry"]["id"] == construction.pk, industry
    status, own = _interview(_client(w, "anweiban"), target_unit=district.pk, target_industry=construction.pk)
    assert status == 201, own
    # A department: an industry it regulates in its territory — not one it does not.
    status, dept = _interview(_client(w, "zhujian"), target_unit=street_a.pk, target_industry=construction.pk)
    assert status == 201, dept
    assert _interview(_client(w, "zhujian"), target_unit=street_a.pk, target_industry=hazchem.pk)[0] == 422
    # Out of territory, and roles without the interview action.
    assert _interview(_client(w, "linqu_anweiban"), target_unit=street_b.pk, target_industry=construction.pk)[0] == 422
    assert _interview(_client(w, "jiedao_a"), target_unit=street_a.pk, target_industry=construction.pk)[0] == 403
    assert _interview(_client(w, "wangge_a"), target_unit=street_a.pk)[0] == 403
    # Views: the interviewed street sees its interviews, the other street does not; the regulator of the industry does.
    seen = {
        "jiedao_b": {region["id"], industry["id"]},
        "jiedao_a": {dept["id"]},
        "zhujian": {industry["id"], own["id"], dept["id"]},
        "yingji": set(),
        "linqu_anweiban": set(),
    }
    for user, ids in seen.items():
        client = _client(w, user)
        for record in (region, industry, own, dept):
            expected = 200 if record["id"] in ids else 404
            assert client.get(f"/api/v1/interviews/{record['id']}").status_code == expected, (user, record["id"])
            page = client.get(f"/supervision/interviews/{record['id']}/")
            assert page.status_code == expected, (user, record["id"], page.status_code)
    page = _client(w, "anweiban").get(f"/supervision/interviews/{industry['id']}/").content.decode()
    assert f"{street_b.name}{construction.name}行业" in page
    assert AuditEvent.objects.filter(action="accountability.interview_create").count() == 4


def test_the_listed_party_and_then_the_listing_level_are_notified(w, django_capture_on_commit_callbacks):
    from anquan.notifications.models import Notification

    street_b = w["tree"].street_b
    with django_capture_on_commit_callbacks(execute=True):
        status, data = _post(_client(w, "anweiban"), "/api/v1/area-listings",
                             {"target_unit": street_b.pk, "problems": "小化工企业重大隐患集中", "deadline": _in(60)})
    assert status == 201, data
    told = set(Notification.objects.filter(kind="area_listed").values_list("user__username", flat=True))
    assert told == {"jiedao_b"}
    with django_capture_on_commit_callbacks(execute=True):
        status, data = _post(_client(w, "jiedao_b"), f"/api/v1/area-listings/{data['id']}/report",
                             {"version": data["version"], "report": "已整改"})
    assert status == 200, data
    told = set(Notification.objects.filter(kind="area_listing_reported").values_list("user__username", flat=True))
    assert told == {"anweiban"}
