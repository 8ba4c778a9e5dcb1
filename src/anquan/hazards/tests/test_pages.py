"""The hazard pages for the people of the demo roles: the scoped three lists with filters and the
overdue-first order (frozen clock, 23:30 Shanghai), the record page, the scoped photo view,
and the enterprise/site sections. The action forms are in test_pages_actions.py."""
from __future__ import annotations

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.test import Client
from PIL import Image

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.hazards.choices import HazardLevel, HazardStatus
from anquan.hazards.models import ChecklistItem, Hazard, HazardCategory

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def png(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "PNG")
    return out.getvalue()


def upload(name="photo.png", colour=(200, 30, 30)):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png(colour), content_type="image/png")


def at(day: datetime.date, hour: int, minute: int = 0):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH), tick=False)


class World:
    """A small tree: a firm's site in street A's grid, a market in street B, and the people around them."""

    def __init__(self):
        tree = self.tree = make_tree()
        self.firm = make_enterprise(tree.grid_a, name="甲街道机械厂", industries=["industry_trade"])
        self.site = make_site(tree.grid_a, enterprise=self.firm, industry_code="industry_trade", name="机械厂一号车间")
        self.market = make_site(tree.grid_b, name="乙街道农贸市场")
        self.grid = make_user("grid_worker", unit=tree.grid_a, username="wangge_t", name="网格员小王")
        self.street = make_user("street_staff", unit=tree.street_a, username="jiedao_ta", name="甲街道老李")
        self.street_b = make_user("street_staff", unit=tree.street_b, username="jiedao_tb", name="乙街道老赵")
        self.firm_user = make_user("ent_manager", enterprise=self.firm, username="qiye_t", name="企业安全员")
        self.anweiban = make_user("anweiban", unit=tree.district, username="anweiban_t", name="区安委办")
        self.yingji = make_user("dept_staff", department=tree.yingji, username="yingji_t", name="应急局干部")

    def record(self, actor=None, site=None, **extra) -> Hazard:
        data = {"site": (site or self.site).pk, "description": "配电箱门未关闭，线路裸露", "source": "grid",
                "deadline": "2026-03-20", **extra}
        return services.hazard_record(actor=actor or self.grid, data=data, photos=[png()])

    @staticmethod
    def client(user) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def world(media):
    with at(datetime.date(2026, 3, 1), 9):
        return World()


# ---------------------------------------------------------------- lists


def test_the_list_is_scoped_to_the_users_territory(world):
    with at(datetime.date(2026, 3, 2), 10):
        ours = world.record(description="甲街道的隐患：灭火器过期")
        theirs = world.record(actor=world.street_b, site=world.market, source="territorial", description="乙街道的隐患：通道堵塞")
        page = world.client(world.street).get("/hazards/").content.decode()
        assert "甲街道的隐患" in page and "乙街道的隐患" not in page
        assert "共 <strong>1</strong> 条隐患" in page
        other = world.client(world.street_b).get("/hazards/").content.decode()
        assert "乙街道的隐患" in other and "甲街道的隐患" not in other
        assert "甲街道的隐患" in world.client(world.anweiban).get("/hazards/").content.decode()
        # the detail of another street's hazard does not exist for them
        assert world.client(world.street_b).get(f"/hazards/{ours.pk}/").status_code == 404
        assert world.client(world.street).get(f"/hazards/{theirs.pk}/").status_code == 404
        # the enterprise sees its own hazards only
        firm_page = world.client(world.firm_user).get("/hazards/").content.decode()
        assert "甲街道的隐患" in firm_page and "乙街道的隐患" not in firm_page


