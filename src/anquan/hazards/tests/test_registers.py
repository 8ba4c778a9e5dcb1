"""The registers of what waits on someone, on the demo city at 23:30 on its as-of date: filters, counts,
the countdowns (an extension due tomorrow, the 挂牌督办 on-site review clock), audited exports read
back with openpyxl, scoping (out-of-scope rows never appear), and the overdue inspection tasks."""
from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from anquan.accounts.scope import active_assignments
from anquan.audit.models import AuditEvent
from anquan.demo.hazard_scenes import scene
from anquan.hazards.models import Hazard, ListedSupervision, OverdueExplanation
from anquan.hazards.services.common import may_oversee, oversee_q
from anquan.inspections.models import Inspection
from anquan.rules.calendar import local_date
from anquan.rules.deadlines import listing_review_due
from anquan.workbench.tests.demo_world import AS_OF, MOMENT, demo, signed_in  # noqa: F401 - fixtures

pytestmark = [pytest.mark.frozen(MOMENT), pytest.mark.django_db]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def rows(client, url) -> list:
    return list(page(client, url).context["page"].object_list)


def sheet(client, url) -> list[tuple]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_jiedao_a_finds_his_extension_due_tomorrow(demo, signed_in):
    client = signed_in(demo.users["jiedao_a"])
    url = "/hazards/extensions/?status=pending&mine=1"
    found = rows(client, url)
    assert [e.hazard_id for e in found] == [scene("A13").pk]
    assert found[0].days_left == 1 and found[0].previous_deadline == AS_OF + datetime.timedelta(days=1)
    assert "明天到期" in page(client, url).content.decode()
    # the requester sees his request but never as his to decide; another street never sees it
    assert rows(signed_in(demo.users["qiye_a"]), url) == []
    assert len(rows(demo_client := signed_in(demo.users["qiye_a"]), "/hazards/extensions/?status=pending")) == 1
    assert demo_client.get("/hazards/extensions/export.xlsx").status_code == 403  # an enterprise does not export
    client_b = signed_in(demo.users["jiedao_b"])
    assert scene("A13").number not in page(client_b, "/hazards/extensions/").content.decode()
    numbers = {r[0] for r in sheet(client_b, "/hazards/extensions/export.xlsx")[1:]}
    assert scene("A13").number not in numbers
    assert all(Hazard.objects.get(number=n).grid_path.startswith(demo.street_b.path) for n in numbers)


def test_the_listing_register_counts_down(demo, signed_in):
    client = signed_in(demo.users["anweiban"])
    listings = rows(client, "/hazards/listings/")
    # four by the district and the city, one by 东城街 at street level (scene A14)
    assert len(listings) == ListedSupervision.objects.filter(hazard__district=demo.district).count() == 5
    assert sum(li.level == "street" for li in listings) == 1
    for li in listings:
        assert li.days_left == (None if li.delisted_at else (li.deadline - AS_OF).days)
    applied = rows(client, "/hazards/listings/?status=resume_applied")
    assert len(applied) == 1
    due = listing_review_due(local_date(applied[0].resume_applied_at), unit=applied[0].listing_unit)
    assert applied[0].review_days_left == (due - AS_OF).days == 5
    assert [li.pk for li in rows(client, "/hazards/listings/?mine=1")] == [applied[0].pk]
    assert {li.level for li in rows(client, "/hazards/listings/?level=city")} == {"city"}
    assert len(rows(client, "/hazards/listings/?status=active")) == 4
    # the city sees the district's listings but does not review them; the neighbour district sees none
    assert rows(signed_in(demo.users["shi_anweiban"]), "/hazards/listings/?mine=1") == []
    assert rows(signed_in(demo.users["linqu_anweiban"]), "/hazards/listings/") == []


def test_register_export_is_the_filtered_rows_and_audited(demo, signed_in):
    client = signed_in(demo.users["anweiban"])
    listed = rows(client, "/hazards/listings/?status=active")
    before = AuditEvent.objects.filter(action="register_export").count()
    table = sheet(client, "/hazards/listings/export.xlsx?status=active")
    head, body = table[0], table[1:]
    assert head[:3] == ("隐患编号", "场所", "企业") and "剩余天数" in head and "审查剩余天数" in head
    assert [r[0] for r in body] == [li.hazard.number for li in listed]
    days = head.index("剩余天数")
    assert [r[days] for r in body] == [li.days_left for li in listed]
    event = AuditEvent.objects.filter(action="register_export").latest("pk")
    assert AuditEvent.objects.filter(action="register_export").count() == before + 1
    assert event.actor == demo.users["anweiban"] and event.after["rows"] == len(listed)
    assert event.after["register"] == "listings"


