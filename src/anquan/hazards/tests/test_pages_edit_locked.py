"""修改隐患信息 by an enterprise on a hazard someone else found (issue 10, finding 4): what the finder
wrote (category, description, location) is shown as text and never posted, so the enterprise can save
its 五落实; the category select always holds the hazard's own category, even one outside the site's
industry tree (a 消防 item of an inspection on a 工贸 site)."""
from __future__ import annotations

import datetime
import re

import pytest

from anquan.core.errors import Invalid
from anquan.hazards import services
from anquan.hazards.models import HazardCategory

from .test_pages import at, media, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)
FIRE = "XF04"  # 消防：用火及动火管理 — of the fire_key industry, not the site's 工贸 tree


@pytest.fixture
def hazard(world):
    fire = HazardCategory.objects.get(code=FIRE)
    with at(DAY, 9):
        return world.record(category=fire.pk, description="动火作业未办理审批", location="二号车间")


def _names(html: str) -> set[str]:
    return set(re.findall(r'name="([a-z_]+)"', html))


def test_the_enterprise_sees_the_finders_fields_as_text_and_saves_its_five_measures(world, hazard):
    client = world.client(world.firm_user)
    with at(DAY, 10):
        page = client.get(f"/hazards/{hazard.pk}/edit/")
        html = page.content.decode()
        assert page.status_code == 200
        assert not _names(html) & {"category", "description", "location"}  # never posted
        assert {"responsible_name", "measures", "funds"} <= _names(html)
        assert "企业只能填写五落实和治理方案" in html
        assert "消防：用火及动火管理" in html and "动火作业未办理审批" in html and "二号车间" in html
        form = {"version": hazard.version, "responsible_name": "钱师傅", "responsible_phone": "13700000000",
                "measures": "停止动火，补办审批，配备灭火器和监护人", "funds": "800", "contingency_plan": "现场配备灭火器"}
        saved = client.post(f"/hazards/{hazard.pk}/edit/", form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    hazard.refresh_from_db()
    assert hazard.measures.startswith("停止动火") and hazard.funds == 800 and hazard.responsible_person.name == "钱师傅"
    assert (hazard.category.code, hazard.description, hazard.location) == (FIRE, "动火作业未办理审批", "二号车间")


def test_a_crafted_post_of_the_finders_fields_changes_nothing(world, hazard):
    with at(DAY, 10):
        saved = world.client(world.firm_user).post(f"/hazards/{hazard.pk}/edit/", {
            "version": hazard.version, "description": "企业改写的描述", "location": "别处", "category": "",
            "measures": "补办审批"})
    assert saved.status_code == 302
    hazard.refresh_from_db()
    assert (hazard.category.code, hazard.description, hazard.location, hazard.measures) == (
        FIRE, "动火作业未办理审批", "二号车间", "补办审批")


def test_the_service_refuses_a_change_but_not_an_unchanged_value(world, hazard):
    """An API client that sends the whole object back is not refused for the fields it left alone."""
    with at(DAY, 10):
        services.hazard_update(actor=world.firm_user, hazard=hazard, version=hazard.version, data={
            "category": str(hazard.category_id), "description": " 动火作业未办理审批 ", "location": "二号车间",
            "measures": "补办审批"})
        hazard.refresh_from_db()
        assert hazard.measures == "补办审批"
        with pytest.raises(Invalid) as refused:
            services.hazard_update(actor=world.firm_user, hazard=hazard, version=hazard.version,
                                   data={"description": "改了", "location": "二号车间"})
    assert set(refused.value.errors) == {"description"}
    assert "企业只能填写五落实" in refused.value.errors["description"][0]


def test_the_finder_edits_every_field_and_the_category_select_keeps_its_category(world, hazard):
    client = world.client(world.grid)
    with at(DAY, 10):
        html = client.get(f"/hazards/{hazard.pk}/edit/").content.decode()
        assert {"category", "description", "location"} <= _names(html)
        assert re.search(rf'<option value="{hazard.category_id}" selected>\s*消防：用火及动火管理</option>', html), html
        saved = client.post(f"/hazards/{hazard.pk}/edit/", {
            "version": hazard.version, "category": str(hazard.category_id), "description": "动火作业未办理审批，无人监护",
            "location": "二号车间", "measures": ""})
    assert saved.status_code == 302
    hazard.refresh_from_db()
    assert hazard.category.code == FIRE and hazard.description.endswith("无人监护")


def test_a_retired_category_stays_on_the_hazard_when_the_form_is_saved(world, hazard):
    HazardCategory.objects.filter(pk=hazard.category_id).update(active=False)
    client = world.client(world.grid)
    with at(DAY, 10):
        html = client.get(f"/hazards/{hazard.pk}/edit/").content.decode()
        assert f'<option value="{hazard.category_id}" selected>' in html
        saved = client.post(f"/hazards/{hazard.pk}/edit/", {
            "version": hazard.version, "category": str(hazard.category_id), "description": "动火作业未办理审批",
            "location": "三号车间"})
    assert saved.status_code == 302
    hazard.refresh_from_db()
    assert hazard.category.code == FIRE and hazard.location == "三号车间"
