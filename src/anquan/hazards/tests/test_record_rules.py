"""The domain rules of recording a hazard (issue 11, finding 3 and the rules of finding 7).

* 立查立改 by an enterprise is a rectification like any other: it waits (待验收) for a second
  person of the enterprise; an official's 立查立改 is the official's verification of a fix made in
  front of them and closes on the spot.
* 重大 is judged, not typed: recording one needs a 判定标准 item and, for officials, the judging
  permission (a grid worker records 一般 and the street judges); an enterprise reports its own.
* Dates are bounded by rules of the catalogue: found no earlier than ``hazard.found_at.max_past_days``
  before today and not in the future; a deadline no later than ``hazard.deadline.max_days`` after
  the day it is set (recording, extension, 回头看, 挂牌督办, an inspection's 整改天数).
* The 责任人 of 五落实 belongs to whoever answers for the fix (the site's enterprise; at a place
  without one, its street, community or grid), never merely to someone the recorder can see.

The clock is frozen at 23:30 in Shanghai (15:30 UTC), and the world is built at that moment.
"""
from __future__ import annotations

import datetime
import uuid

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anquan.accounts.models import Person
from anquan.core.errors import Invalid
from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.hazards.choices import HazardLevel, HazardStatus, Verdict
from anquan.hazards.models import Hazard
from anquan.hazards.services.recording import HazardForm
from anquan.notifications.models import Notification
from anquan.rules.calendar import SHANGHAI

from .test_api import b64, call, client_for
from .test_api_supervision import criterion
from .test_loop_smoke import png

MOMENT = "2026-11-30 23:30 +0800"  # a Monday; 15:30 UTC
TODAY = datetime.date(2026, 11, 30)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen(MOMENT)]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="规则测试厂", industries=("industry_trade",))
    return {
        "tree": tree, "firm": firm,
        "site": make_site(tree.grid_a, enterprise=firm, industry_code="industry_trade"),
        "bare_site": make_site(tree.grid_a, industry_code="industry_trade"),  # a place without an enterprise
        "far_site": make_site(tree.other_grid, industry_code="industry_trade"),
        "grid": make_user("grid_worker", unit=tree.grid_a),
        "street": make_user("street_staff", unit=tree.street_a),
        "yingji": make_user("dept_staff", department=tree.yingji),
        "inspector": make_user("inspector", department=tree.yingji),
        "anweiban": make_user("anweiban", unit=tree.district),
        "city": make_user("anweiban", unit=tree.city),
        "other_anweiban": make_user("anweiban", unit=tree.other_district),
        "firm_user": make_user("ent_manager", enterprise=firm),
        "firm_boss": make_user("ent_principal", enterprise=firm),
        "admin": make_user("sysadmin"),
    }


SOURCE = {"grid": "grid", "street": "territorial", "yingji": "industry", "inspector": "industry", "anweiban": "territorial",
          "firm_user": "self", "firm_boss": "self"}


def chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def body(world, who, **extra) -> dict:
    return {"site": world["site"].pk, "description": "消防通道堆放杂物", "source": SOURCE[who],
            "deadline": (TODAY + datetime.timedelta(days=10)).isoformat(), **extra}


def post(world, who, **extra):
    return call(client_for(world[who]), "post", "/api/v1/hazards", body(world, who, **extra))


# ------------------------------------------------------------------ 立查立改


