"""The 约谈 对象 picker offers the user's own territory (a 安委办's district, a department's district) for an industry
interview (行业约谈) of one's own territory, labelled as such; recorded through the page it is an industry interview
of that district; any other 约谈 of one's own unit is still refused (only units below, services)."""
from __future__ import annotations

import re

import pytest

from anquan.orgs.models import Industry
from anquan.supervision.models import Interview

from .test_pages import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.frozen("2026-11-22 23:30 +0800")]


def _radios(html: str) -> list[str]:
    return re.findall(r'type="radio" name="target" value="([a-z]+:\d+)"', html)


def _district(w):
    return w["departments"]["anweiban"].unit


@pytest.mark.parametrize("username", ["anweiban", "yingji"])
def test_own_district_is_offered_for_an_industry_interview(sworld, username):
    district = _district(sworld)
    html = client_for(sworld, username).get("/supervision/targets/", {"target_q": district.name}).content.decode()
    assert f"unit:{district.pk}" in _radios(html) and "本级辖区，仅用于行业约谈" in html


def test_the_neighbouring_district_is_not_offered(sworld):
    linqu = sworld["users"]["linqu_anweiban"].assignments.first().unit
    html = client_for(sworld, "anweiban").get("/supervision/targets/", {"target_q": linqu.name}).content.decode()
    assert f"unit:{linqu.pk}" not in _radios(html)


def test_an_industry_interview_of_ones_own_district_through_the_page(sworld):
    district, industry = _district(sworld), Industry.objects.get(code="hazchem")
    c = client_for(sworld, "anweiban")
    body = {"target": f"unit:{district.pk}", "target_industry": str(industry.pk), "held_on": "2026-11-20",
            "participants": "区应急管理局、相关企业负责人", "content": "通报危险化学品行业隐患排查情况，提出整改要求"}
    response = c.post("/supervision/interviews/new/", body)
    assert response.status_code == 302, response.content.decode()[:3000]
    interview = Interview.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert (interview.target_unit, interview.target_industry) == (district, industry)
    # without an industry it would be a 约谈 of one's own unit: refused, the picked target stays picked
    refused = c.post("/supervision/interviews/new/", {**body, "target_industry": ""})
    assert refused.status_code == 422 and "下级单位" in refused.content.decode()
    assert _radios(refused.content.decode()) == [f"unit:{district.pk}"]
