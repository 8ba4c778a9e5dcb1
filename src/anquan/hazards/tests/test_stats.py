"""The figures of rules.md at their boundaries, and the filter convention their links rely on."""
import datetime
import io
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from PIL import Image

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services, stats
from anquan.hazards.catalogue_data import seed_catalogue
from anquan.hazards.models import Hazard, HazardCategory, ListedSupervision
from anquan.hazards.selectors import filter_hazards, hazard_list, list_url
from anquan.hazards.services.common import place_of
from anquan.orgs.models import UnitKind

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
D = datetime.date
_n = itertools.count(1)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def world(db):
    seed_catalogue()
    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="统计测试厂")
    return {
        "tree": tree, "firm": firm,
        "site_a": make_site(tree.grid_a, enterprise=firm, industry_code="industry_trade"),
        "site_a2": make_site(tree.grid_a2, industry_code="crowded"),
        "site_b": make_site(tree.grid_b, industry_code="construction"),
        "grid": make_user("grid_worker", unit=tree.grid_a),
        "street": make_user("street_staff", unit=tree.street_a),
        "firm_user": make_user("ent_manager", enterprise=firm),
        "anweiban": make_user("anweiban", unit=tree.district),
    }


def row(world, site="site_a", *, found_on, deadline=None, status="pending", closed_on=None, on_time=None, **fields) -> Hazard:
    """A hazard row as the services leave it (place snapshot from place_of), without the loop's ceremony."""
    n = next(_n)
    deadline = deadline or found_on + datetime.timedelta(days=10)
    closed = status == "closed"
    h = Hazard.objects.create(
        number=f"YHT{n:08d}", site=world[site], **place_of(world[site]), description=f"统计测试隐患{n}", source=fields.pop("source", "grid"),
        found_at=datetime.datetime.combine(found_on, datetime.time(9), tzinfo=SH), found_on=found_on,
        recorded_by=world["grid"], recorded_role="grid_worker", deadline=deadline, deadline_in_force=deadline, status=status,
        closed_on=closed_on if closed else None, closed_on_time=on_time if closed else None,
        closed_at=datetime.datetime.combine(closed_on, datetime.time(15), tzinfo=SH) if closed else None, **fields,
    )
    return h


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


# ---------------------------------------------------------------- the figures


def test_rates_over_nothing_are_none_and_shown_as_a_dash(world):
    qs = Hazard.objects.all()
    rate, on_time = stats.rectification_rate(qs, {}, D(2026, 6, 1)), stats.on_time_rate(qs)
    days = stats.average_days_to_close(qs)
    assert (rate.value, on_time.value, days.value) == (None, None, None)
    assert rate.display == on_time.display == days.display == str(rate) == "—"
    assert stats.overdue(qs, {}, D(2026, 6, 1)).value == 0 and stats.total(qs).display == "0"


def test_rectification_rate_as_of_a_date_and_for_a_period(world):
    row(world, found_on=D(2026, 6, 1), status="closed", closed_on=D(2026, 6, 5), on_time=True)
    row(world, found_on=D(2026, 6, 2), status="closed", closed_on=D(2026, 6, 20), on_time=False)
    row(world, found_on=D(2026, 6, 15))
    qs = Hazard.objects.all()
    early = stats.rectification_rate(qs, {}, D(2026, 6, 10))
    assert (early.numerator.value, early.denominator.value, early.display) == (1, 2, "50.0%")
    late = stats.rectification_rate(qs, {}, D(2026, 6, 30))
    assert (late.numerator.value, late.denominator.value) == (2, 3)
    period = {"found_from": "2026-06-01", "found_to": "2026-06-10"}
    in_period = stats.rectification_rate(filter_hazards(qs, period), period, D(2026, 6, 30))
    assert (in_period.numerator.value, in_period.denominator.value, in_period.value) == (2, 2, 1.0)
    # the link of each part lists exactly what it counted
    for figure in (early.numerator, early.denominator, in_period.numerator, in_period.denominator):
        assert ids(filter_hazards(qs, figure.params)) == ids(figure.queryset)
    assert in_period.numerator.params["found_to"] == "2026-06-10"  # the earlier bound is kept
    assert early.url.startswith("/hazards/?") and "closed=1" in early.url


def _record(world, deadline):
    return services.hazard_record(actor=world["grid"], photos=[png()], data={
        "site": world["site_a"].pk, "description": "配电箱未设置漏电保护装置", "source": "grid", "deadline": deadline.isoformat()})


