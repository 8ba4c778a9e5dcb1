"""The scenarios of issue 5, item 7, as seeded lists of requests (users, filters, pages, objects).

Why lists drawn up front: every sample is a different request (another user, filter, page or
hazard), chosen by ``random.Random(seed)``, so the same run measures the same requests at both
scales and caches cannot turn the benchmark into one repeated query. The users live in 示范区
(generated identically at both scales), so district and street figures compare across scales.
"""
from __future__ import annotations

import datetime
import os
import random
from dataclasses import dataclass, field

SOURCES = ["self", "industry", "territorial", "grid", "expert", "supervision", "public"]


@dataclass
class Request:
    user: str
    method: str
    path: str
    body: dict | None = None
    #: Filled in just before the request is sent (e.g. the version of a hazard to verify).
    prepare: object = None
    meta: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


#: Writes ask for the short answer (the hazard's list item, not its re-read detail): what a phone
#: recording a hazard needs. ``BENCH_WRITE_PREFER=`` (empty) measures the full detail answer instead.
WRITE_HEADERS = {"Prefer": v} if (v := os.environ.get("BENCH_WRITE_PREFER", "return=minimal")) else {}


class World:
    """What the scenarios draw from, read once from the benchmark database with plain SQL."""

    def __init__(self, conn, today: datetime.date):
        self.today = today
        q = conn.execute
        self.district_id, self.district_path = q(
            "SELECT id, path FROM orgs_orgunit WHERE kind = 'district' AND name = '示范区'").fetchone()
        self.province_id = q("SELECT id FROM orgs_orgunit WHERE kind = 'province' AND parent_id IS NULL").fetchone()[0]
        self.users = {}
        rows = q("""SELECT u.username, ra.role, o.id, o.path, o.kind FROM accounts_user u
                    JOIN accounts_roleassignment ra ON ra.user_id = u.id AND ra.valid_to IS NULL
                    JOIN orgs_orgunit o ON o.id = ra.unit_id
                    WHERE ra.role IN ('anweiban', 'street_staff') ORDER BY u.username""").fetchall()
        for username, role, unit_id, path, kind in rows:
            self.users[username] = {"role": role, "unit": unit_id, "path": path, "kind": kind}
        self.street_users = sorted(u for u, a in self.users.items()
                                   if a["role"] == "street_staff" and a["path"].startswith(self.district_path))
        self.district_users = ["anweiban"]
        self.city_users = ["shi_anweiban"]
        self.province_users = ["sheng_anweiban"]
        self.other_district_users = sorted(u for u, a in self.users.items() if a["role"] == "anweiban" and a["kind"] == "district")
        self.other_city_users = sorted(u for u, a in self.users.items() if a["role"] == "anweiban" and a["kind"] == "city")
        self.children = {}
        for unit_id, parent_id in q("SELECT id, parent_id FROM orgs_orgunit WHERE kind IN ('province', 'city', 'district', 'street')"
                                    " OR parent_id IS NULL").fetchall():
            self.children.setdefault(parent_id, []).append(unit_id)
        self.industries = [r[0] for r in q("SELECT id FROM orgs_industry ORDER BY id").fetchall()]
        self.hazards = q("SELECT id, grid_path FROM hazards_hazard WHERE district_id = %s ORDER BY id",
                         [self.district_id]).fetchall()
        self.sites = q("""SELECT s.id, g.path FROM enterprises_site s JOIN orgs_orgunit g ON g.id = s.grid_id
                          WHERE g.path LIKE %s AND s.voided_at IS NULL ORDER BY s.id""", [self.district_path + "%"]).fetchall()
        self.categories = [r[0] for r in q("SELECT id FROM hazards_hazardcategory WHERE parent_id IS NOT NULL ORDER BY id")]

    def child_units(self, username: str) -> list[int]:
        return self.children.get(self.users[username]["unit"], [])


def list_filters(rng: random.Random, world: World, username: str) -> dict:
    """First page of open hazards, overdue first, with one of the filters people use."""
    params = {"status": "open", "page": 1, "page_size": 50}
    kind = rng.choices(["none", "level", "source", "overdue", "industry", "found_from", "unit"],
                       weights=[3, 1, 2, 2, 2, 1, 2])[0]
    if kind == "level":
        params["level"] = rng.choice(["major", "general"])
    elif kind == "source":
        params["source"] = rng.choice(SOURCES)
    elif kind == "overdue":
        params["overdue"] = "true"
    elif kind == "industry":
        params["industry"] = rng.choice(world.industries)
    elif kind == "found_from":
        params["found_from"] = (world.today - datetime.timedelta(days=rng.choice([30, 90, 180]))).isoformat()
    elif kind == "unit" and world.child_units(username):
        params["unit"] = rng.choice(world.child_units(username))
    return params


