"""Every demo role's workbench: each count equals the length of the list its link opens, and each
role sees its own work (an enterprise its own things, the supervisor the supervision work …)."""
import re

import pytest

from .conftest import MOMENT

ROLES = ["anweiban", "shi_anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a", "qiye_a",
         "qiye_a_fzr", "qiye_b", "zhujian", "yingji", "xiaofang", "zhifa_a", "zhifa_b", "zhuanjia", "ducha"]
ITEM = re.compile(r'href="([^"]+)" data-todo="([^"]+)">.*?data-count="(\d+)"', re.S)
QUIET = re.compile(r'href="([^"]+)" data-todo="([^"]+)">[^<]* 0</a>')


def workbench(client) -> dict[str, tuple[str, int]]:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    items = {key: (url.replace("&amp;", "&"), int(n)) for url, key, n in ITEM.findall(html)}
    items.update({key: (url.replace("&amp;", "&"), 0) for url, key in QUIET.findall(html)})
    return items


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_every_count_is_the_length_of_its_list(demo, signed_in, username):
    client = signed_in(demo.users[username])
    items = workbench(client)
    assert items, f"{username} sees no to-do at all"
    for key, (url, n) in items.items():
        assert listed(client, url) == n, (username, key, url)


EXPECTED = {  # what each role must find waiting (at least one), and what it must not be offered
    "jiedao_a": ({"hazards.extension", "hazards.verify", "hazards.overdue", "supervision.rectify"}, {"hazards.rectify"}),
    "anweiban": ({"hazards.overdue", "hazards.listing_review", "hazards.explanation"}, {"hazards.rectify"}),
    "qiye_a": ({"hazards.rectify", "hazards.overdue"}, {"hazards.extension", "hazards.explanation"}),
    "qiye_a_fzr": ({"hazards.verify"}, {"hazards.extension"}),
    "wangge_a": ({"hazards.overdue"}, {"hazards.verify", "hazards.extension"}),
    "zhifa_a": ({"inspections.mine"}, {"hazards.verify", "hazards.overdue"}),
    "ducha": (set(), {"hazards.overdue", "hazards.verify"}),
}


@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_finds_its_own_work(demo, signed_in, username):
    must, never = EXPECTED[username]
    items = workbench(signed_in(demo.users[username]))
    for key in must:
        assert items.get(key, ("", 0))[1] > 0, (username, key, items)
    assert not never & set(items), (username, never & set(items))