def test_filters_and_search(world):
    electric = HazardCategory.objects.get(code="2103")
    with at(datetime.date(2026, 3, 2), 10):
        a = world.record(description="配电箱无门", category=electric.pk)
        b = world.record(description="消防通道堵塞", source="grid")
    with at(datetime.date(2026, 3, 5), 10):
        c = world.record(actor=world.street, description="有限空间无警示标志", source="territorial", deadline="2026-03-06")
    client = world.client(world.street)
    with at(datetime.date(2026, 3, 10), 10):
        def shown(query):
            html = client.get(f"/hazards/?{query}").content.decode()
            return {h.pk for h in (a, b, c) if f"/hazards/{h.pk}/" in html}

        assert shown("") == {a.pk, b.pk, c.pk}
        assert shown(f"category={electric.parent.parent_id}") == {a.pk}  # the category's subtree
        assert shown("source=territorial") == {c.pk}
        assert shown("overdue=1") == {c.pk}
        assert shown("found_from=2026-03-03&found_to=2026-03-31") == {c.pk}
        assert shown("q=消防") == {b.pk}
        assert shown(f"q={b.number}") == {b.pk}
        assert shown(f"unit={world.tree.grid_a.pk}") == {a.pk, b.pk, c.pk}
        assert shown(f"unit={world.tree.grid_b.pk}") == set()
        assert shown("level=major") == set()
        assert shown("status=pending") == {a.pk, b.pk, c.pk}
        assert shown(f"enterprise={world.firm.pk}") == {a.pk, b.pk, c.pk}
        # htmx asks for the results only
        fragment = client.get("/hazards/?source=grid", HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in fragment and "消防通道堵塞" in fragment


def test_overdue_first_with_a_frozen_clock_at_half_past_eleven_in_shanghai(world):
    with at(datetime.date(2026, 3, 1), 9):
        due_later = world.record(description="期限三月二十日", deadline="2026-03-20")
        due_today = world.record(description="期限三月十日", deadline="2026-03-10")
        due_before = world.record(description="期限三月九日", deadline="2026-03-09")

    def order(html):
        return sorted((html.index(f"/hazards/{h.pk}/"), h.pk) for h in (due_later, due_today, due_before))

    # 23:30 on 10 March in Shanghai is 15:30 UTC: still the 10th, the deadline day itself is in time
    with at(datetime.date(2026, 3, 10), 23, 30):
        html = world.client(world.street).get("/hazards/").content.decode()
        assert [pk for _, pk in order(html)] == [due_before.pk, due_today.pk, due_later.pk]
        assert re.findall(r"逾期\d+天", html) == ["逾期1天"]
    # 00:10 on the 11th in Shanghai (still the 10th in UTC): now the 10th's deadline has passed too
    with at(datetime.date(2026, 3, 11), 0, 10):
        client = world.client(world.street)
        html = client.get("/hazards/").content.decode()
        assert re.findall(r"逾期\d+天", html) == ["逾期2天", "逾期1天"]
        assert [pk for _, pk in order(html)] == [due_before.pk, due_today.pk, due_later.pk]
        assert {due_before.pk, due_today.pk} == {
            h.pk for h in (due_later, due_today, due_before) if f"/hazards/{h.pk}/" in client.get("/hazards/?overdue=1").content.decode()
        }


def test_the_three_lists_show_their_columns(world):
    with at(datetime.date(2026, 3, 2), 10):
        h = world.record(responsible_name="张师傅", responsible_phone="13900000001", measures="加装门锁", funds="800",
                         contingency_plan="设置警示带")
        client = world.client(world.street)
        rect = client.get("/hazards/?list=rectification").content.decode()
        assert "张师傅" in rect and "加装门锁" in rect and "800" in rect and "设置警示带" in rect and "未提交" in rect
        resp = client.get("/hazards/?list=responsibility").content.decode()
        assert "网格员小王" in resp and world.tree.grid_a.name in resp and "甲街道机械厂" in resp
        services.hazard_submit(actor=world.firm_user, hazard=h, version=h.version, measures_taken="已加锁", after_photos=[png()])
        services.hazard_verify(actor=world.street, hazard=h, version=h.version, passed=True)
        assert h.number not in client.get("/hazards/?list=rectification").content.decode()  # closed: off the rectification list
        assert "甲街道老李" in client.get("/hazards/?list=responsibility").content.decode()  # the verifier


# ---------------------------------------------------------------- record page


def test_record_page_is_phone_ready_and_records_with_photos(world):
    client = world.client(world.grid)
    with at(datetime.date(2026, 3, 2), 10):
        page = client.get(f"/hazards/new/?site={world.site.pk}").content.decode()
        assert 'capture="environment"' in page and 'accept="image/*"' in page and "multiple" in page
        assert "工贸企业重大事故隐患判定标准" in page  # criteria of the site's industry
        assert "机械厂一号车间" in page and "2026-03-02T10:00" in page  # found at defaults to now
        assert f'name="site" value="{world.site.pk}"' in page
        response = client.post(f"/hazards/new/?site={world.site.pk}", {
            "site": world.site.pk, "description": "砂轮机防护罩缺失", "location": "二号车间", "source": "grid",
            "found_at": "2026-03-02T09:30", "level": "general", "deadline": "2026-03-12", "responsible_name": "赵工",
            "responsible_phone": "13800000000", "measures": "加装防护罩", "found_by": [world.grid.person_id],
            "photos": [upload("a.png"), upload("b.png", (0, 0, 200))],
        })
    assert response.status_code == 302
    hazard = Hazard.objects.get(description="砂轮机防护罩缺失")
    assert response["Location"] == f"/hazards/{hazard.pk}/"
    assert hazard.photos.count() == 2 and hazard.responsible_person.name == "赵工"
    assert hazard.finder_unit == world.tree.grid_a and hazard.status == HazardStatus.PENDING


def test_record_errors_keep_what_was_typed_and_ask_for_the_photos_again(world):
    client = world.client(world.grid)
    with at(datetime.date(2026, 3, 2), 10):
        response = client.post(f"/hazards/new/?site={world.site.pk}", {
            "site": world.site.pk, "description": "楼梯间堆放杂物", "location": "三楼", "source": "grid",
            "level": "general", "deadline": "2026-02-01", "measures": "清理杂物", "photos": [upload()],
        })
    assert response.status_code == 422
    html = response.content.decode()
    assert "整改期限不能早于发现日期" in html
    assert "楼梯间堆放杂物" in html and "清理杂物" in html and "三楼" in html
    assert "重新选择照片" in html
    assert not Hazard.objects.filter(description="楼梯间堆放杂物").exists()


def test_record_immediate_needs_an_after_photo_and_closes(world):
    client = world.client(world.street)
    data = {"site": world.site.pk, "description": "插线板串接", "source": "territorial", "level": "general", "immediate": "on"}
    with at(datetime.date(2026, 3, 2), 10):
        refused = client.post(f"/hazards/new/?site={world.site.pk}", {**data, "photos": [upload()]})
        assert refused.status_code == 422 and "立查立改须上传整改后照片" in refused.content.decode()
        done = client.post(f"/hazards/new/?site={world.site.pk}", {**data, "photos": [upload()], "after_photos": [upload("after.png")]})
    assert done.status_code == 302
    hazard = Hazard.objects.get(description="插线板串接")
    assert hazard.status == HazardStatus.CLOSED and hazard.photos.count() == 2


def test_picking_a_criterion_records_a_major_hazard(world):
    item = ChecklistItem.objects.filter(checklist__industry__code="industry_trade", checklist__status="published").first()
    client = world.client(world.street)
    with at(datetime.date(2026, 3, 2), 10):
        client.post(f"/hazards/new/?site={world.site.pk}", {
            "site": world.site.pk, "description": "有限空间作业未检测", "source": "territorial", "level": "general",
            "criterion": item.pk, "deadline": "2026-04-30"})
    hazard = Hazard.objects.get(description="有限空间作业未检测")
    assert hazard.level == HazardLevel.MAJOR and hazard.criterion == item


def test_enterprise_users_record_self_inspection_only_and_the_site_picker(world):
    client = world.client(world.firm_user)
    page = client.get("/hazards/new/").content.decode()  # its only site is preselected
    assert "机械厂一号车间" in page and "企业自查" in page and "网格巡查" not in page
    second = make_site(world.tree.grid_a2, name="甲街道沿街商铺")
    street_picker = world.client(world.street).get("/hazards/new/").content.decode()
    assert "第一步：选择场所" in street_picker and f"/hazards/new/?site={world.site.pk}" in street_picker
    assert world.market.name not in street_picker and second.name in street_picker
    assert world.client(world.street).get(f"/hazards/new/?site={world.market.pk}").status_code == 404
    found = world.client(world.street).get("/hazards/new/sites/?q=机械", HTTP_HX_REQUEST="true").content.decode()
    assert "机械厂一号车间" in found
    descriptions = world.client(world.street).get(
        f"/hazards/new/descriptions/?category={HazardCategory.objects.get(code='GM02').pk}&industry={world.site.industry_id}").content.decode()
    assert "data-fill-description" in descriptions and "粉尘" in descriptions
    assert world.client(make_user("leader", unit=world.tree.street_a)).get("/hazards/new/").status_code == 403


# ---------------------------------------------------------------- photos, sections, navigation


def test_photos_are_served_only_in_scope(world):
    with at(datetime.date(2026, 3, 2), 10):
        hazard = world.record()
    photo = hazard.photos.get()
    ok = world.client(world.street).get(f"/hazards/photos/{photo.pk}/")
    assert ok.status_code == 200 and ok["Content-Type"] == "image/png"
    assert b"".join(ok.streaming_content).startswith(b"\x89PNG")
    assert world.client(world.street_b).get(f"/hazards/photos/{photo.pk}/").status_code == 404
    assert world.client(world.street).get("/hazards/photos/999999/").status_code == 404
    detail = world.client(world.street).get(f"/hazards/{hazard.pk}/").content.decode()
    assert f"/hazards/photos/{photo.pk}/" in detail and "/media/" not in detail


def test_enterprise_and_site_pages_show_their_hazards(world):
    with at(datetime.date(2026, 3, 1), 9):
        hazard = world.record(description="叉车无证驾驶", deadline="2026-03-03")
    with at(datetime.date(2026, 3, 10), 9):
        client = world.client(world.street)
        firm_page = client.get(f"/enterprises/{world.firm.pk}/").content.decode()
        assert "叉车无证驾驶" in firm_page and "逾期7天" in firm_page and f"/hazards/?enterprise={world.firm.pk}" in firm_page
        site_page = client.get(f"/sites/{world.site.pk}/").content.decode()
        assert "叉车无证驾驶" in site_page and f"/hazards/new/?site={world.site.pk}" in site_page
        assert hazard.number in client.get(f"/hazards/?site={world.site.pk}").content.decode()


def test_navigation_has_the_hazard_entry_for_business_users(world):
    html = world.client(world.grid).get("/").content.decode()
    assert "隐患排查治理" in html and 'href="/hazards/"' in html


@pytest.mark.parametrize("kind", ["hazards", "rectification", "responsibility"])
def test_list_queries_do_not_grow_with_the_rows(world, kind):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/hazards/?list={kind}").status_code == 200
        return len(ctx.captured_queries)

    with at(datetime.date(2026, 3, 2), 10):
        client = world.client(world.street)
        for _ in range(2):
            world.record(responsible_name="甲")
        few = count(client)
        for _ in range(8):
            h = world.record(responsible_name="乙")
            services.hazard_submit(actor=world.firm_user, hazard=h, version=h.version, measures_taken="改", after_photos=[png()])
        assert count(client) == few