def test_an_enterprise_fixing_on_the_spot_waits_for_a_second_person_of_the_enterprise(world, django_capture_on_commit_callbacks):
    """The finding: qiye_a recorded and closed its own hazard alone. Now the fix waits (待验收), the
    recorder cannot verify it, and another person of the enterprise is told and closes it."""
    with django_capture_on_commit_callbacks(execute=True):
        status, data = post(world, "firm_user", immediate=True, photos=[b64(png())], after_photos=[b64(png())])
    assert status == 201, data
    assert data["status"] == HazardStatus.AWAITING and data["immediate"] is True
    hazard = Hazard.objects.get(pk=data["id"])
    rnd = hazard.rounds.get()
    assert rnd.submitted_by == world["firm_user"] and rnd.verdict == Verdict.PENDING and rnd.verified_by is None
    assert hazard.closed_at is None and hazard.closed_by is None and hazard.photos.filter(kind="after", round=rnd).count() == 1
    assert Notification.objects.filter(user=world["firm_boss"], kind="verification_waiting").count() == 1
    assert not Notification.objects.filter(user=world["firm_user"]).exists()

    url = f"/api/v1/hazards/{hazard.pk}/verify"
    status, refused = call(client_for(world["firm_user"]), "post", url, {"version": hazard.version, "passed": True})
    assert status == 403 and "不能验收自己提交的整改" in refused["detail"]
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.AWAITING
    status, closed = call(client_for(world["firm_boss"]), "post", url, {"version": hazard.version, "passed": True})
    assert status == 200 and closed["status"] == HazardStatus.CLOSED
    hazard.refresh_from_db()
    assert hazard.closed_by == world["firm_boss"] and hazard.closed_on == TODAY and hazard.closed_on_time is True


@pytest.mark.parametrize(("who", "site", "expected"), [
    ("firm_user", "site", HazardStatus.AWAITING),  # the enterprise fixed it itself: a second person verifies
    ("firm_boss", "site", HazardStatus.AWAITING),
    ("grid", "site", HazardStatus.CLOSED),  # an official saw the enterprise fix it: that is the verification
    ("street", "site", HazardStatus.CLOSED),
    ("yingji", "site", HazardStatus.CLOSED),
    ("anweiban", "site", HazardStatus.CLOSED),
    ("street", "bare_site", HazardStatus.CLOSED),
])
def test_who_closes_on_the_spot(world, who, site, expected):
    """Role × 立查立改: who closes at once and who waits; a closure is always verified by someone
    other than the submitter, except an official's own on-the-spot confirmation."""
    status, data = post(world, who, site=world[site].pk, immediate=True, after_photos=[b64(png())])
    assert status == 201, data
    hazard = Hazard.objects.get(pk=data["id"])
    rnd = hazard.rounds.get()
    assert hazard.status == expected
    if expected == HazardStatus.CLOSED:
        assert rnd.verified_by == world[who] and hazard.closed_by == world[who] and hazard.closed_on == TODAY
    else:
        assert rnd.verified_by is None and hazard.closed_by is None and hazard.submitted_at is not None