def test_explanations_and_escalations(demo, signed_in):
    from anquan.hazards import services

    anweiban = demo.users["anweiban"]
    services.hazard_escalate(actor=anweiban, hazard=scene("A3"), text="整改涉及规划调整，提请区政府研究")
    client = signed_in(anweiban)
    mine = OverdueExplanation.objects.filter(hazard__district=demo.district, hazard__voided_at__isnull=True)
    for kind in ("explanation", "escalation"):
        assert count(client, f"/hazards/explanations/?kind={kind}") == mine.filter(kind=kind).count() > 0
        still_open = mine.filter(kind=kind).exclude(hazard__status="closed").count()
        assert count(client, f"/hazards/explanations/?kind={kind}&open=1") == still_open
    day = local_date(mine.order_by("submitted_at").first().submitted_at)
    on_day = rows(client, f"/hazards/explanations/?from={day}&to={day}")
    assert on_day and all(local_date(x.submitted_at) == day for x in on_day)
    table = sheet(client, "/hazards/explanations/export.xlsx?kind=escalation")
    assert len(table) - 1 == mine.filter(kind="escalation").count()
    assert {r[0] for r in table[1:]} == {"提请政府研究"} and scene("A3").number in {r[1] for r in table[1:]}
    assert count(signed_in(demo.users["linqu_anweiban"]), f"/hazards/explanations/?q={scene('A5').number}") == 0


def count(client, url) -> int:
    return page(client, url).context["page"].paginator.count


@pytest.mark.parametrize("base", ["/hazards/listings/", "/hazards/extensions/", "/hazards/explanations/"])
def test_meaningless_filters_show_nothing_and_never_fail(demo, signed_in, base):
    client = signed_in(demo.users["anweiban"])
    for query in ("status=bogus", "unit=abc", "unit=999999", "level=x", "mine=2", "kind=y", "open=maybe",
                  "from=2026-13-01", "q=" + "隐" * 300, "page=99999"):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200, query
        if not query.startswith(("q=", "page=")) and query.split("=")[0] in _filters(base):
            assert response.context["page"].paginator.count == 0, query
        assert client.get(f"{base}export.xlsx?{query}").status_code == 200, query


def _filters(base: str):
    from anquan.hazards import registers

    return {"/hazards/listings/": registers.LISTING_FILTERS, "/hazards/extensions/": registers.EXTENSION_FILTERS,
            "/hazards/explanations/": registers.EXPLANATION_FILTERS}[base]


def test_overdue_inspection_tasks_are_flagged(demo, signed_in):
    client = signed_in(demo.users["zhifa_a"])
    person = demo.users["zhifa_a"].person_id
    late = Inspection.objects.filter(inspectors=person, status="planned", planned_on__lt=AS_OF)
    assert late.exists()
    found = rows(client, "/inspections/?mine=1&overdue=1")
    assert {t.pk for t in found} == set(late.values_list("pk", flat=True))
    task = found[0]
    assert task.due_on and task.due_on > AS_OF  # the plan's period still runs: late against the planned date
    flag = f"超计划{(AS_OF - task.planned_on).days}天"
    assert task.lateness == flag
    assert flag in page(client, "/inspections/?mine=1&overdue=1").content.decode()
    assert flag in page(client, f"/inspections/{task.pk}/").content.decode()
    assert client.get("/inspections/export.xlsx").status_code == 403  # an inspector does not organise
    organiser = signed_in(demo.users["yingji"])
    table = sheet(organiser, "/inspections/export.xlsx?overdue=1")
    column = table[0].index("逾期情况")
    assert len(table) - 1 == count(organiser, "/inspections/?overdue=1")
    assert all(r[column].startswith(("超计划", "逾期")) for r in table[1:])
    assert task.pk not in {t.pk for t in rows(signed_in(demo.users["linqu_anweiban"]), "/inspections/?overdue=1")}


def test_a_task_past_its_completion_date_is_overdue():
    from anquan.inspections.selectors import lateness

    task = Inspection(status="planned", planned_on=AS_OF - datetime.timedelta(days=40),
                      due_on=AS_OF - datetime.timedelta(days=3))
    assert lateness(task, AS_OF) == "逾期3天"
    task.due_on = None
    assert lateness(task, AS_OF) == "逾期40天"
    task.status = "performed"
    assert lateness(task, AS_OF) == ""
    assert lateness(Inspection(status="planned", planned_on=AS_OF), AS_OF) == ""


@pytest.mark.parametrize("username", ["anweiban", "jiedao_a", "jiedao_b", "zhujian", "yingji", "qiye_a_fzr"])
def test_oversee_q_is_may_oversee_in_sql(demo, username):
    """The SQL reading of the who-found-it rule selects exactly the hazards the services accept."""
    user = demo.users[username]
    hazards = list(Hazard.objects.filter(district=demo.district).select_related("finder_unit"))
    for assignment in active_assignments(user):
        chosen = set(Hazard.objects.filter(district=demo.district).filter(oversee_q(assignment)).values_list("pk", flat=True))
        assert chosen == {h.pk for h in hazards if may_oversee(assignment, h) is None}, assignment


def test_the_hazard_page_counts_down_the_review(demo, signed_in):
    """The 10-day on-site review clock on the hazard page is days left, not only a date (finding 3)."""
    listing = ListedSupervision.objects.get(hazard=scene("L3"))
    html = page(signed_in(demo.users["anweiban"]), f"/hazards/{listing.hazard_id}/").content.decode()
    assert f'id="review-countdown-{listing.pk}"><span class="badge text-bg-light border">还剩5天</span>' in html
    assert f"还剩{(listing.deadline - AS_OF).days}天" in html  # and the listing's own deadline
