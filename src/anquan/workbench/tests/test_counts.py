"""Every demo role's workbench: each count equals the length of the list its link opens, and each
role sees its own work (an enterprise its own things, the supervisor the supervision work …)."""
import re

import pytest

from .demo_world import MOMENT

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
    "zhifa_a": ({"inspections.mine", "inspections.mine_overdue"}, {"hazards.verify", "hazards.overdue"}),
    "ducha": ({"supervision.follow"}, {"hazards.overdue", "hazards.verify"}),
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


@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db
def test_the_figures_are_the_roles_own(demo, signed_in):
    enterprise = signed_in(demo.users["qiye_a"]).get("/").content.decode()
    assert "本企业场所" in enterprise and "辖区企业" not in enterprise and "/overview/" not in enterprise
    official = signed_in(demo.users["jiedao_a"]).get("/").content.decode()
    assert "辖区企业" in official and "/overview/" in official
    assert "督查问题·待整改" in signed_in(demo.users["ducha"]).get("/").content.decode()
    assert signed_in(demo.users["jiedao_a"]).get("/overview/").status_code == 200  # the former home stays


def _count(client, key) -> int:
    return workbench(client).get(key, ("", 0))[1]


@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db
def test_the_action_done_leaves_the_count(demo, signed_in):
    """jiedao_a decides his extension, anweiban reviews the listing, jiedao_a verifies a rectification:
    each leaves its to-do, and the list behind it is one shorter."""
    from anquan.hazards.models import DeadlineExtension, Hazard, ListedSupervision

    client = signed_in(demo.users["jiedao_a"])
    url, before = workbench(client)["hazards.extension"]
    extension = listed_rows(client, url)[0]
    hazard = Hazard.objects.get(pk=extension.hazard_id)
    response = client.post(f"/hazards/{hazard.pk}/extension/{extension.pk}/decide/",
                           {"version": hazard.version, "approve": "1", "reason": "同意"})
    assert response.status_code == 302
    assert DeadlineExtension.objects.get(pk=extension.pk).status == "approved"
    assert _count(client, "hazards.extension") == before - 1 == listed(client, url)

    url, before = workbench(client)["hazards.verify"]
    hazard = listed_rows(client, url)[0]
    response = client.post(f"/hazards/{hazard.pk}/verify/", {"version": hazard.version, "passed": "1"})
    assert response.status_code == 302 and Hazard.objects.get(pk=hazard.pk).status == "closed"
    assert _count(client, "hazards.verify") == before - 1 == listed(client, url)

    client = signed_in(demo.users["anweiban"])
    url, before = workbench(client)["hazards.listing_review"]
    listing = listed_rows(client, url)[0]
    response = client.post(f"/hazards/{listing.hazard_id}/listings/{listing.pk}/review/",
                           {"passed": "1", "opinion": "现场审查：隐患已消除"})
    assert response.status_code == 302 and ListedSupervision.objects.get(pk=listing.pk).status == "reviewed"
    assert _count(client, "hazards.listing_review") == before - 1 == listed(client, url)


def listed_rows(client, url: str) -> list:
    return list(client.get(url).context["page"].object_list)


@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db
def test_the_api_gives_the_same_todos(demo, signed_in):
    client = signed_in(demo.users["jiedao_a"])
    response = client.get("/api/v1/workbench")
    assert response.status_code == 200
    items = response.json()
    assert [i["urgency"] for i in items] == sorted(i["urgency"] for i in items)
    page = workbench(client)
    assert {i["key"]: (i["url"], i["count"]) for i in items} == page
