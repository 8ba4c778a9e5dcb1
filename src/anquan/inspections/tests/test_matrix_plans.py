"""Permission matrix of checklist templates, plans, draws and plan-made tasks (joint, expert, unannounced):
every demo user × named object × action, through the pages and the API, against expectations written
here by hand from the domain's role table (not read from anquan.accounts.roles).

Letters — plans: V view (API list + detail, page list + detail), U update the draft, I issue, D draw;
checklists: V view, N new version (of a published one), P publish (a draft); tasks: V view. A lower-case
letter: the user may, but the object's state refuses (409). Every write probe runs inside a savepoint
that is rolled back, so the table tests who may, not the order of the probes.

Named objects (on top of core/tests/matrix_world.build_world):
- P_YJ: 应急管理局 (yingji)'s 执法 industry plan, draft. P_ST: jiedao_a's territorial plan of street A,
  draft. P_HID: the district 安委办's 暗访 plan of grid A (建筑施工), issued with zhifa_a and zhifa_b
  (task T_HID at S_A). P_LQ: 邻区安委办's plan, draft.
- T_JOINT: a 联合检查 of S_A (E_A, 建筑施工) by the district 安委办 with parts owned by 住建局 and 应急管理局.
- T_EXP: an expert inspection of S_B named for zhuanjia and ducha (both reach it only by the plan's grants).
- CL_SYS (system, published), CL_DIST (district 安委办, published), CL_ZJ (住建局 draft), CL_LQ (邻区, published).
- D_DIST: the draw of a district 安委办 plan.
"""
from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.test import Client

from anquan.core.tests.matrix import MISSING, OK, Surface, api_json, check_cell, outcome
from anquan.core.tests.matrix_world import build_world
from anquan.inspections.models import Draw, InspectionPlan
from anquan.inspections.services import checklists as cl
from anquan.inspections.services import plans

USERS = [
    "shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a",
    "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji",
    "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin",
]

# fmt: off
PLANS = {                # P_YJ (应急局执法)  P_ST (街道甲)  P_HID (区暗访, 已下达)  P_LQ (邻区)
    "shi_anweiban":   ("",     "VUID", "Vuid", "VUID"),
    "anweiban":       ("",     "VUID", "Vuid", ""),
    "linqu_anweiban": ("",     "",     "",     "VUID"),
    "jiedao_a":       ("",     "VUI",  "",     ""),      # a street plans but does not draw; 暗访 hidden
    "jiedao_b":       ("",     "",     "",     ""),
    "lingdao":        ("",     "V",    "",     ""),
    "wangge_a":       ("",     "",     "",     ""),      # a plan of the street is above the grid
    "qiye_a":         ("",     "",     "",     ""),
    "zhujian":        ("",     "",     "",     ""),
    "zhifa_a":        ("V",    "",     "",     ""),      # its department's plans, to perform, not to plan
    "zhifa_b":        ("V",    "",     "",     ""),
    "zhuanjia":       ("",     "",     "",     ""),
    "ducha":          ("",     "",     "",     ""),
    "admin":          ("",     "",     "",     ""),
    "shenji":         ("",     "",     "",     ""),
    "qiye_a_fzr":     ("",     "",     "",     ""),
    "qiye_b":         ("",     "",     "",     ""),
    "yingji":         ("VUID", "",     "",     ""),
    "xiaofang":       ("",     "",     "",     ""),
    "jiaotong":       ("",     "",     "",     ""),
    "secadmin":       ("",     "",     "",     ""),
}
TASKS = {                # T_JOINT (S_A 联合: 住建+应急)  T_EXP (S_B, 专家/督查授权)  T_HID (S_A 暗访, 未实施)
    "shi_anweiban":   ("V", "V", "V"),
    "anweiban":       ("V", "V", "V"),
    "linqu_anweiban": ("",  "",  ""),
    "jiedao_a":       ("V", "",  ""),   # hidden from the street until performed
    "jiedao_b":       ("",  "V", ""),
    "lingdao":        ("V", "",  ""),
    "wangge_a":       ("V", "",  ""),   # hidden from the grid
    "qiye_a":         ("V", "",  ""),   # hidden from the enterprise
    "zhujian":        ("V", "",  "V"),  # regulates E_A; not in the chain
    "zhifa_a":        ("V", "V", "V"),  # joint: its department owns a part; 暗访: named, granted
    "zhifa_b":        ("V", "V", "V"),
    "zhuanjia":       ("",  "V", ""),   # granted by the plan
    "ducha":          ("",  "V", ""),
    "admin":          ("",  "",  ""),
    "shenji":         ("",  "",  ""),
    "qiye_a_fzr":     ("",  "",  ""),
    "qiye_b":         ("",  "",  ""),
    "yingji":         ("V", "V", ""),   # owns a part of the joint visit; regulates E_B
    "xiaofang":       ("",  "",  ""),
    "jiaotong":       ("",  "",  ""),
    "secadmin":       ("",  "",  ""),
}
CHECKLISTS = {           # CL_SYS (系统)  CL_DIST (区安委办)  CL_ZJ (住建局草稿)  CL_LQ (邻区)
    "shi_anweiban":   ("V",   "VNp",  "",    "VNp"),   # the city manages the units' templates below it
    "anweiban":       ("V",   "VNp",  "",    ""),
    "linqu_anweiban": ("V",   "",     "",    "VNp"),
    "jiedao_a":       ("V",   "V",    "",    ""),
    "jiedao_b":       ("V",   "V",    "",    ""),
    "lingdao":        ("V",   "V",    "",    ""),
    "wangge_a":       ("V",   "V",    "",    ""),
    "qiye_a":         ("V",   "V",    "",    ""),
    "zhujian":        ("V",   "V",    "VnP", ""),
    "zhifa_a":        ("V",   "V",    "",    ""),
    "zhifa_b":        ("V",   "V",    "",    ""),
    "zhuanjia":       ("",    "",     "",    ""),      # grants only: works from the task, not the library
    "ducha":          ("",    "",     "",    ""),
    "admin":          ("VNp", "V",    "",    "V"),
    "shenji":         ("V",   "V",    "",    "V"),
    "qiye_a_fzr":     ("V",   "V",    "",    ""),
    "qiye_b":         ("V",   "V",    "",    ""),
    "yingji":         ("V",   "V",    "",    ""),
    "xiaofang":       ("V",   "V",    "",    ""),
    "jiaotong":       ("V",   "V",    "",    ""),
    "secadmin":       ("V",   "V",    "",    "V"),
}
DRAW_VIEWERS = {"shi_anweiban", "anweiban"}
PLAN_CREATORS = {"shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "zhujian", "yingji",
                 "xiaofang", "jiaotong", "qiye_a", "qiye_a_fzr", "qiye_b"}