def test_the_record_page_says_an_enterprise_fix_waits(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(world["firm_user"])
    response = client.post(f"/hazards/new/?site={world['site'].pk}", {
        "site": world["site"].pk, "description": "灭火器压力不足", "source": "self", "level": "general", "immediate": "on",
        "after_photos": [SimpleUploadedFile("after.png", png(), "image/png")]}, follow=True)
    assert response.status_code == 200
    assert "待本企业其他人员验收" in response.content.decode()
    assert Hazard.objects.get(description="灭火器压力不足").status == HazardStatus.AWAITING


# ------------------------------------------------------------------ 重大


@pytest.mark.parametrize(("who", "with_criterion", "expected"), [
    ("grid", False, ("level", 422)),  # the finding: a grid worker typed 重大 with nothing behind it
    ("grid", True, ("level", 422)),  # no judging permission: records 一般, the street judges
    ("street", False, ("criterion", 422)),
    ("street", True, (None, 201)),
    ("yingji", False, ("criterion", 422)),
    ("yingji", True, (None, 201)),
    ("inspector", True, (None, 201)),
    ("firm_user", False, ("criterion", 422)),
    ("firm_user", True, (None, 201)),  # an enterprise reports its own 重大 hazard (to its regulator)
])
def test_recording_major_needs_the_judging_permission_and_a_criterion(world, who, with_criterion, expected):
    extra = {"level": "major", **({"criterion": criterion("industry_trade").pk} if with_criterion else {})}
    status, data = post(world, who, **extra)
    field, code = expected
    assert status == code, data
    if field:
        assert field in data["errors"] and chinese(data["errors"][field][0])
        assert not Hazard.objects.exists()
    else:
        assert data["level"] == HazardLevel.MAJOR and data["criterion_id"] == criterion("industry_trade").pk


@pytest.mark.parametrize("who", ["grid", "street", "firm_user"])
def test_recording_general_needs_nothing_more(world, who):
    status, data = post(world, who, level="general")
    assert status == 201 and data["level"] == HazardLevel.GENERAL


def test_a_criterion_alone_is_refused_to_a_grid_worker(world):
    """Picking a criterion makes the hazard 重大 whatever the level says: the same permission applies."""
    status, data = post(world, "grid", level="general", criterion=criterion("industry_trade").pk)
    assert status == 422 and "判定" in data["errors"]["level"][0]


def test_the_record_page_refuses_major_from_a_grid_worker(world):
    client = Client()
    client.force_login(world["grid"])
    hint = "疑似重大事故隐患的，按一般事故隐患登记"
    assert hint in client.get(f"/hazards/new/?site={world['site'].pk}").content.decode()
    street = Client()
    street.force_login(world["street"])
    assert hint not in street.get(f"/hazards/new/?site={world['site'].pk}").content.decode()
    response = client.post(f"/hazards/new/?site={world['site'].pk}", {
        "site": world["site"].pk, "description": "有限空间作业未检测", "source": "grid", "level": "major",
        "criterion": criterion("industry_trade").pk, "deadline": "2026-12-20"})
    assert response.status_code == 422
    assert "网格员不能直接登记重大事故隐患" in response.content.decode()
    assert not Hazard.objects.exists()


# ------------------------------------------------------------------ dates


def test_the_dates_of_the_finding_are_refused(world):
    """found 2001-01-01 and deadline 9999-12-31 (the red-team's values) answer 422 in Chinese."""
    status, data = post(world, "street", found_at="2001-01-01T09:00:00+08:00")
    assert status == 422 and "发现时间不能早于2025-11-30" in data["errors"]["found_at"][0]
    status, data = post(world, "street", deadline="9999-12-31")
    assert status == 422 and data["errors"]["deadline"] == ["整改期限不能晚于2027-11-30（自发现之日起最长365日；确需更长时间的，到期前申请延期）"]
    status, data = post(world, "street", immediate=True, deadline="9999-12-31", after_photos=[b64(png())])
    assert status == 422 and "deadline" in data["errors"]  # not stored even when 立查立改 ignores it
    assert not Hazard.objects.exists()


@pytest.mark.parametrize(("found_at", "ok"), [
    ("2025-11-30T00:00:00+08:00", True),  # exactly 365 days before today (Shanghai)
    ("2025-11-29T16:00:00Z", True),  # the same moment in UTC, whose date is a day earlier
    ("2025-11-29T23:59:00+08:00", False),
    ("2025-11-29T15:59:00Z", False),
    ("2026-11-30T23:34:00+08:00", True),  # a phone's clock a few minutes ahead
    ("2026-11-30T23:36:00+08:00", False),
    ("2026-12-01T00:00:00+08:00", False),  # tomorrow in Shanghai, still 11-30 in UTC
])
def test_found_at_boundaries(world, found_at, ok):
    status, data = post(world, "street", found_at=found_at, deadline="2026-11-30")
    assert (status == 201) is ok, data
    if not ok:
        assert "found_at" in data["errors"]


@pytest.mark.parametrize(("found_at", "deadline", "ok"), [
    (None, "2027-11-30", True),  # found today: 365 days
    (None, "2027-12-01", False),
    ("2026-06-01T08:00:00+08:00", "2027-06-01", True),  # counted from the day found
    ("2026-06-01T08:00:00+08:00", "2027-06-02", False),
    ("2025-12-01T08:00:00+08:00", "2026-12-01", True),
    ("2026-11-29T23:30:00+08:00", "2026-11-29", True),  # the day found is the earliest
    ("2026-11-29T23:30:00+08:00", "2026-11-28", False),
])
def test_deadline_boundaries(world, found_at, deadline, ok):
    extra = {"deadline": deadline, **({"found_at": found_at} if found_at else {})}
    status, data = post(world, "street", **extra)
    assert (status == 201) is ok, data


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(found=st.integers(min_value=-900, max_value=3), period=st.integers(min_value=-3, max_value=900))
def test_the_form_accepts_exactly_the_bounded_dates(world, found, period):
    """For any day found (relative to today) and any deadline (relative to that day), the shared form
    accepts iff found within [today−365, today] and deadline within [found, found+365]."""
    found_on = TODAY + datetime.timedelta(days=found)
    found_at = datetime.datetime.combine(found_on, datetime.time(23, 30), tzinfo=SHANGHAI)
    deadline = found_on + datetime.timedelta(days=period)
    form = HazardForm(data={"description": "随机", "source": "territorial", "found_at": found_at.isoformat(),
                            "deadline": deadline.isoformat()})
    assert form.is_valid() is (-365 <= found <= 0 and 0 <= period <= 365), (found, period, form.errors)


def test_a_locality_sets_its_own_maximum(world):
    """The maximum is a rule: a district that sets 30 days refuses day 31 there and nowhere else."""
    from anquan.rules.services import override_set

    override_set(actor=world["admin"], key="hazard.deadline.max_days", value=30, unit=world["tree"].district,
                 reason="本区整改期限一般不超过30日")
    status, data = post(world, "street", deadline="2026-12-31")
    assert status == 422 and "30日" in data["errors"]["deadline"][0]
    assert post(world, "street", deadline="2026-12-30")[0] == 201
    status, data = call(client_for(world["other_anweiban"]), "post", "/api/v1/hazards",
                        {**body(world, "anweiban"), "site": world["far_site"].pk, "deadline": "2027-11-30"})
    assert status == 201, data


def test_the_record_page_applies_the_localitys_maximum(world):
    """The page form validates with the site's locality, so a district's longer maximum is not refused
    by the page before the service sees it (nor a shorter one let through)."""
    from anquan.rules.services import override_set

    override_set(actor=world["admin"], key="hazard.deadline.max_days", value=400, unit=world["tree"].district, reason="本区规定")
    client = Client()
    client.force_login(world["street"])

    def record(description, deadline):
        return client.post(f"/hazards/new/?site={world['site'].pk}", {
            "site": world["site"].pk, "description": description, "source": "territorial", "level": "general",
            "deadline": deadline})

    assert record("第一处", "2028-01-04").status_code == 302  # 400 days after 2026-11-30
    refused = record("第二处", "2028-01-05")
    assert refused.status_code == 422 and "整改期限不能晚于2028-01-04" in refused.content.decode()


def test_an_extension_and_a_reopening_are_bounded_too(world):
    hazard = services.hazard_record(actor=world["street"], data=body(world, "street"))
    firm = client_for(world["firm_user"])
    url = f"/api/v1/hazards/{hazard.pk}"
    status, data = call(firm, "post", f"{url}/request-extension", {"new_deadline": "9999-12-31", "reason": "资金不足"})
    assert status == 422 and "不能晚于2027-11-30" in data["errors"]["new_deadline"][0]
    status, data = call(firm, "post", f"{url}/request-extension", {"new_deadline": "2027-11-30", "reason": "资金不足"})
    assert status == 200 and data["extensions"][0]["requested_deadline"] == "2027-11-30", data

    closed = services.hazard_record(actor=world["street"], data=body(world, "street", immediate=True), after_photos=[png()])
    far, last = datetime.date(9999, 12, 31), datetime.date(2027, 11, 30)
    with pytest.raises(Invalid) as err:
        services.hazard_recheck(actor=world["street"], hazard=closed, version=closed.version, passed=False,
                                reason="回头看发现复发", new_deadline=far)
    assert "不能晚于2027-11-30" in err.value.errors["new_deadline"][0]
    services.hazard_recheck(actor=world["street"], hazard=closed, version=closed.version, passed=False,
                            reason="回头看发现复发", new_deadline=last)

    plan = dict.fromkeys(("report_situation", "report_harm", "plan_goal", "plan_methods", "plan_funds", "plan_org",
                          "plan_timeline", "plan_safety"), "已编制")
    major = services.hazard_record(actor=world["street"], data=body(world, "street", criterion=criterion("industry_trade").pk, **plan))
    with pytest.raises(Invalid) as err:
        services.hazard_list(actor=world["anweiban"], hazard=major, version=major.version, deadline=far, document_no="")
    assert "督办期限不能晚于2027-11-30" in err.value.errors["deadline"][0]


def test_an_inspection_answer_uses_the_same_maximum(world):
    """perform's 整改天数 reads the same rule as recording (it was a literal 365)."""
    from anquan.inspections.tests.factories import make_task
    from anquan.rules.services import override_set

    site = world["site"]
    task = make_task(site, inspectors=[world["inspector"]], kind="industry", department=world["tree"].yingji, items=1)
    part = task.parts.get()
    item = part.checklist.items.order_by("sort").first()
    client = client_for(world["inspector"])

    def answer(days):
        return call(client, "put", f"/api/v1/inspections/{task.pk}/answers", {
            "client_id": str(uuid.uuid4()), "part": part.pk, "item": item.pk, "result": "nonconform",
            "hazard_description": "安全出口堵塞", "rectify_days": days})

    assert answer(365)[0] in (200, 201)
    status, data = answer(366)
    assert status == 422 and data["errors"]["rectify_days"] == ["整改期限应为1至365天"]
    override_set(actor=world["admin"], key="hazard.deadline.max_days", value=30, unit=world["tree"].district, reason="本区规定")
    status, data = answer(31)
    assert status == 422 and data["errors"]["rectify_days"] == ["整改期限应为1至30天"]


# ------------------------------------------------------------------ 责任人


def person(name, **home) -> Person:
    return Person.objects.create(name=name, **home)


@pytest.mark.parametrize(("site", "home", "ok"), [
    ("site", "firm", True),  # the enterprise answers for its sites (主体责任)
    ("site", "street_a", False),
    ("site", "district", False),
    ("site", "city", False),  # the finding: the street named a city official
    ("bare_site", "street_a", True),  # a place without an enterprise: its street, community or grid (属地)
    ("bare_site", "community_a", True),
    ("bare_site", "grid_a", True),
    ("bare_site", "grid_a2", False),  # a neighbouring grid does not answer for this place
    ("bare_site", "district", False),
    ("bare_site", "city", False),
    ("bare_site", "yingji", False),
    ("bare_site", "firm", False),
])
@pytest.mark.parametrize("verb", ["record", "update"])
def test_the_responsible_person_belongs_to_who_answers_for_the_fix(world, site, home, ok, verb):
    tree = world["tree"]
    if home == "firm":
        named = person("企业安全员", enterprise=world["firm"])
    elif home == "yingji":
        named = person("应急局干部", department=tree.yingji, unit=tree.district)
    else:
        named = person("干部", unit=getattr(tree, home))
    street = client_for(world["street"])
    if verb == "record":
        status, data = call(street, "post", "/api/v1/hazards",
                            {**body(world, "street"), "site": world[site].pk, "responsible_person": named.pk})
    else:
        hazard = services.hazard_record(actor=world["street"], data={**body(world, "street"), "site": world[site].pk})
        status, data = call(street, "patch", f"/api/v1/hazards/{hazard.pk}",
                            {"version": hazard.version, "responsible_person": named.pk})
    if ok:
        assert status in (200, 201) and data["responsible_person"]["id"] == named.pk, data
    else:
        assert status == 422 and "责任人" in data["errors"]["responsible_person"][0], data
        assert not Hazard.objects.filter(responsible_person=named).exists()


def test_a_responsible_person_typed_by_name_is_placed_with_who_answers(world):
    hazard = services.hazard_record(actor=world["street"], data={**body(world, "street"), "responsible_name": "王五",
                                                                 "responsible_phone": "13800000000"})
    assert hazard.responsible_person.enterprise == world["firm"]
    hazard = services.hazard_record(actor=world["street"], data={**body(world, "street"), "site": world["bare_site"].pk,
                                                                 "responsible_name": "赵六"})
    assert hazard.responsible_person.unit == world["tree"].grid_a and hazard.responsible_person.enterprise is None


def test_invalid_is_the_error_of_the_service(world):
    """The service refuses on its own (importer and inspections call it without the API)."""
    with pytest.raises(Invalid) as err:
        services.hazard_record(actor=world["grid"], data={**body(world, "grid"), "criterion": criterion("industry_trade").pk})
    assert "level" in err.value.errors
