"""Permission matrix of official documents: every demo user × named document × view/download/void,
and × the object a document is about × issue, through the pages and the API. Expectations are
written here by hand from domain.md (who sees the object, who issues in which organ's name),
not read from the code.

Documents (issued in the fixture through the services):
- ``D_A``: 现场检查记录 of I_DONE (S_A, performed), issued by zhifa_a for 应急管理局.
- ``D_H``: 通报 about I_HIDDEN (暗访, not yet performed), issued by yingji for 应急管理局 — hidden from the
  enterprise and its street/community/grid like the inspection itself (the hidden-until rule).
- ``D_B``: 整改复查意见书 of H_B, issued by jiedao_b for 街道乙.
- ``D_L``: 通报 about H_L (邻区), issued by linqu_anweiban for 邻区 (a 安委办 issues no enforcement order).
- ``D_N``: a 通报 about nothing, issued by anweiban for 示范区 (readable by the issuer's scope only).

Letters: V view (API list + detail, page list + detail), D download (.docx, API and page), X void
(作废: only the issuing organ). Issue letters, per object: I issue a document about it (API: 通报
naming it; page: the object's generate-button). Without I: 403 when the object is visible,
otherwise 404 (page) / 422 (API: an out-of-scope id in a body). C: a 安委办 about a hazard — it issues a
通报 about it (API) but not a 责令限期整改指令书 (page: 403, it is not an enforcement body).
"""
from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from anquan.core.scoping import ScopedQuerySet
from anquan.core.tests.matrix import FORBIDDEN, INVALID, MISSING, OK, Surface, api_json, check_cell, outcome
from anquan.core.tests.matrix_world import build_world

USERS = [
    "shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a",
    "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji",
    "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin",
]
NOBODY = ["zhuanjia", "ducha", "admin", "shenji", "qiye_a_fzr", "qiye_b", "xiaofang", "jiaotong", "secadmin"]

# fmt: off
DOCUMENTS = {            # D_A (检查记录, I_DONE)  D_H (通报, 暗访未实施)  D_B (复查, H_B)  D_L (邻区)  D_N (区安委办通报)
    "shi_anweiban":   ("VD",  "VD",  "VD",  "VD",  "VD"),    # the city sees everything below, issues none of these
    "anweiban":       ("VD",  "VD",  "VD",  "",    "VDX"),
    "linqu_anweiban": ("",    "",    "",    "VDX", ""),
    "jiedao_a":       ("VD",  "",    "",    "",    ""),      # street of S_A: D_H hidden until performed
    "jiedao_b":       ("",    "",    "VDX", "",    ""),
    "lingdao":        ("VD",  "",    "",    "",    ""),
    "wangge_a":       ("VD",  "",    "",    "",    ""),      # grid of S_A: hidden
    "qiye_a":         ("VD",  "",    "",    "",    ""),      # the enterprise: hidden
    "zhujian":        ("VD",  "VD",  "",    "",    ""),      # regulates S_A (建筑施工)
    "zhifa_a":        ("VDX", "VDX", "VD",  "",    ""),
    "zhifa_b":        ("VDX", "VDX", "VD",  "",    ""),
    "yingji":         ("VDX", "VDX", "VD",  "",    ""),
    **dict.fromkeys(NOBODY, ("", "", "", "", "")),
}
ISSUE = {                # I_DONE  I_HIDDEN  H_A  H_B  H_L
    "shi_anweiban":   ("I", "I", "C", "C", "C"),
    "anweiban":       ("I", "I", "C", "C", ""),
    "linqu_anweiban": ("",  "",  "",  "",  "C"),
    "jiedao_a":       ("I", "",  "I", "",  ""),
    "jiedao_b":       ("",  "",  "",  "I", ""),
    "lingdao":        ("V", "",  "V", "",  ""),   # a leader views, issues nothing
    "wangge_a":       ("V", "",  "V", "",  ""),
    "qiye_a":         ("V", "",  "V", "",  ""),   # an enterprise receives documents, never issues them
    "zhujian":        ("I", "I", "I", "",  ""),
    "zhifa_a":        ("I", "I", "",  "I", ""),
    "zhifa_b":        ("I", "I", "",  "I", ""),
    "yingji":         ("I", "I", "",  "I", ""),
    **dict.fromkeys(NOBODY, ("", "", "", "", "")),
}
# fmt: on

DOCS = ["D_A", "D_H", "D_B", "D_L", "D_N"]
OBJECTS = ["I_DONE", "I_HIDDEN", "H_A", "H_B", "H_L"]


def _rolled_back(probe):
    """Run a writing probe in a savepoint that is always rolled back (the table tests who may, once each)."""
    def run(client, obj):
        sid = transaction.savepoint()
        try:
            return probe(client, obj)
        finally:
            transaction.savepoint_rollback(sid)
    return run


def _get(url):
    return lambda client, obj: outcome(client.get(url.format(id=obj.pk)).status_code)


def _void_api(client, d):
    return outcome(api_json(client, "post", f"/api/v1/documents/{d.pk}/void", {"version": d.version, "reason": "矩阵测试"}))


def _void_page(client, d):
    return outcome(client.post(f"/documents/{d.pk}/void/", {"version": d.version, "reason": "矩阵测试"}).status_code)


