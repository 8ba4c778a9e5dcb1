"""The accident pages on a small demo city at a frozen moment (23:30 Shanghai): the phone report form with the
level shown while filling it, the detail with legs and clocks, 补报 in and out of the window, scope (404 sideways),
the look-back, the statistics page and its downloads."""
from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from anquan.accidents.models import Accident
from anquan.enterprises.models import Site

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]


@pytest.fixture
def demo(settings, tmp_path):
    from anquan.demo.generator import build_demo

    settings.MEDIA_ROOT = str(tmp_path)
    return build_demo(seed=11, as_of=datetime.date(2026, 11, 22), streets=3, enterprises=40, hazards_per_enterprise=0)


def client_for(demo, username) -> Client:
    c = Client()
    c.force_login(demo.user(username))
    return c


def site_of(demo) -> Site:
    return Site.objects.filter(enterprise=demo.enterprise_a, grid=demo.grid_a, voided_at__isnull=True).order_by("pk").first()


def report(demo, c, **figures) -> Accident:
    site = site_of(demo)
    data = {"site": site.pk, "occurred_at": "2026-11-22T22:50", "learned_at": "2026-11-22T23:00",
            "place": "3号楼北侧脚手架", "account": "作业人员从脚手架坠落", "kind": "fall", "client_key": "k-1",
            "deaths": "1", "missing": "0", "serious_injuries": "0", "injuries": "0", "direct_loss_yuan": "1500000",
            **{k: str(v) for k, v in figures.items()}}
    r = c.post(f"/accidents/new/?site={site.pk}", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    return Accident.objects.get(client_key="k-1")


def test_report_form_prefills_the_unit_profile_and_shows_the_level_live(demo):
    c = client_for(demo, "qiye_a")
    site = site_of(demo)
    page = c.get(f"/accidents/new/?site={site.pk}").content.decode()
    assert demo.enterprise_a.credit_code in page  # 单位概况 from the enterprise ledger
    assert "物体打击" in page and "其他伤害" in page and "中毒和窒息" in page  # the 20 GB 6441 classes
    assert 'data-draft-key="anquan:accident-draft:' in page  # kept in the browser until filed
    assert "较大事故" in c.get("/accidents/classify/?deaths=3&serious_injuries=0&direct_loss_yuan=0").content.decode()
    assert "一般事故" in c.get("/accidents/classify/?deaths=2&serious_injuries=9&direct_loss_yuan=9999999.99").content.decode()
    assert "重大事故" in c.get("/accidents/classify/?deaths=0&serious_injuries=0&direct_loss_yuan=50000000").content.decode()
    bad = c.get("/accidents/classify/?deaths=abc")
    assert bad.status_code == 200 and "非负整数" in bad.content.decode()


def test_filed_accident_is_graded_and_seen_up_the_chain_never_sideways(demo):
    accident = report(demo, client_for(demo, "qiye_a"))
    assert accident.level == "general"
    detail = client_for(demo, "qiye_a").get(f"/accidents/{accident.pk}/").content.decode()
    assert "一般事故" in detail and 'data-leg="unit"' in detail and 'data-leg="county"' in detail
    street = client_for(demo, "jiedao_a").get(f"/accidents/{accident.pk}/")
    assert street.status_code == 200 and "上报时限" in street.content.decode()
    assert accident.number in client_for(demo, "jiedao_a").get("/accidents/").content.decode()
    assert client_for(demo, "jiedao_b").get(f"/accidents/{accident.pk}/").status_code == 404
    assert accident.number not in client_for(demo, "jiedao_b").get("/accidents/").content.decode()
    assert client_for(demo, "jiedao_b").get(f"/accidents/{accident.pk}/lookback/").status_code == 404


def test_same_form_twice_files_one_accident(demo):
    c = client_for(demo, "qiye_a")
    first = report(demo, c)
    report(demo, c)  # a resubmission after a dropped connection carries the same client key
    assert Accident.objects.filter(reported_by=demo.user("qiye_a")).count() == 1 and first.pk


def test_addition_within_window_regrades_and_after_window_is_refused_with_the_date(demo):
    c = client_for(demo, "qiye_a")
    accident = report(demo, c)
    r = c.post(f"/accidents/{accident.pk}/add/", {"version": accident.version, "deaths": "3", "missing": "0",
                                                  "serious_injuries": "0", "injuries": "0", "direct_loss_yuan": "1500000"}, follow=True)
    page = r.content.decode()
    assert "较大" in page
    accident.refresh_from_db()
    assert accident.level == "larger"
    assert "设区的市级人民政府" in page  # the investigating body moved (第二十条)
    assert 'data-leg="province"' in page  # 较大 → reported up to the province
    with time_machine.travel(datetime.datetime(2026, 12, 23, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False):
        c = client_for(demo, "qiye_a")  # a new sign-in: a month later the old session has expired
        r = c.post(f"/accidents/{accident.pk}/add/", {"version": accident.version, "deaths": "4", "missing": "0",
                                                      "serious_injuries": "0", "injuries": "0", "direct_loss_yuan": "1500000"}, follow=True)
    page = r.content.decode()
    assert "2026年12月22日" in page and "届满" in page  # refused, naming the day the window closed
    accident.refresh_from_db()
    assert accident.deaths == 3


def test_detail_states_how_the_window_is_counted(demo):
    accident = report(demo, client_for(demo, "qiye_a"))
    page = client_for(demo, "jiedao_a").get(f"/accidents/{accident.pk}/").content.decode()
    assert "2026年12月22日" in page  # 11-22 + 30 calendar days
    assert "节假日不顺延" in page and "自然日" in page


def test_bad_input_on_the_form_is_shown_not_500(demo):
    c = client_for(demo, "qiye_a")
    site = site_of(demo)
    r = c.post(f"/accidents/new/?site={site.pk}", {"site": site.pk, "occurred_at": "yesterday", "deaths": "-1",
                                                   "kind": "nope", "client_key": "x" * 80})
    assert r.status_code == 422
    assert "报告未提交" in r.content.decode()
    assert not Accident.objects.exists()


def test_lookback_and_statistics_pages(demo):
    accident = report(demo, client_for(demo, "qiye_a"))
    district = client_for(demo, "anweiban")
    assert district.get(f"/accidents/{accident.pk}/lookback/").status_code == 200
    page = district.get("/accidents/statistics/?from=2026-01-01&to=2026-11-22").content.decode()
    assert "比较" in page and "共发生生产安全事故1起、死亡1人" in page
    r = district.get("/accidents/statistics/compare.xlsx?from=2026-01-01&to=2026-11-22")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert sheet.cell(2, 2).value == "合计" and sheet.cell(2, 3).value == 1
    r = district.get("/accidents/statistics/register.xlsx?from=2026-01-01&to=2026-11-22")
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert sheet.cell(2, 1).value == accident.number and sheet.cell(2, 3).value == demo.enterprise_a.credit_code
    for table in ("industry", "territory"):
        r = district.get(f"/accidents/statistics/{table}.xlsx?from=2026-01-01&to=2026-11-22")
        sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
        assert sheet.cell(2, 2).value == 1 and sheet.cell(2, 3).value == 1  # one accident, one death
    assert district.get("/accidents/statistics/nope.xlsx").status_code == 404


def test_accountability_is_opened_from_the_lookback_and_todo_lists_filter(demo):
    accident = report(demo, client_for(demo, "qiye_a"))
    district = client_for(demo, "anweiban")
    page = district.get(f"/accidents/{accident.pk}/lookback/").content.decode()
    assert "企业主体责任" in page and "属地管理责任" in page
    r = district.post(f"/accidents/{accident.pk}/account/", {"target": f"enterprise:{demo.enterprise_a.pk}",
                                                             "content": "未落实高处作业防护", "proposed_handling": "依法处罚"}, follow=True)
    assert "已提出问责" in r.content.decode() and "未落实高处作业防护" in r.content.decode()
    r = district.post(f"/accidents/{accident.pk}/account/", {"target": "nope"}, follow=True)
    assert "请选择问责对象" in r.content.decode()
    assert client_for(demo, "jiedao_b").post(f"/accidents/{accident.pk}/account/", {"target": "unit:1"}).status_code == 404
    for key in ("legs", "investigation_due", "approval_due", "evaluation_due", "bogus"):
        assert district.get(f"/accidents/?todo={key}").status_code == 200


PARTS = dict.fromkeys(("report_unit_profile", "report_course", "report_casualties_loss", "report_cause_nature", "report_responsibility", "report_measures"), "内容")


def test_investigation_to_closing_through_the_detail_page(demo):
    accident = report(demo, client_for(demo, "qiye_a"))
    c = client_for(demo, "anweiban")
    url = f"/accidents/{accident.pk}/"

    def post(verb, **data):
        inv = Accident.objects.get(pk=accident.pk).investigation
        data.setdefault("version", inv.version)
        return c.post(f"{url}{verb}/", data, follow=True).content.decode()

    page = post("form_team", team_formed_on="2026-11-22", team_leader="区应急管理局副局长", organized_by="示范区人民政府",
                team_members="张三 区住建局 成员\n李四 区总工会 成员")
    assert "已成立调查组" in page and "张三" in page and "李四" in page
    page = post("form_team", team_leader="x", team_members="甲 单位\n乙 单位")  # a second time: refused, no 500
    assert "已成立调查组" not in page
    assert "已登记技术鉴定开始" in post("appraisal_start", started_on="2026-11-22", subject="脚手架材质检测")
    appraisal = Accident.objects.get(pk=accident.pk).investigation.appraisals.get()
    assert "尚有未结束的技术鉴定" in post("submit_report", report_submitted_on="2026-11-22", **PARTS)
    assert "已登记技术鉴定结束" in post("appraisal_end", appraisal=appraisal.pk, ended_on="2026-11-22")
    assert "调查报告已提交" in post("submit_report", report_submitted_on="2026-11-22", **PARTS)
    assert "已登记批复" in post("approve", approved_on="2026-11-22", approval_number="示政批〔2026〕1号")
    for item in ("cause", "responsible", "measures", "educated"):
        assert "已记录四不放过落实情况" in post("four_nots", item=item, evidence="见调查报告及处理决定")
    a = Accident.objects.get(pk=accident.pk)
    page = c.post(f"{url}close/", {"version": a.version}, follow=True).content.decode()
    assert "事故已结案" in page
    assert Accident.objects.get(pk=accident.pk).status == "closed"
    assert client_for(demo, "jiedao_b").post(f"{url}close/", {"version": a.version}).status_code == 404
    assert c.post(f"{url}nope/", {}).status_code == 404


def test_every_demo_user_gets_the_pages_without_a_500(demo):
    accident = report(demo, client_for(demo, "qiye_a"))
    for username in demo.users:
        c = client_for(demo, username)
        for url in ("/accidents/", "/accidents/statistics/", "/accidents/new/", f"/accidents/{accident.pk}/",
                    f"/accidents/{accident.pk}/lookback/", "/accidents/statistics/register.xlsx"):
            status = c.get(url).status_code
            assert status in (200, 403, 404), (username, url, status)


def test_late_finding_on_the_page_names_a_street_a_department_or_the_enterprise(demo):
    from anquan.orgs.models import Department, DepartmentKind, OrgUnit, UnitKind

    accident = report(demo, client_for(demo, "qiye_a"))
    chain = accident.unit.ancestor_ids()
    street = OrgUnit.objects.get(pk__in=chain, kind=UnitKind.STREET)
    district = OrgUnit.objects.get(pk__in=chain, kind=UnitKind.DISTRICT)
    other_street = OrgUnit.objects.filter(kind=UnitKind.STREET, path__startswith=district.path).exclude(pk=street.pk).first()
    anweiban = Department.objects.get(unit=district, kind=DepartmentKind.SAFETY_COMMITTEE)
    c = client_for(demo, "anweiban")
    url = f"/accidents/{accident.pk}/"
    page = c.get(url).content.decode()
    for option in (f'value="unit:{street.pk}"', f'value="unit:{district.pk}"', f'value="department:{anweiban.pk}"',
                   f'value="enterprise:{demo.enterprise_a.pk}"'):
        assert option in page
    assert f'value="unit:{other_street.pk}"' not in page  # never sideways
    leg = accident.legs.order_by("pk").first()

    def post(target, description="街道接报后未在2小时内上报"):
        return c.post(f"{url}late_finding/", {"kind": "late", "target": target, "leg": leg.pk, "description": description},
                      follow=True).content.decode()

    assert "已记录迟报、漏报、谎报、瞒报认定" in post(f"unit:{street.pk}")
    assert "已记录迟报、漏报、谎报、瞒报认定" in post(f"department:{anweiban.pk}", "区安委办未通知工会")
    assert "已记录迟报、漏报、谎报、瞒报认定" in post(f"enterprise:{demo.enterprise_a.pk}", "单位负责人未在1小时内报告")
    findings = accident.late_findings.order_by("pk")
    assert [(f.against_unit_id, f.against_department_id, f.against_enterprise_id) for f in findings] == [
        (street.pk, None, None), (None, anweiban.pk, None), (None, None, demo.enterprise_a.pk)]
    page = c.get(url).content.decode()
    assert f"迟报 · {street.name}" in page and f"{anweiban.name}" in page
    for bad in (f"unit:{other_street.pk}", "nope", "unit:", "department:x", "unit:99999999999999999999"):
        assert "请选择" in post(bad)  # refused in Chinese on the page, no 500
        assert accident.late_findings.count() == 3
    assert client_for(demo, "jiedao_b").post(f"{url}late_finding/", {"kind": "late", "target": f"unit:{street.pk}"}).status_code == 404


def test_first_time_user_sees_labelled_filters_helpful_empty_states_and_only_actions_they_may_take(demo):
    qiye, district = client_for(demo, "qiye_a"), client_for(demo, "anweiban")
    page = qiye.get("/accidents/").content.decode()
    assert "本辖区尚无生产安全事故记录" in page and "1小时内报告" in page  # the empty list says what to do
    assert 'for="f-from">发生日期 自' in page and 'for="f-to">至' in page
    page = qiye.get("/accidents/?level=major").content.decode()
    assert "没有符合条件的事故记录" in page and "清除筛选条件" in page
    accident = report(demo, qiye)
    assert "从一案双查倒查发起问责" not in qiye.get(f"/accidents/{accident.pk}/").content.decode()
    assert "从一案双查倒查发起问责" not in client_for(demo, "jiedao_a").get(f"/accidents/{accident.pk}/").content.decode()
    assert "从一案双查倒查发起问责" in district.get(f"/accidents/{accident.pk}/").content.decode()
    page = client_for(demo, "jiedao_a").get("/accidents/statistics/").content.decode()
    assert "相比分别增加1起、增加1人、持平和增加150.00万元" in page  # not "上年同期为0" in the sentence


def test_accountability_decision_on_the_detail_page(demo):
    from anquan.supervision.models import AccountabilityRecord

    accident = report(demo, client_for(demo, "qiye_a"))
    district = client_for(demo, "anweiban")
    url = f"/accidents/{accident.pk}/"
    district.post(f"{url}account/", {"target": f"enterprise:{demo.enterprise_a.pk}", "content": "未落实高处作业防护",
                                     "proposed_handling": "依法处罚"})
    rec = AccountabilityRecord.objects.get(accident=accident)
    assert "作出处理决定" in district.get(url).content.decode()
    for below in ("qiye_a", "jiedao_a"):  # the enterprise; the street below the investigating county
        assert "作出处理决定" not in client_for(demo, below).get(url).content.decode()
    for bad, says in (({"record": "nope"}, "不属于该事故"), ({"decided_on": "2026-11-23"}, "不能晚于今天"),
                      ({"decided_handling": ""}, "处理决定"), ({"version": "x"}, "版本号")):
        data = {"record": rec.pk, "version": rec.version, "decided_handling": "罚款二十万元", **bad}
        page = district.post(f"{url}account_decide/", data, follow=True)
        assert page.status_code == 200 and says in page.content.decode(), bad
    assert AccountabilityRecord.objects.get(pk=rec.pk).status == "proposed"
    page = district.post(f"{url}account_decide/", {"record": rec.pk, "version": rec.version, "decided_handling": "罚款二十万元"},
                         follow=True).content.decode()
    assert "已作出问责处理决定" in page and "罚款二十万元（2026年11月22日）" in page
    assert AccountabilityRecord.objects.get(pk=rec.pk).status == "decided"
    assert client_for(demo, "jiedao_b").post(f"{url}account_decide/", {"record": rec.pk}).status_code == 404