CHECKLIST_MANAGERS = {"shi_anweiban", "anweiban", "linqu_anweiban", "zhujian", "yingji", "xiaofang", "jiaotong", "admin"}
# fmt: on


def rolled_back(fn):
    """Run a write probe inside a savepoint that is always rolled back."""

    def probe(client, obj):
        with transaction.atomic():
            result = fn(client, obj)
            transaction.set_rollback(True)
        return result

    return probe


def _plan_body(plan) -> dict:
    return {
        "version": plan.version, "name": plan.name, "kind": plan.kind, "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(), "territory": plan.territory_id,
        "industries": list(plan.industries.values_list("code", flat=True)), "risk_colours": plan.risk_colours,
        "checklists": list(plan.checklists.values_list("pk", flat=True)),
        "joint_departments": list(plan.joint_departments.values_list("pk", flat=True)),
        "part_departments": plan.part_departments, "enforcement": plan.enforcement, "unannounced": plan.unannounced,
        "inspectors_per_task": plan.inspectors_per_task, "notes": plan.notes,
    }


#: plan id → the person ids used for issuing and drawing it (set when the world is built).
PEOPLE: dict[int, list[int]] = {}


def _update_api(client, plan):
    return outcome(api_json(client, "put", f"/api/v1/inspection-plans/{plan.pk}", _plan_body(plan)))


def _issue_api(client, plan):
    body = {"version": plan.version, "inspectors": PEOPLE[plan.pk]}
    return outcome(api_json(client, "post", f"/api/v1/inspection-plans/{plan.pk}/issue", body))


def _issue_page(client, plan):
    return outcome(client.post(f"/inspection-plans/{plan.pk}/issue/", {"version": plan.version, "inspectors": PEOPLE[plan.pk]}).status_code)


def _draw_api(client, plan):
    body = {"version": plan.version, "seed": 1, "target_count": 1, "pool": PEOPLE[plan.pk]}
    return outcome(api_json(client, "post", f"/api/v1/inspection-plans/{plan.pk}/draws", body))


def _get(url):
    return lambda client, obj: outcome(client.get(url.format(id=obj.pk)).status_code)


def _checklist_post(suffix):
    return lambda client, c: outcome(api_json(client, "post", f"/api/v1/checklists/{c.pk}/{suffix}", {}))


