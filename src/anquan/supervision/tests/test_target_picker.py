"""The 对象 of a 警示约谈/通报 is picked by searching (issue 10, finding 8): the form no longer lists
every street, department and enterprise of a district in one select (532 entries, cut at 500
enterprises); an htmx search answers at most ten of each kind, only among what the user may hold
to account, and a target named in the link or typed before a 422 stays picked."""
from __future__ import annotations

import re

import pytest

from .test_pages import client_for

pytestmark = pytest.mark.django_db


def _radios(html: str) -> list[str]:
    return re.findall(r'type="radio" name="target" value="([a-z]+:\d+)"', html)


def test_the_form_has_a_search_box_and_no_list_of_every_target(sworld):
    html = client_for(sworld, "anweiban").get("/supervision/interviews/new/").content.decode()
    assert 'name="target_q"' in html and 'hx-get="/supervision/targets/"' in html
    assert "<optgroup" not in html and "矩阵甲建筑工程有限公司" not in html and _radios(html) == []


def test_the_search_answers_what_the_user_may_address(sworld):
    w, c = sworld, client_for(sworld, "anweiban")
    found = c.get("/supervision/targets/", {"target_q": "矩阵甲"}).content.decode()
    assert f"enterprise:{w['E_A'].pk}" in _radios(found) and "企业" in found
    assert f"enterprise:{w['E_L'].pk}" not in _radios(c.get("/supervision/targets/", {"target_q": "矩阵丁"}).content.decode())
    street = c.get("/supervision/targets/", {"target_q": w["STREET_A"].name}).content.decode()
    assert f"unit:{w['STREET_A'].pk}" in _radios(street)
    assert f"unit:{w['STREET_L'].pk}" not in _radios(c.get("/supervision/targets/", {"target_q": w["STREET_L"].name}).content.decode())
    by_code = c.get("/supervision/targets/", {"target_q": w["E_A"].credit_code[-8:].lower()}).content.decode()
    assert f"enterprise:{w['E_A'].pk}" in _radios(by_code)
    # the one already picked is not offered twice; an empty search offers nothing
    again = c.get("/supervision/targets/", {"target_q": "矩阵甲", "target": f"enterprise:{w['E_A'].pk}"}).content.decode()
    assert f"enterprise:{w['E_A'].pk}" not in _radios(again)
    assert _radios(c.get("/supervision/targets/", {"target_q": ""}).content.decode()) == []
    assert "没有名称含" in c.get("/supervision/targets/", {"target_q": "不存在的名称"}).content.decode()


def test_at_most_ten_of_a_kind(sworld):
    html = client_for(sworld, "anweiban").get("/supervision/targets/", {"target_q": "公司"}).content.decode()
    kinds = [v.partition(":")[0] for v in _radios(html)]
    assert kinds.count("enterprise") == 10


@pytest.mark.parametrize("username,status", [("anweiban", 200), ("yingji", 200), ("ducha", 403), ("qiye_a", 403), ("admin", 403)])
def test_who_may_search(sworld, username, status):
    assert client_for(sworld, username).get("/supervision/targets/", {"target_q": "矩阵"}).status_code == status


def test_a_target_from_the_link_or_a_refused_post_stays_picked_if_in_scope(sworld):
    w, c = sworld, client_for(sworld, "anweiban")
    html = c.get(f"/supervision/interviews/new/?target=enterprise:{w['E_A'].pk}").content.decode()
    assert _radios(html) == [f"enterprise:{w['E_A'].pk}"] and "checked" in html and "矩阵甲建筑工程有限公司" in html
    assert _radios(c.get(f"/supervision/interviews/new/?target=unit:{w['STREET_L'].pk}").content.decode()) == []
    refused = c.post("/supervision/interviews/new/", {"target": f"enterprise:{w['E_A'].pk}", "target_q": "矩阵甲", "held_on": "",
                                                      "participants": "", "content": ""})
    assert refused.status_code == 422 and _radios(refused.content.decode()) == [f"enterprise:{w['E_A'].pk}"]


@pytest.mark.parametrize("params", [{"target_q": "x" * 500}, {"target_q": "%_\\'\""}, {"target_q": "a", "target": "unit:abc"},
                                    {"target_q": "a", "target": "nonsense:1"}, {"target_q": "²"}])
def test_no_input_gives_a_500(sworld, params):
    c = client_for(sworld, "anweiban")
    assert c.get("/supervision/targets/", params).status_code == 200
    assert c.get("/supervision/interviews/new/", {"target": params.get("target", "enterprise:999999999")}).status_code == 200
