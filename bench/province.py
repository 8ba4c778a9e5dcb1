"""SCALE=province: 13 more cities of ~9 districts each around the demo's 示范市, loaded with COPY.

Issue 5 item 6: 14 cities, ~120 districts, ~1,500 streets, ~25,000 grids, ~300,000 enterprises,
~3,000,000 hazards with ~5 audit events each, ~50,000 users. 示范区 and 邻区 come from the demo
generator first (identical to SCALE=district); this module adds the rest in the same shape —
territory tree with materialised paths, departments with their industries, enterprises with
sites and default regulators, users with role assignments (安委办, street staff, grid workers,
department staff, enterprise managers), and five years of hazards: the place copied onto each
hazard (grid_path, district, industry, department), rounds for submitted and closed ones,
found-by links, and their audit events appended to each district's hash chain with real
seq / prev_hash / sha256 (``verify_audit`` passes).

It is a loader, not the demo's story teller: each hazard follows the plain loop (record → start →
submit → verify, some with an extension); the status mix is the demo's kind (a few percent still
open, most of those overdue). Deterministic: one ``random.Random`` per district from the seed.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import random
import time
from datetime import UTC

from .copyload import Loader

CITIES = 13
DISTRICTS_PER_CITY = 9
STREETS = (11, 14)
COMMUNITIES = (4, 6)
GRIDS = (3, 4)
ENTERPRISES = (2_150, 2_650)
HAZARDS_PER_ENTERPRISE = 10.4
YEARS = 5
SOURCES = [("self", 40), ("grid", 18), ("territorial", 14), ("industry", 14), ("expert", 5), ("supervision", 4), ("public", 5)]
DEPARTMENTS = [("anweiban", "安委办", []), ("yingji", "应急管理局", ["hazchem", "non_coal_mine", "coal_mine", "fireworks", "industry_trade"]),
               ("zhujian", "住房和城乡建设局", ["construction", "gas"]), ("jiaotong", "交通运输局", ["road_transport", "water_transport"]),
               ("xiaofang", "消防救援大队", ["fire_key", "crowded"]), ("shichang", "市场监督管理局", ["special_equipment"]),
               ("jiaoyu", "教育局", ["school"]), ("gongan", "公安分局", ["rental", "civil_explosives"])]
PRIMARY = [("industry_trade", 30), ("crowded", 12), ("construction", 10), ("fire_key", 8), ("road_transport", 8), ("hazchem", 6),
           ("special_equipment", 6), ("school", 4), ("gas", 3), ("rental", 2.5), ("non_coal_mine", 1.5), ("fireworks", 1.5),
           ("water_transport", 1)]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class District:
    """One district's rows, built and COPYed in one go (then committed)."""

    def __init__(self, ctx, rng, city, name, code):
        self.ctx, self.rng, self.city = ctx, rng, city
        self.L = ctx.loader
        self.unit = self.org(name, "district", city, code)
        self.people, self.actors = [], {}

    def org(self, name, kind, parent, code):
        pk = self.L.table("orgs_orgunit").take()
        path = f"{parent['path']}{pk}/"
        district_id = pk if kind == "district" else parent.get("district_id")
        self.L.add("orgs_orgunit", {"id": pk, "name": name, "kind": kind, "path": path, "depth": parent["depth"] + 1,
                                    "code": code, "parent_id": parent["id"], "district_id": district_id, "version": 1})
        return {"id": pk, "path": path, "depth": parent["depth"] + 1, "district_id": district_id, "name": name}

    def user(self, username, role, name, unit=None, department=None, enterprise=None):
        L, ctx = self.L, self.ctx
        person = L.add("accounts_person", {"name": name, "post": role, "phone": f"139{self.rng.randint(0, 99_999_999):08d}",
                                           "unit_id": unit, "department_id": department, "enterprise_id": enterprise,
                                           "version": 1})
        user = L.add("accounts_user", {"username": username, "password": ctx.password, "is_active": True, "person_id": person,
                                       "date_joined": ctx.start})
        L.add("accounts_roleassignment", {"user_id": user, "role": role, "unit_id": unit, "department_id": department,
                                          "enterprise_id": enterprise, "valid_from": ctx.start, "created_at": ctx.start})
        return (user, person, name, role)

    def build(self) -> None:
        rng, L, ctx, d = self.rng, self.L, self.ctx, self.unit
        code = d["id"]
        self.depts = {}
        for kind, label, industries in DEPARTMENTS:
            pk = L.add("orgs_department", {"name": f"{d['name']}{label}", "kind": kind, "unit_id": d["id"], "version": 1})
            self.depts[kind] = pk
            for ind in industries:
                if ind in ctx.industries:
                    L.add("orgs_department_industries", {"department_id": pk, "industry_id": ctx.industries[ind]})
        self.dept_of = {ind: self.depts[k] for k, _, inds in DEPARTMENTS for ind in inds}
        self.anweiban = self.user(f"anweiban_{code}", "anweiban", f"{d['name']}安委办", unit=d["id"], department=self.depts["anweiban"])
        self.dept_staff = {k: self.user(f"bm_{code}_{k}", "dept_staff", f"{d['name']}{k}", department=pk)
                           for k, pk in self.depts.items() if k != "anweiban"}
        self.grids, self.street_staff, self.grid_worker = [], {}, {}
        for s in range(rng.randint(*STREETS)):
            street = self.org(f"{d['name']}第{s + 1}街道", "street", d, f"{code}{s:03d}")
            office = L.add("orgs_department", {"name": f"{street['name']}办事处", "kind": "jiedao", "unit_id": street["id"], "version": 1})
            self.street_staff[street["id"]] = [self.user(f"jd_{code}_{s}_{i}", "street_staff", f"街道{s}-{i}", unit=street["id"],
                                                         department=office) for i in range(3)]
            for c in range(rng.randint(*COMMUNITIES)):
                community = self.org(f"{street['name']}第{c + 1}社区", "community", street, f"{code}{s:03d}{c:03d}")
                for g in range(rng.randint(*GRIDS)):
                    grid = self.org(f"{community['name']}第{g + 1}网格", "grid", community, f"{code}{s:03d}{c:03d}{g:02d}")
                    grid["street"] = street["id"]
                    self.grids.append(grid)
                    self.grid_worker[grid["id"]] = self.user(f"wg_{code}_{grid['id']}", "grid_worker", f"网格员{grid['id']}",
                                                             unit=grid["id"])
        self.enterprises()
        self.hazards()

    def enterprises(self) -> None:
        rng, L, ctx = self.rng, self.L, self.ctx
        self.sites, self.managers = [], {}
        for n in range(rng.randint(*ENTERPRISES)):
            grid = rng.choice(self.grids)
            primary = _weighted(rng, PRIMARY)
            ent = L.add("enterprises_enterprise", {
                "name": f"{self.unit['name']}{grid['id']}号{n}{primary}有限公司", "credit_code": f"91B{self.unit['id']:06d}{n:09d}",
                "legal_representative": "法人", "principal_name": "负责人", "safety_manager_name": "安全员",
                "address": f"{grid['name']}{n}号", "unit_id": grid["id"], "scale": "small", "employees": rng.randint(2, 500),
                "status": "normal", "risk_colour": rng.choice(["red", "orange", "yellow", "yellow", "blue", "blue"]),
                "version": 1})
            L.add("enterprises_enterprise_industries", {"enterprise_id": ent, "industry_id": ctx.industries[primary]})
            dept = self.dept_of.get(primary)
            if dept:
                L.add("enterprises_enterpriseregulator", {"enterprise_id": ent, "kind": "industry", "department_id": dept,
                                                          "is_default": True, "started_at": ctx.start})
            L.add("enterprises_enterpriseregulator", {"enterprise_id": ent, "kind": "territorial", "unit_id": grid["street"],
                                                      "is_default": True, "started_at": ctx.start})
            for k in range(2 if rng.random() < 0.3 else 1):
                site_grid = grid if k == 0 else rng.choice(self.grids)
                site = L.add("enterprises_site", {"name": f"企业{ent}场所{k + 1}", "kind": "plant", "enterprise_id": ent,
                                                  "grid_id": site_grid["id"], "industry_id": ctx.industries[primary],
                                                  "address": f"{site_grid['name']}{n}号", "version": 1})
                self.sites.append((site, ent, site_grid, ctx.industries[primary], dept))
            if rng.random() < 0.08:
                self.managers[ent] = self.user(f"qy_{ent}", "ent_manager", f"企业{ent}安全员", enterprise=ent)

    def hazards(self) -> None:
        rng = self.rng
        events = []
        count = int(len({s[1] for s in self.sites}) * HAZARDS_PER_ENTERPRISE)
        for _ in range(count):
            site, ent, grid, industry, dept = rng.choice(self.sites)
            source = _weighted(rng, SOURCES)
            if (source == "self" and ent not in self.managers) or (source in ("industry", "expert") and not dept):
                source = "territorial"
            if source == "self" and ent in self.managers:
                actor = self.managers[ent]
                finder = {"finder_enterprise_id": ent}
            elif source in ("industry", "expert") and dept:
                kind = next(k for k, pk in self.depts.items() if pk == dept)
                actor = self.dept_staff[kind]
                finder = {"finder_department_id": dept}
            elif source == "grid":
                actor = self.grid_worker[grid["id"]]
                finder = {"finder_unit_id": grid["id"]}
            else:
                actor = rng.choice(self.street_staff[grid["street"]])
                finder = {"finder_unit_id": grid["street"]}
            verifier = self.anweiban  # the 安委办 may verify anything in its territory (services.common.may_oversee)
            events += self.hazard(site, ent, grid, industry, dept, source, actor, verifier, finder)
        self.chain(events)

    def hazard(self, site, ent, grid, industry, dept, source, actor, verifier, finder) -> list:
        rng, L, ctx = self.rng, self.L, self.ctx
        found_on = ctx.first_day + datetime.timedelta(days=rng.randrange(ctx.span))
        found_at = datetime.datetime.combine(found_on, datetime.time(1 + rng.randint(0, 8), rng.randint(0, 59)), tzinfo=UTC)
        deadline = found_on + datetime.timedelta(days=rng.choice([7, 10, 15, 15, 20, 30, 30, 45, 60]))
        age = (ctx.as_of - found_on).days
        # The demo's mix: nearly everything older than its deadline is closed; the young are open.
        p_closed = 0.985 if ctx.as_of > deadline + datetime.timedelta(days=30) else (0.6 if ctx.as_of > deadline else 0.2)
        closed = rng.random() < p_closed
        status = "closed" if closed else rng.choice(["pending", "rectifying", "rectifying", "awaiting_verification"])
        extended = rng.random() < 0.45
        in_force = deadline + datetime.timedelta(days=15) if extended else deadline
        pk = L.table("hazards_hazard").take()
        desc = rng.choice(ctx.descriptions)
        step = max(1, min(age, (in_force - found_on).days)) if age > 0 else 1
        t_start = found_at + datetime.timedelta(hours=rng.randint(2, 48))
        t_submit = found_at + datetime.timedelta(days=rng.randint(1, step), hours=3)
        t_verify = t_submit + datetime.timedelta(days=rng.randint(0, 4), hours=2)
        limit = datetime.datetime.combine(ctx.as_of, datetime.time(0), tzinfo=UTC) - datetime.timedelta(hours=9)
        t_submit, t_verify = min(t_submit, limit - datetime.timedelta(hours=2)), min(t_verify, limit)
        t_submit = max(t_submit, found_at + datetime.timedelta(hours=1))
        t_verify = max(t_verify, t_submit + datetime.timedelta(minutes=30))
        t_start = max(found_at + datetime.timedelta(minutes=30), min(t_start, t_submit - datetime.timedelta(minutes=20)))
        submitted = status in ("closed", "awaiting_verification")
        on_time = t_submit.date() <= in_force
        row = {"id": pk, "version": 4 if closed else 2, "created_at": found_at, "updated_at": t_verify if closed else t_start,
               "number": f"YH{found_on:%Y}B{pk:09d}", "grid_path": grid["path"], "description": desc[1], "location": "厂区",
               "source": source, "found_at": found_at, "found_on": found_on, "recorded_role": actor[3], "level": "general",
               "measures": desc[2], "deadline": deadline, "deadline_in_force": in_force, "contingency_plan": "设置警戒标识，专人巡查",
               "status": status, "submitted_at": t_submit if submitted else None, "closed_at": t_verify if closed else None,
               "closed_on": t_verify.date() if closed else None, "closed_on_time": on_time if closed else None,
               "closed_by_id": verifier[0] if closed else None, "department_id": dept, "district_id": self.unit["id"],
               "enterprise_id": ent, "grid_id": grid["id"], "industry_id": industry, "recorded_by_id": actor[0],
               "site_id": site, "category_id": desc[0], **finder}
        L.add("hazards_hazard", row)
        L.add("hazards_hazard_found_by", {"hazard_id": pk, "person_id": actor[1]})
        repr_ = f"{row['number']} {desc[1][:30]}"
        ev = [(found_at + datetime.timedelta(minutes=20), pk, 0, actor, "record", None,
               {"number": row["number"], "status": "pending", "site_id": site, "deadline": deadline.isoformat()}, "", repr_)]
        if status != "pending":
            ev.append((t_start, pk, 1, actor, "start", {"status": "pending"}, {"status": "rectifying"}, "", repr_))
        if extended:
            ev.append((t_start + datetime.timedelta(minutes=5), pk, 2, actor, "request_extension",
                       {"deadline_in_force": deadline.isoformat()}, {"requested": in_force.isoformat()}, "整改需采购设备", repr_))
            ev.append((t_start + datetime.timedelta(minutes=50), pk, 3, self.anweiban, "decide_extension",
                       {"deadline_in_force": deadline.isoformat()}, {"deadline_in_force": in_force.isoformat()}, "同意延期", repr_))
        if submitted:
            L.add("hazards_rectificationround", {
                "hazard_id": pk, "number": 1, "measures_taken": desc[2], "submitted_by_id": actor[0], "submitted_role": actor[3],
                "submitted_at": t_submit, "deadline_at_submission": in_force, "on_time": on_time,
                "verdict": "passed" if closed else "pending", "verified_by_id": verifier[0] if closed else None,
                "verified_role": verifier[3] if closed else "", "verified_at": t_verify if closed else None})
            ev.append((t_submit, pk, 4, actor, "submit", {"status": "rectifying"}, {"status": "awaiting_verification", "round": 1}, "", repr_))
        if closed:
            ev.append((t_verify, pk, 5, verifier, "verify", {"status": "awaiting_verification"}, {"status": "closed"}, "", repr_))
        return ev

    def chain(self, events) -> None:
        """This district's events in time order on its own chain: seq, prev_hash and the sha256 as audit.services.record writes them."""
        L, key = self.L, f"district:{self.unit['id']}"
        chain_id = L.add("audit_auditchain", {"key": key, "last_seq": 0, "last_hash": "0" * 64})
        table = L.table("audit_auditevent")
        events.sort(key=lambda e: e[:3])
        prev, seq = "0" * 64, 0
        dumps, sha = json.dumps, hashlib.sha256
        for at, pk, _, actor, action, before, after, reason, repr_ in events:
            seq += 1
            content = {"chain": key, "seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor[0],
                       "actor_name": actor[2], "role": actor[3], "unit": self.unit["name"], "model": "hazard", "object_id": pk,
                       "object": repr_, "action": action, "before": before, "after": after, "reason": reason, "prev": prev}
            digest = sha(dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
            L.add("audit_auditevent", {"id": table.take(), "chain_id": chain_id, "seq": seq, "at": at, "actor_id": actor[0],
                                       "actor_name": actor[2], "acting_role": actor[3], "acting_unit": self.unit["name"],
                                       "model_key": "hazard", "object_id": pk, "object_repr": repr_, "action": action,
                                       "before": None if before is None else dumps(before, ensure_ascii=False),
                                       "after": dumps(after, ensure_ascii=False), "reason": reason, "prev_hash": prev, "hash": digest})
            prev = digest
        L.flush()
        with L.conn.cursor() as cur:
            cur.execute("UPDATE audit_auditchain SET last_seq = %s, last_hash = %s WHERE id = %s", [seq, prev, chain_id])


class Context:
    def __init__(self, conn, as_of, seed):
        self.as_of, self.seed = as_of, seed
        self.start = datetime.datetime.combine(as_of - datetime.timedelta(days=365 * YEARS + 30), datetime.time(0), tzinfo=UTC)
        self.first_day = as_of - datetime.timedelta(days=365 * YEARS)
        self.span = 365 * YEARS
        self.loader = Loader(conn, datetime.datetime.now(UTC))
        cur = conn.cursor()
        self.industries = dict(cur.execute("SELECT code, id FROM orgs_industry").fetchall())
        self.descriptions = cur.execute("SELECT category_id, text, coalesce(basis, '') FROM hazards_standarddescription "
                                        "WHERE suggested_level = 'general' ORDER BY id").fetchall()
        self.descriptions = [(c, t, "按标准要求整改到位") for c, t, _ in self.descriptions] or [(None, "消防通道堆放杂物", "清理")]
        self.password = cur.execute("SELECT password FROM accounts_user WHERE username = 'anweiban'").fetchone()[0]
        row = cur.execute("SELECT id, path, depth FROM orgs_orgunit WHERE kind = 'province' AND parent_id IS NULL").fetchone()
        self.province = {"id": row[0], "path": row[1], "depth": row[2], "district_id": None}


def build(*, as_of: datetime.date, seed: int, log=print) -> dict:
    import os

    import psycopg

    from .dataset import dsn

    started = time.perf_counter()
    from anquan.demo import names

    with psycopg.connect(dsn(os.environ["DATABASE_URL"])) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        ctx = Context(conn, as_of, seed)
        for c in range(CITIES):
            rng = random.Random(f"anquan-bench-province:{seed}:{c}")
            city_name = names.EXTRA_CITIES[c % len(names.EXTRA_CITIES)] + ("" if c < len(names.EXTRA_CITIES) else str(c))
            t0 = time.perf_counter()
            city = District.__new__(District)
            city.ctx, city.rng, city.L = ctx, rng, ctx.loader
            city_unit = city.org(city_name, "city", ctx.province, f"39{c + 2:02d}00")
            dept = ctx.loader.add("orgs_department", {"name": f"{city_name}安委办", "kind": "anweiban", "unit_id": city_unit["id"],
                                                      "version": 1})
            city.user(f"shi_anweiban_{c + 2}", "anweiban", f"{city_name}安委办", unit=city_unit["id"], department=dept)
            for d in range(DISTRICTS_PER_CITY):
                name = names.EXTRA_DISTRICTS[d % len(names.EXTRA_DISTRICTS)]
                district = District(ctx, random.Random(f"anquan-bench-province:{seed}:{c}:{d}"), city_unit, name,
                                    f"39{c + 2:02d}{d + 2:02d}")
                district.build()
                ctx.loader.flush()
                conn.commit()
            log(f"  {city_name}：{DISTRICTS_PER_CITY}个区县（{time.perf_counter() - t0:.0f}秒；累计隐患"
                f"{ctx.loader.counts.get('hazards_hazard', 0):,}）")
        ctx.loader.reset_sequences()
        conn.commit()
    return {"province_s": round(time.perf_counter() - started, 1), "province_rows": dict(ctx.loader.counts)}