PLAN = Surface(
    name="plan",
    api_list=lambda p: f"/api/v1/inspection-plans?q={p.name}&page_size=200",
    api_detail="/api/v1/inspection-plans/{id}",
    page_list=lambda p: f"/inspection-plans/?q={p.name}",
    page_detail="/inspection-plans/{id}/",
    actions={
        "U": (rolled_back(_update_api), _get("/inspection-plans/{id}/edit/")),
        "I": (rolled_back(_issue_api), rolled_back(_issue_page)),
        "D": (rolled_back(_draw_api), _get("/inspection-plans/{id}/draw/")),
    },
)
TASK = Surface(
    name="task",
    api_list=lambda t: f"/api/v1/inspections?q={t.site.name}&page_size=200",
    api_detail="/api/v1/inspections/{id}",
    page_list=None,
    page_detail="/inspections/{id}/",
)
CHECKLIST = Surface(
    name="checklist",
    api_list=lambda c: "/api/v1/checklists?page_size=200",
    api_detail="/api/v1/checklists/{id}",
    page_list=lambda c: f"/checklists/?q={c.name}",
    page_detail="/checklists/{id}/",
    actions={
        "N": (rolled_back(_checklist_post("new-version")), None),
        "P": (rolled_back(_checklist_post("publish")), None),
    },
)
TABLES = [
    (PLAN, ["P_YJ", "P_ST", "P_HID", "P_LQ"], PLANS),
    (TASK, ["T_JOINT", "T_EXP", "T_HID"], TASKS),
    (CHECKLIST, ["CL_SYS", "CL_DIST", "CL_ZJ", "CL_LQ"], CHECKLISTS),
]
CELLS = [
    pytest.param(surface, name, user, table[user][i], id=f"{surface.name}-{name}-{user}")
    for surface, names, table in TABLES
    for i, name in enumerate(names)
    for user in USERS
]


def _person(w, username) -> int:
    return w["users"][username].person_id


def _named(w: dict) -> dict:
    """The named plans, tasks, checklists and draw, made through the services."""
    u = w["users"]
    today = datetime.date.today()
    period = {"period_start": today.isoformat(), "period_end": (today + datetime.timedelta(days=30)).isoformat()}

    def items(tag):
        return [{"number": "1", "text": f"{tag}：检查项一"}, {"number": "2", "text": f"{tag}：检查项二"}]

    def published(user, name):
        draft = cl.checklist_create(actor=u[user], data={"name": name, "items": items(name)})
        return cl.checklist_publish(actor=u[user], checklist=draft)

    n = {
        "CL_SYS": published("admin", "矩阵系统检查表"),
        "CL_DIST": published("anweiban", "矩阵区安委办检查表"),
        "CL_ZJ": cl.checklist_create(actor=u["zhujian"], data={"name": "矩阵住建局草稿", "items": items("住建")}),
        "CL_LQ": published("linqu_anweiban", "矩阵邻区检查表"),
    }
    zj_pub = published("zhujian", "矩阵住建局检查表")
    yj_pub = published("yingji", "矩阵应急局检查表")
    base = {"checklists": [n["CL_SYS"].pk], **period}

    def plan(user, name, **data):
        return plans.plan_create(actor=u[user], data={"name": name, **base, **data})

    n["P_YJ"] = plan("yingji", "矩阵应急局执法计划", kind="industry", enforcement=True)
    PEOPLE[n["P_YJ"].pk] = [_person(w, "zhifa_a"), _person(w, "zhifa_b")]
    n["P_ST"] = plan("jiedao_a", "矩阵街道甲计划", kind="territorial")
    PEOPLE[n["P_ST"].pk] = [_person(w, "jiedao_a"), _person(w, "wangge_a")]
    n["P_LQ"] = plan("linqu_anweiban", "矩阵邻区计划", kind="territorial", inspectors_per_task=1)
    PEOPLE[n["P_LQ"].pk] = [_person(w, "linqu_anweiban")]

    hid = plan("anweiban", "矩阵区暗访计划", kind="unannounced", territory=w["G_A"].pk, industries=["construction"])
    PEOPLE[hid.pk] = [_person(w, "zhifa_a"), _person(w, "zhifa_b")]
    tasks = plans.plan_issue(actor=u["anweiban"], plan=hid, version=hid.version, inspectors=PEOPLE[hid.pk])
    n["P_HID"] = InspectionPlan.objects.get(pk=hid.pk)
    n["T_HID"] = next(t for t in tasks if t.site_id == w["S_A"].pk)

    depts = w["departments"]
    joint = plan("anweiban", "矩阵联合检查计划", kind="joint", territory=w["G_A"].pk, industries=["construction"],
                 checklists=[zj_pub.pk, yj_pub.pk], joint_departments=[depts["zhujian"].pk, depts["yingji"].pk])
    tasks = plans.plan_issue(actor=u["anweiban"], plan=joint, version=joint.version,
                             inspectors=[_person(w, "zhujian"), _person(w, "zhifa_a")])
    n["T_JOINT"] = next(t for t in tasks if t.site_id == w["S_A"].pk)

    expert = plan("anweiban", "矩阵专家检查计划", kind="expert", territory=w["G_B"].pk, industries=["hazchem"])
    tasks = plans.plan_issue(actor=u["anweiban"], plan=expert, version=expert.version,
                             inspectors=[_person(w, "zhuanjia"), _person(w, "ducha")])
    n["T_EXP"] = next(t for t in tasks if t.site_id == w["S_B"].pk)

    drawn = plan("anweiban", "矩阵区双随机计划", kind="territorial")
    n["D_DIST"] = plans.plan_draw(actor=u["anweiban"], plan=drawn, version=drawn.version, seed=20261122, target_count=3,
                                  pool=[_person(w, "jiedao_a"), _person(w, "jiedao_b"), _person(w, "zhujian")])
    return n


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.update(_named(built))
        yield built
        PEOPLE.clear()
        transaction.set_rollback(True)


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def _refresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_the_tables_cover_every_demo_user(world):
    assert set(USERS) == set(world["users"]), "every demo user must have a row in every table"
    for _, names, table in TABLES:
        assert set(table) == set(USERS)
        assert all(len(row) == len(names) for row in table.values())