@pytest.mark.frozen("2030-06-05 09:00 +0800")  # the world's people are appointed before the hazards are found
def test_a_hazard_submitted_on_its_deadline_is_on_time_one_a_minute_after_midnight_is_not(world):
    deadline = D(2030, 6, 10)
    with time_machine.travel(datetime.datetime(2030, 6, 5, 10, tzinfo=SH), tick=False):
        in_time, too_late = _record(world, deadline), _record(world, deadline)
    with time_machine.travel(datetime.datetime(2030, 6, 10, 23, 30, tzinfo=SH), tick=False):
        services.hazard_submit(actor=world["firm_user"], hazard=in_time, version=in_time.version, measures_taken="已加装", after_photos=[png()])
    with time_machine.travel(datetime.datetime(2030, 6, 11, 0, 1, tzinfo=SH), tick=False):
        services.hazard_submit(actor=world["firm_user"], hazard=too_late, version=too_late.version, measures_taken="已加装", after_photos=[png()])
    with time_machine.travel(datetime.datetime(2030, 6, 12, 9, tzinfo=SH), tick=False):
        for h in (in_time, too_late):
            services.hazard_verify(actor=world["street"], hazard=h, version=h.version, passed=True)
    rate = stats.on_time_rate(Hazard.objects.all())
    assert (rate.numerator.value, rate.denominator.value, rate.display) == (1, 2, "50.0%")
    assert ids(rate.numerator.queryset) == {in_time.pk}
    closed = stats.average_days_to_close(Hazard.objects.all(), {}, D(2030, 6, 1), D(2030, 6, 30))
    assert closed.value == 7.0  # found 6-5, closed 6-12


@pytest.mark.frozen("2026-06-01 09:00 +0800")
def test_overdue_begins_after_the_deadline_day_in_shanghai(world):
    deadline = D(2026, 6, 10)
    pending = row(world, found_on=D(2026, 6, 1), deadline=deadline)
    rectifying = row(world, found_on=D(2026, 6, 1), deadline=deadline, status="rectifying")
    row(world, found_on=D(2026, 6, 1), deadline=deadline, status="awaiting_verification")  # the verifier's clock, not overdue
    qs = Hazard.objects.all()
    with time_machine.travel(datetime.datetime(2026, 6, 10, 23, 30, tzinfo=SH), tick=False):
        assert timezone.now().date() == D(2026, 6, 10)  # 15:30 UTC
        assert stats.overdue(qs).value == 0
    with time_machine.travel(datetime.datetime(2026, 6, 11, 0, 30, tzinfo=SH), tick=False):
        assert timezone.now().astimezone(datetime.UTC).date() == D(2026, 6, 10)  # still the 10th in UTC
        figure = stats.overdue(qs)
        assert figure.value == 2 and ids(figure.queryset) == {pending.pk, rectifying.pk}
        assert ids(filter_hazards(qs, figure.params)) == {pending.pk, rectifying.pk}


def test_average_days_to_close_over_hazards_closed_in_the_period(world):
    row(world, found_on=D(2026, 6, 1), status="closed", closed_on=D(2026, 6, 5), on_time=True)
    row(world, found_on=D(2026, 6, 2), status="closed", closed_on=D(2026, 6, 12), on_time=True)
    row(world, found_on=D(2026, 6, 2))
    qs = Hazard.objects.all()
    assert stats.average_days_to_close(qs).value == 7.0
    later = stats.average_days_to_close(qs, {}, D(2026, 6, 6), D(2026, 6, 30))
    assert (later.value, later.display, later.params["closed_from"]) == (10.0, "10.0", "2026-06-06")
    assert later.queryset.count() == 1


# ---------------------------------------------------------------- breakdowns


def test_counts_by_status_level_source_category_and_industry(world):
    electric = HazardCategory.objects.get(code="2103")
    site_work = HazardCategory.objects.get(code="JZ03")  # under 物的因素 too
    management = HazardCategory.objects.get(code="4303")
    row(world, found_on=D(2026, 6, 1), category=electric, level="major", source="industry")
    row(world, "site_b", found_on=D(2026, 6, 1), category=site_work, status="closed", closed_on=D(2026, 6, 3), on_time=True)
    row(world, "site_a2", found_on=D(2026, 6, 1), category=management, status="rectifying", source="self")
    row(world, "site_a2", found_on=D(2026, 6, 1))
    qs = Hazard.objects.all()
    assert {f.key: f.value for f in stats.by_status(qs)} == {"pending": 2, "rectifying": 1, "awaiting_verification": 0, "closed": 1}
    assert {f.key: f.value for f in stats.by_level(qs)} == {"general": 3, "major": 1}
    assert {f.key: f.value for f in stats.by_source(qs)} == {"industry": 1, "grid": 2, "self": 1}
    categories = {f.label: f.value for f in stats.by_category(qs)}
    assert categories == {"人的因素": 0, "物的因素": 2, "环境因素": 0, "管理因素": 1, "未分类": 1}
    industries = {f.label: f.value for f in stats.by_industry(qs)}
    assert industries == {"人员密集场所": 2, "工贸": 1, "建筑施工": 1}
    for figure in [*stats.by_status(qs), *stats.by_level(qs), *stats.by_source(qs), *stats.by_category(qs), *stats.by_industry(qs)]:
        assert ids(filter_hazards(qs, figure.params)) == ids(figure.queryset), figure.label