DOCUMENT = Surface(
    name="document",
    api_list=lambda d: f"/api/v1/documents?q={d.number}",
    api_detail="/api/v1/documents/{id}",
    page_list=lambda d: f"/documents/?q={d.number}",
    page_detail="/documents/{id}/",
    actions={
        "D": (_get("/api/v1/documents/{id}/file"), _get("/documents/{id}/docx/")),
        "X": (_rolled_back(_void_api), _rolled_back(_void_page)),
    },
)


def _about_field(obj) -> str:
    return "inspection" if type(obj).__name__ == "Inspection" else "hazard"


def _issue_api(client, obj):
    body = {"title": "关于矩阵测试的通报", "recipients": "各街道", "paragraphs": ["矩阵测试。"], _about_field(obj): obj.pk}
    return outcome(api_json(client, "post", "/api/v1/documents/circular", body))


def _issue_page(client, obj):
    if _about_field(obj) == "inspection":
        if obj.performed_at is None:
            return None  # an inspection record needs a performed inspection; the API probe covers it
        url = f"/documents/issue/inspection_record/inspection/{obj.pk}/"
    else:
        url = f"/documents/issue/rectification_order/hazard/{obj.pk}/"
    return outcome(client.post(url).status_code)


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, media_dir):
    """Overrides the package's per-test media directory: the named documents' files live for the module."""
    settings.MEDIA_ROOT = str(media_dir)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_dir):
    """The demo city, the named objects and the named documents, rolled back at the end of the module."""
    from django.test import override_settings

    from anquan.documents.generators import issue_circular, issue_inspection_record, issue_recheck_opinion

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media_dir)), transaction.atomic():
        w = build_world()
        u = w["users"]
        w["D_A"] = issue_inspection_record(u["zhifa_a"], w["I_DONE"])
        w["D_H"] = issue_circular(u["yingji"], title="关于暗访检查安排的通报", recipients="执法大队", paragraphs=["按计划实施。"],
                                  about=w["I_HIDDEN"])
        w["D_B"] = issue_recheck_opinion(u["jiedao_b"], w["H_B"])
        w["D_L"] = issue_circular(u["linqu_anweiban"], title="关于重大事故隐患整改的通报", recipients="各街道办事处",
                                  paragraphs=["请督促整改。"], about=w["H_L"])
        w["D_N"] = issue_circular(u["anweiban"], title="关于开展安全生产大检查的通报", recipients="各街道办事处",
                                  paragraphs=["请认真组织。"])
        yield w
        transaction.set_rollback(True)


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def _refresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_the_tables_cover_every_demo_user(world):
    assert set(USERS) == set(world["users"])
    for table in (DOCUMENTS, ISSUE):
        assert set(table) == set(USERS)
    assert world["D_A"].issuer_department == world["departments"]["yingji"]
    assert world["D_B"].issuer_unit == world["S_B"].grid.parent.parent  # 街道乙 (grid › community › street)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "user", "letters"),
                         [pytest.param(n, u, DOCUMENTS[u][i], id=f"{n}-{u}") for i, n in enumerate(DOCS) for u in USERS])
def test_document_cell(world, name, user, letters):
    problems = check_cell(_client(world, user), DOCUMENT, world[name], letters, _refresh)
    assert not problems, f"{user} × {name}: " + "; ".join(problems)


def _expected_issue(letters: str, api: bool) -> str:
    if "C" in letters:
        return OK if api else FORBIDDEN
    if "I" in letters:
        return OK
    if "V" in letters:
        return FORBIDDEN
    return INVALID if api else MISSING


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "user", "letters"),
                         [pytest.param(n, u, ISSUE[u][i], id=f"{n}-{u}") for i, n in enumerate(OBJECTS) for u in USERS])
def test_issue_cell(world, name, user, letters):
    client, obj = _client(world, user), _refresh(world[name])
    problems = []
    for where, probe in (("api", _issue_api), ("page", _issue_page)):
        got = _rolled_back(probe)(client, obj)
        if got is None:
            continue
        want = _expected_issue(letters, api=where == "api")
        if got != want:
            problems.append(f"{where}: expected {want}, got {got}")
    assert not problems, f"{user} × {name}: " + "; ".join(problems)


@pytest.mark.django_db
def test_hidden_document_appears_once_the_inspection_is_performed(world):
    from django.utils import timezone

    from anquan.inspections.models import Inspection

    client = _client(world, "qiye_a")
    doc = world["D_H"]
    assert client.get(f"/api/v1/documents/{doc.pk}").status_code == 404
    Inspection.objects.filter(pk=world["I_HIDDEN"].pk).update(performed_at=timezone.now())
    assert client.get(f"/api/v1/documents/{doc.pk}").status_code == 200
    assert _client(world, "jiedao_a").get(f"/documents/{doc.pk}/").status_code == 200


@pytest.mark.django_db
def test_matrix_fails_when_visible_to_is_unscoped(world, monkeypatch):
    """Meta-test: with visible_to returning everything, the same tables report leaks."""
    monkeypatch.setattr(ScopedQuerySet, "visible_to", lambda self, user, action="view": self.all())
    failures = []
    for i, name in enumerate(DOCS):
        for user in ("jiedao_a", "qiye_a", "linqu_anweiban"):
            failures += check_cell(_client(world, user), DOCUMENT, world[name], DOCUMENTS[user][i], _refresh)
    assert any("detail: expected missing, got ok" in f for f in failures), failures
    assert any("list: expected missing, got ok" in f for f in failures), failures