@pytest.mark.django_db
@pytest.mark.parametrize(("surface", "name", "user", "letters"), CELLS)
def test_matrix_cell(world, surface, name, user, letters):
    problems = check_cell(_client(world, user), surface, world[name], letters, _refresh)
    assert not problems, f"{user} × {name}: " + "; ".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
def test_draw_record_and_verify(world, user):
    draw = world["D_DIST"]
    client = _client(world, user)
    want = OK if user in DRAW_VIEWERS else MISSING
    assert outcome(client.get(f"/api/v1/draws/{draw.pk}").status_code) == want
    assert outcome(client.get(f"/api/v1/draws/{draw.pk}/verify").status_code) == want
    assert outcome(client.get(f"/inspection-plans/draws/{draw.pk}/?verify=1").status_code) == want


@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
def test_create_matrix(world, user):
    client = _client(world, user)
    enterprise = user.startswith("qiye")
    body = {"name": f"矩阵新建计划{user}", "kind": "self" if enterprise else "territorial",
            "period_start": "2026-12-01", "period_end": "2026-12-31", "checklists": [world["CL_SYS"].pk]}
    with transaction.atomic():
        got = outcome(api_json(client, "post", "/api/v1/inspection-plans", body))
        page = outcome(client.get("/inspection-plans/new/").status_code)
        made = outcome(api_json(client, "post", "/api/v1/checklists", {"name": "矩阵新建检查表", "items": [{"number": "1", "text": "x"}]}))
        transaction.set_rollback(True)
    assert got == page == (OK if user in PLAN_CREATORS else "forbidden"), (got, page)
    assert made == (OK if user in CHECKLIST_MANAGERS else "forbidden")


@pytest.mark.django_db
def test_an_out_of_scope_checklist_in_a_plan_body_is_refused(world):
    client = _client(world, "jiedao_a")
    body = {"name": "越权检查表", "kind": "territorial", "period_start": "2026-12-01", "period_end": "2026-12-31",
            "checklists": [world["CL_LQ"].pk]}
    response = client.post("/api/v1/inspection-plans", data=body, content_type="application/json")
    assert response.status_code == 422 and "检查表" in response.json()["errors"]["checklists"][0]
    assert not InspectionPlan.objects.filter(name="越权检查表").exists()


@pytest.mark.django_db
def test_matrix_fails_when_plan_scope_is_removed(world, monkeypatch):
    from anquan.core.scoping import EVERYTHING
    from anquan.inspections.models.plan import PlanQuerySet

    monkeypatch.setattr(PlanQuerySet, "scope_q", lambda self, assignment: EVERYTHING)
    problems = check_cell(_client(world, "jiedao_b"), PLAN, world["P_ST"], PLANS["jiedao_b"][1], _refresh)
    assert problems, "an unscoped plan queryset must break the matrix"
    assert Draw.objects.filter(pk=world["D_DIST"].pk).exists()
