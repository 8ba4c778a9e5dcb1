"""行政执法统计: every figure equals a hand count of seeded cases (frozen clock), each number's link lists exactly the
records it counts, scope applies (the street sees a case only from 告知 on; another district nothing), and the
xlsx download is audited and carries the same figures."""
from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from anquan.audit.models import AuditEvent
from anquan.core.tests.matrix_world import _enterprise, _site
from anquan.hazards.choices import ControlKind
from anquan.hazards.models import InterimControl

from .. import services, stats
from ..models import CaseStatus, ClosureProposal
from .world import advance, fresh, open_case

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]

SH = datetime.timezone(datetime.timedelta(hours=8))
PERIOD = stats.Period(datetime.date(2026, 1, 1), datetime.date(2026, 11, 22))


def at(y, m, d, h=10):
    return time_machine.travel(datetime.datetime(y, m, d, h, 0, tzinfo=SH), tick=False)


def seed(w):
    """Five cases of 示范区应急管理局 at two sites of two industries, a suspension and a §113 proposal."""
    w["E_T"] = _enterprise("统计甲机械有限公司", w["G_B"], "industry_trade")
    w["S_T"] = _site("统计甲车间", w["G_B"], w["E_T"], "industry_trade")
    u = w["users"]
    out = {}
    with at(2025, 12, 15):  # before the period: counted nowhere
        out["old"] = advance(w, open_case(w), CaseStatus.CLOSED, amount="25000")
    with at(2026, 6, 10):  # filed, decided, paid and closed in the period (hazchem)
        out["closed"] = advance(w, open_case(w), CaseStatus.CLOSED, amount="20000")
    with at(2026, 10, 5):  # 工贸 site: decided and served, 10000 paid on 11-22
        out["served"] = advance(w, open_case(w, site="S_T"), CaseStatus.SERVED, amount="30000")
    with at(2026, 11, 21):  # withdrawn before 告知: filed, never decided
        case = advance(w, open_case(w), CaseStatus.INVESTIGATING)
        out["withdrawn"] = services.case_withdraw(actor=u["juzhang"], case=case, version=case.version, data={"reason": "主体错误"})
    with at(2026, 11, 22):  # still pending approval: not filed
        out["pending"] = open_case(w)
        case = out["served"]
        services.case_record_payment(actor=u["zhifa_a"], case=case, version=case.version, data={"amount": "10000"})
        out["served"] = fresh(case)
        out["control"] = InterimControl.objects.create(hazard=w["H_B"], site=w["S_B"], kind=ControlKind.SUSPEND,
                                                       reason="重大隐患责令停产停业", started_at=timezone.now(), started_by=u["zhifa_a"])
        out["proposal"] = ClosureProposal.objects.create(organ=w["yingji"], enterprise=w["E_B"], as_of=datetime.date(2026, 11, 22),
                                                         ground="一百八十日内三次受到行政处罚", created_by=u["juzhang"],
                                                         created_at=timezone.now())
        out["proposal"].cases.set([out["closed"]])
    return out


def figures(r):
    return {f.metric: f.value for f in r.figures}


def test_totals_equal_hand_counts_and_scope_applies(eworld):
    s = seed(eworld)
    u = eworld["users"]
    total = figures(stats.totals(u["zhifa_a"], PERIOD))
    assert total == {"filed": 3, "decided": 2, "fines_decided": Decimal("50000.00"), "fines_collected": Decimal("30000.00"),
                     "suspensions": 1, "closures": 1}
    # the street of the cases sees them only from 告知 on: the withdrawn one (never told) is not counted
    street = figures(stats.totals(u["jiedao_b"], PERIOD))
    assert street["filed"] == 2 and street["decided"] == 2 and street["fines_collected"] == Decimal("30000.00")
    # another district sees nothing
    assert set(figures(stats.totals(u["linqu_juzhang"], PERIOD)).values()) == {0}
    # a period holding only 2025-12: the old case alone
    old = figures(stats.totals(u["zhifa_a"], stats.Period(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))))
    assert old["filed"] == 1 and old["fines_decided"] == Decimal("25000.00") and old["fines_collected"] == Decimal("25000.00")
    assert s["pending"].filed_on is None