def test_territory_counts_take_two_queries_whatever_the_size(world, django_assert_num_queries):
    tree = world["tree"]
    for site, n in (("site_a", 2), ("site_a2", 1), ("site_b", 1)):
        for _ in range(n):
            row(world, site, found_on=D(2026, 6, 1))
    qs = Hazard.objects.all()
    with django_assert_num_queries(2):
        streets = stats.by_territory(qs, {}, tree.district)
    assert [(f.label, f.value) for f in streets] == [("甲街道", 3), ("乙街道", 1)]
    with django_assert_num_queries(2):
        grids = stats.by_territory(qs, {"level": "general"}, tree.district, kind=UnitKind.GRID)
    assert {f.label: f.value for f in grids} == {"甲一社区第一网格": 2, "甲一社区第二网格": 1, "乙一社区第一网格": 1}
    for _ in range(5):
        row(world, "site_b", found_on=D(2026, 6, 2))
    with django_assert_num_queries(2):
        streets = stats.by_territory(qs, {}, tree.district)
    assert [f.value for f in streets] == [3, 6]
    for figure in grids:
        assert figure.params["unit"] and ids(filter_hazards(qs, figure.params)) == ids(figure.queryset)


def test_every_headline_figure_links_to_what_the_user_sees(world):
    street = world["street"]
    row(world, found_on=D(2026, 6, 1), deadline=D(2026, 6, 5))
    row(world, found_on=D(2026, 6, 1), status="closed", closed_on=D(2026, 6, 4), on_time=True)
    row(world, "site_b", found_on=D(2026, 6, 1), deadline=D(2026, 6, 5))  # another street: not jiedao's
    today = D(2026, 6, 20)
    params = {"found_from": "2026-05-01"}
    qs = hazard_list(street, params, today=today)
    figures = stats.headline(qs, params, today)
    assert figures["total"].value == 2 and figures["overdue"].value == 1
    for figure in (figures["total"], figures["overdue"], figures["days_to_close"], figures["rectification_rate"].numerator,
                   figures["on_time_rate"].numerator):
        assert ids(hazard_list(street, figure.params, today=today)) == ids(figure.queryset)


# ---------------------------------------------------------------- the filter convention


def test_filter_values_that_mean_nothing_match_nothing(world):
    row(world, found_on=D(2026, 6, 1))
    qs = Hazard.objects.all()
    for params in ({"status": "lost"}, {"level": "huge"}, {"found_from": "2026-13-01"}, {"unit": "abc"}, {"unit": "999999"},
                   {"overdue": "maybe"}, {"category": "0"}, {"industry": "-3"}):
        assert not filter_hazards(qs, params).exists(), params
    assert filter_hazards(qs, {"page": "2", "q": "x", "status": ""}).count() == 1  # other names are not filters


def test_unit_category_listed_and_open_filters(world):
    tree = world["tree"]
    a = row(world, found_on=D(2026, 6, 1), category=HazardCategory.objects.get(code="JZ03"), level="major")
    b = row(world, "site_b", found_on=D(2026, 6, 1), status="closed", closed_on=D(2026, 6, 2), on_time=True)
    ListedSupervision.objects.create(hazard=a, level="district", listing_unit=tree.district, document_no="示安委办督〔2026〕9号",
                                     deadline=D(2026, 7, 1), listed_at=timezone.now(), listed_by=world["anweiban"])
    qs = Hazard.objects.all()
    assert ids(filter_hazards(qs, {"unit": tree.street_a.pk})) == {a.pk}
    assert ids(filter_hazards(qs, {"category": HazardCategory.objects.get(code="2").pk})) == {a.pk}
    assert ids(filter_hazards(qs, {"listed": "1"})) == {a.pk} and ids(filter_hazards(qs, {"listed": "0"})) == {b.pk}
    assert ids(filter_hazards(qs, {"status": "open"})) == {a.pk}
    assert ids(filter_hazards(qs, {"status": "pending,closed"})) == {a.pk, b.pk}
    # a unit outside the user's scope filters to nothing, not to everything
    assert not hazard_list(world["street"], {"unit": tree.street_b.pk}).exists()