def query(params: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


def hazard_list(rng, world, users, n) -> list[Request]:
    out = []
    for _ in range(n):
        user = rng.choice(users)
        out.append(Request(user, "GET", "/api/v1/hazards?" + query(list_filters(rng, world, user))))
    return out


def hazard_list_deep(rng, world, n) -> list[Request]:
    """Page 200 (rows 9,951–10,000) of a district list: all hazards, or one broad filter."""
    out = []
    for _ in range(n):
        params = {"page": 200, "page_size": 50}
        extra = rng.choice([{}, {}, {"level": "general"}, {"closed": "true"},
                            {"found_from": (world.today - datetime.timedelta(days=300)).isoformat()}])
        out.append(Request("anweiban", "GET", "/api/v1/hazards?" + query({**extra, **params})))
    return out


def in_scope(world: World, username: str) -> list:
    path = world.users[username]["path"]
    return [h for h in world.hazards if h[1].startswith(path)]


def hazard_detail(rng, world, n) -> list[Request]:
    """One hazard with its rounds and history, by a street user (its street's) or the district 安委办."""
    out, scoped = [], {}
    users = world.street_users + ["anweiban"] * max(1, len(world.street_users) // 3)
    for _ in range(n):
        user = rng.choice(users)
        if user not in scoped:
            scoped[user] = in_scope(world, user)
        if not scoped[user]:
            continue
        hazard_id = rng.choice(scoped[user])[0]
        out.append(Request(user, "GET", f"/api/v1/hazards/{hazard_id}"))
    return out


DESCRIPTIONS = ["消防通道堆放杂物，影响疏散", "配电箱未安装漏电保护装置", "灭火器压力不足，未及时更换",
                "安全出口指示标志损坏", "危险化学品未分类存放", "作业人员未佩戴安全帽", "电气线路私拉乱接"]


def hazard_create(rng, world, n) -> list[Request]:
    """A street official records a hazard at a site of its street (the service writes its audit event)."""
    out = []
    for _ in range(n):
        user = rng.choice(world.street_users)
        path = world.users[user]["path"]
        sites = [s for s in world.sites if s[1].startswith(path)]
        site = rng.choice(sites)[0]
        body = {"site": site, "description": rng.choice(DESCRIPTIONS), "source": "territorial",
                "location": rng.choice(["一号车间", "仓库", "一楼大厅", "配电房"]),
                "measures": "立即清理整改，落实专人负责", "responsible_name": "张三", "responsible_phone": "13800000000",
                "deadline": (world.today + datetime.timedelta(days=rng.choice([7, 15, 30]))).isoformat(),
                "contingency_plan": "整改期间设置警戒标识，安排专人巡查"}
        if world.categories:
            body["category"] = rng.choice(world.categories)
        out.append(Request(user, "POST", "/api/v1/hazards", body, headers=WRITE_HEADERS))
    return out


def transition_candidates(conn, district_id: int) -> list[int]:
    """待验收 hazards of 示范区 that the district 安委办 may verify and close (no listing in force)."""
    return [r[0] for r in conn.execute("""
        SELECT h.id FROM hazards_hazard h
        WHERE h.district_id = %s AND h.status = 'awaiting_verification' AND h.voided_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM hazards_listedsupervision l WHERE l.hazard_id = h.id AND l.delisted_at IS NULL)
          AND EXISTS (SELECT 1 FROM hazards_rectificationround r WHERE r.hazard_id = h.id AND r.verdict = 'pending'
                      AND r.submitted_by_id <> (SELECT id FROM accounts_user WHERE username = 'anweiban'))
        ORDER BY h.id""", [district_id]).fetchall()]


def hazard_transition(rng, ids: list[int], n) -> list[Request]:
    """复查验收 passed → 已销号, by the district 安委办 (the version is read just before sending)."""
    chosen = rng.sample(ids, min(n, len(ids)))
    return [Request("anweiban", "POST", f"/api/v1/hazards/{pk}/verify", {"passed": True, "reason": "复查合格，同意销号"},
                    prepare=("version", pk), headers=WRITE_HEADERS) for pk in chosen]


def dashboard(rng, world, users, n) -> list[Request]:
    out = []
    for _ in range(n):
        params = rng.choice([{}, {}, {"found_from": (world.today - datetime.timedelta(days=90)).isoformat()},
                             {"level": "major"}, {"source": rng.choice(SOURCES)}])
        out.append(Request(rng.choice(users), "GET", "/bench/stats" + ("?" + query(params) if params else "")))
    return out


def throughput_mix(rng, world, n) -> list[Request]:
    """60% lists (random scopes, filters, pages 1–5), 30% details, 10% dashboards."""
    list_users = (world.street_users + world.district_users * 4 + world.other_district_users[:20] + world.city_users * 2
                  + world.other_city_users[:5] + world.province_users)
    details = hazard_detail(rng, world, n)
    out = []
    for i in range(n):
        r = rng.random()
        if r < 0.6:
            user = rng.choice(list_users)
            params = list_filters(rng, world, user)
            params["page"] = rng.choice([1, 1, 1, 2, 3, 4, 5])
            out.append(Request(user, "GET", "/api/v1/hazards?" + query(params)))
        elif r < 0.9:
            out.append(details[i % len(details)])
        else:
            user = rng.choice(["anweiban", "anweiban", "shi_anweiban", "sheng_anweiban"])
            out.append(Request(user, "GET", "/bench/stats"))
    return out