def test_rows_by_department_and_industry_add_up(eworld):
    seed(eworld)
    user = eworld["users"]["zhifa_a"]
    depts = stats.by_department(user, PERIOD)
    assert [r.label for r in depts] == [eworld["yingji"].name]
    assert figures(depts[0]) == figures(stats.totals(user, PERIOD))
    rows = {r.label: figures(r) for r in stats.by_industry(user, PERIOD)}
    hazchem, trade = eworld["S_B"].industry.name, eworld["S_T"].industry.name
    assert rows[hazchem]["filed"] == 2 and rows[hazchem]["fines_decided"] == Decimal("20000.00")
    assert rows[hazchem]["fines_collected"] == Decimal("20000.00") and rows[hazchem]["suspensions"] == 1
    assert rows[trade] == {"filed": 1, "decided": 1, "fines_decided": Decimal("30000.00"), "fines_collected": Decimal("10000.00"),
                           "suspensions": 0, "closures": 0}


def test_each_number_links_to_exactly_the_records_it_counts(eworld, client):
    s = seed(eworld)
    client.force_login(eworld["users"]["zhifa_a"])
    page = client.get("/enforcement/statistics/?from=2026-01-01&to=2026-11-22")
    assert page.status_code == 200
    expected = {"filed": {s["closed"].pk, s["served"].pk, s["withdrawn"].pk}, "decided": {s["closed"].pk, s["served"].pk},
                "fines_decided": {s["closed"].pk, s["served"].pk}, "fines_collected": {s["closed"].pk, s["served"].pk}}
    total = stats.totals(eworld["users"]["zhifa_a"], PERIOD)
    for f in total.figures:
        assert f.url in page.content.decode().replace("&amp;", "&")
        listing = client.get(f.url)
        assert listing.status_code == 200
        html = listing.content.decode()
        if f.metric in expected:
            listed = {c.pk for c in listing.context["page"].object_list}
            assert listed == expected[f.metric], f.metric
        elif f.metric == "suspensions":
            assert [c.pk for c in listing.context["page"].object_list] == [s["control"].pk]
        else:
            assert [p.pk for p in listing.context["page"].object_list] == [s["proposal"].pk]
        assert listing.context["figure"] == f.value
        assert all(f'data-case="{pk}"' in html for pk in expected.get(f.metric, ()))
    # the industry row's link lists the 工贸 case alone
    trade = next(r for r in stats.by_industry(eworld["users"]["zhifa_a"], PERIOD) if r.label == eworld["S_T"].industry.name)
    listing = client.get(next(f.url for f in trade.figures if f.metric == "filed"))
    assert [c.pk for c in listing.context["page"].object_list] == [s["served"].pk]


def test_bad_parameters_do_not_fail(eworld, client):
    client.force_login(eworld["users"]["jiedao_b"])
    for q in ("from=x&to=2026-13-40", "metric=nope&organ=abc&industry=-1", "metric=closures&industry=none&from=2030-01-01",
              "metric=fines_collected&organ=999999999999999999999"):
        assert client.get(f"/enforcement/statistics/?{q}").status_code == 200
        assert client.get(f"/enforcement/statistics/cases/?{q}").status_code == 200


def test_download_is_audited_and_carries_the_figures(eworld, client):
    seed(eworld)
    user = eworld["users"]["zhifa_a"]
    client.force_login(user)
    before = AuditEvent.objects.filter(action="enforcement_statistics_export").count()
    response = client.get("/enforcement/statistics/download.xlsx?from=2026-01-01&to=2026-11-22")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    sheet = zipfile.ZipFile(io.BytesIO(body)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "50000.00" in sheet and "30000.00" in sheet
    event = AuditEvent.objects.filter(action="enforcement_statistics_export").latest("seq")
    assert AuditEvent.objects.filter(action="enforcement_statistics_export").count() == before + 1
    assert event.after["params"] == {"from": "2026-01-01", "to": "2026-11-22"}


def test_the_enterprise_ledger_lists_only_the_cases_the_viewer_may_see(eworld, client):
    s = seed(eworld)
    e_b = eworld["E_B"]
    client.force_login(eworld["users"]["zhifa_a"])
    html = client.get(f"/enterprises/{e_b.pk}/").content.decode()
    assert f'data-case="{s["withdrawn"].pk}"' in html and f'data-case="{s["closed"].pk}"' in html
    assert f'data-case="{s["served"].pk}"' not in html  # another enterprise's case
    client.force_login(eworld["users"]["jiedao_b"])
    html = client.get(f"/enterprises/{e_b.pk}/").content.decode()
    assert f'data-case="{s["closed"].pk}"' in html
    assert f'data-case="{s["withdrawn"].pk}"' not in html and f'data-case="{s["pending"].pk}"' not in html  # never told