def test_the_list_puts_overdue_first_then_open_then_closed_each_by_deadline(world):
    later = row(world, found_on=D(2026, 6, 1), deadline=D(2026, 6, 30))
    sooner = row(world, found_on=D(2026, 6, 1), deadline=D(2026, 6, 25))
    overdue = row(world, found_on=D(2026, 6, 1), deadline=D(2026, 6, 15), status="rectifying")
    closed = row(world, found_on=D(2026, 6, 1), deadline=D(2026, 6, 10), status="closed", closed_on=D(2026, 6, 9), on_time=True)
    got = list(hazard_list(world["street"], {}, today=D(2026, 6, 20)).values_list("pk", flat=True))
    assert got == [overdue.pk, sooner.pk, later.pk, closed.pk]  # a closed hazard never sits above open work
    assert list_url({"status": "closed", "unit": 5, "page": 2}) == "/hazards/?status=closed&unit=5"


# ---------------------------------------------------------------- the statutory report


def test_report_periods_and_due_dates():
    from anquan.hazards.statutory_report import report_period

    assert report_period(2026, 1)[:2] == (D(2026, 1, 1), D(2026, 3, 31))
    assert report_period(2026, 4)[:2] == (D(2026, 10, 1), D(2026, 12, 31))
    assert report_period(2026)[2] == "2026年度" and report_period(2026, 3)[2] == "2026年第三季度"
    with pytest.raises(ValueError):
        report_period(2026, 5)


def test_enterprise_report_counts_the_period_s_hazards_and_is_due_by_the_rule(world):
    from openpyxl import load_workbook

    from anquan.hazards.statutory_report import enterprise_report, enterprise_report_xlsx

    firm = world["firm"]
    kept = [
        row(world, found_on=D(2026, 4, 2), status="closed", closed_on=D(2026, 4, 9), on_time=True, funds=1200),
        row(world, found_on=D(2026, 5, 6)),
        row(world, found_on=D(2026, 6, 1), level="major", status="closed", closed_on=D(2026, 6, 28), on_time=False, funds=80000),
        row(world, found_on=D(2026, 6, 20), level="major", status="closed", closed_on=D(2026, 7, 3), on_time=True, funds=5000),
    ]
    ListedSupervision.objects.create(hazard=kept[2], level="district", listing_unit=world["tree"].district, document_no="示安委办督〔2026〕5号",
                                     deadline=D(2026, 7, 1), listed_at=datetime.datetime(2026, 6, 3, 10, tzinfo=SH), listed_by=world["anweiban"])
    row(world, found_on=D(2026, 3, 31), status="closed", closed_on=D(2026, 4, 3), on_time=True)  # found in Q1
    report = enterprise_report(firm, 2026, 2, today=D(2026, 7, 20))
    assert report["due"] == D(2026, 7, 15) and report["overdue_report"] is True and report["as_of"] == D(2026, 6, 30)
    assert (report["total"]["found"].value, report["total"]["rectified"].value, report["total"]["unrectified"]) == (4, 2, 2)
    assert (report["general"]["found"].value, report["general"]["rectified"].value) == (2, 1)
    assert (report["major"]["found"].value, report["major"]["rectified"].value) == (2, 1)  # one closed only in July
    assert report["total"]["rate"].display == "50.0%" and report["total"]["funds"] == 81200
    assert report["listed"].value == 1 and report["on_time_rate"].display == "50.0%"
    assert ids(filter_hazards(Hazard.objects.all(), report["total"]["found"].params)) == {h.pk for h in kept}
    annual = enterprise_report(firm, 2026, today=D(2026, 7, 20))
    assert annual["due"] == D(2027, 1, 31) and annual["total"]["found"].value == 5 and annual["as_of"] == D(2026, 7, 20)
    empty = enterprise_report(firm, 2025, 4, today=D(2026, 7, 20))
    assert empty["due"] == D(2026, 1, 15) and empty["total"]["rate"].display == "—"

    sheet = load_workbook(io.BytesIO(enterprise_report_xlsx(firm, 2026, 2, today=D(2026, 7, 20)))).active
    text = "\n".join(str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None)
    assert "事故隐患排查治理情况统计分析表" in text and "2026年第二季度" in text and "2026年07月15日前" in text
    assert "主要负责人（签字）" in text and firm.principal_name in text and "50.0%" in text
