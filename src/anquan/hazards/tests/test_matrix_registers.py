"""Permission matrix of the registers (挂牌督办台账, 延期审批, 逾期说明与提请研究) and the workbench: every
demo user × named row, against expectations written here by hand from the role table and the
who-found-it rule (not read from the code under test).

Rows, on the matrix world's hazards (core/tests/matrix_world.py): EXT_A a pending extension of H_A
(found by wangge_a in street A) asked by qiye_a; EXT_B of H_B (found by jiedao_b) asked by jiedao_b
himself; EXT_L of H_L (邻区) asked by linqu_anweiban; EXT_W of H_W, found by 示范区's 安委办 itself at
S_B; EXP_A a written explanation of H_A; ESC_L an escalation of H_L; LST a 示范区 listing of H_MAJ whose
resume application awaits the review.

Letters: V the row is listed on the register page (and in its export for those who may export);
M it is in "mine" — an extension waiting on this user's decision (who-found-it rule, never one's own
request; the 安委办 decides only what its own level found, though it may decide more), a listing
awaiting this user's level's on-site review. The last column: X the register exports
(else 403). The 系统管理员 and the other administrator roles see no row of any register and export
none (三权分立), and their ``/`` is the administration page, not a workbench.
"""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from anquan.core.tests.matrix_world import assignment_of, build_world
from anquan.hazards.choices import ListingLevel, ListingStatus
from anquan.hazards.models import DeadlineExtension, ListedSupervision, OverdueExplanation

USERS = [
    "shi_anweiban", "anweiban", "linqu_anweiban", "jiedao_a", "jiedao_b", "lingdao", "wangge_a",
    "qiye_a", "zhujian", "zhifa_a", "zhifa_b", "zhuanjia", "ducha", "admin", "shenji",
    "qiye_a_fzr", "qiye_b", "yingji", "xiaofang", "jiaotong", "secadmin",
]
NOBODY = ["zhuanjia", "ducha", "admin", "shenji", "qiye_a_fzr", "qiye_b", "secadmin"]
OTHER_DEPARTMENTS = ["xiaofang", "jiaotong"]  # may export the registers; none of these rows is theirs

# fmt: off
EXTENSIONS = {           # EXT_A  EXT_B  EXT_L  EXT_W      export
    "shi_anweiban":   ("V",   "V",   "V",   "V",       "X"),   # may decide all four; none waits on the city
    "anweiban":       ("V",   "V",   "",    "VM",      "X"),   # only what 示范区's 安委办 found itself
    "linqu_anweiban": ("",    "",    "V",   "",        "X"),   # asked it himself: never decides it
    "jiedao_a":       ("VM",  "",    "",    "",        "X"),
    "jiedao_b":       ("",    "V",   "",    "V",       "X"),   # his own request; H_W not his street's find
    "lingdao":        ("V",   "",    "",    "",        "X"),
    "wangge_a":       ("V",   "",    "",    "",        ""),
    "qiye_a":         ("V",   "",    "",    "",        ""),
    "zhujian":        ("V",   "",    "",    "",        "X"),   # sees H_A (建筑施工), did not find it
    "zhifa_a":        ("",    "V",   "",    "V",       ""),
    "zhifa_b":        ("",    "V",   "",    "V",       ""),
    "yingji":         ("",    "V",   "",    "V",       "X"),
    **dict.fromkeys(OTHER_DEPARTMENTS, ("", "", "", "", "X")),
    **dict.fromkeys(NOBODY, ("", "", "", "", "")),
}
EXPLANATIONS = {         # EXP_A  ESC_L
    "shi_anweiban":   ("V",   "V"),
    "anweiban":       ("V",   ""),
    "linqu_anweiban": ("",    "V"),
    "jiedao_a":       ("V",   ""),
    "jiedao_b":       ("",    ""),
    "lingdao":        ("V",   ""),
    "wangge_a":       ("V",   ""),
    "qiye_a":         ("V",   ""),
    "zhujian":        ("V",   ""),
    "zhifa_a":        ("",    ""),
    "zhifa_b":        ("",    ""),
    "yingji":         ("",    ""),
    **dict.fromkeys(NOBODY + OTHER_DEPARTMENTS, ("", "")),
}
LISTINGS = {             # LST (示范区挂牌, 已申请复工复产)
    "shi_anweiban":   ("V",),    # a higher level sees it; only the listing level reviews
    "anweiban":       ("VM",),
    "linqu_anweiban": ("",),
    "jiedao_a":       ("V",),
    "jiedao_b":       ("",),
    "lingdao":        ("V",),
    "wangge_a":       ("V",),
    "qiye_a":         ("V",),
    "zhujian":        ("V",),
    "zhifa_a":        ("",),
    "zhifa_b":        ("",),
    "yingji":         ("",),
    **dict.fromkeys(NOBODY + OTHER_DEPARTMENTS, ("",)),
}
ADMINISTRATORS = {"admin", "shenji", "secadmin"}
# fmt: on


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The matrix world plus the register rows, built once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        w = build_world()
        users, now = w["users"], timezone.now()

        def extension(hazard, by):
            return DeadlineExtension.objects.create(
                hazard=hazard, previous_deadline=hazard.deadline_in_force,
                requested_deadline=hazard.deadline_in_force + timezone.timedelta(days=10),
                reason="矩阵：设备到货延迟", requested_by=users[by], requested_at=now)

        w["H_W"] = _record_by_anweiban(w)
        w["EXT_A"], w["EXT_B"], w["EXT_L"] = (extension(w["H_A"], "qiye_a"), extension(w["H_B"], "jiedao_b"),
                                             extension(w["H_L"], "linqu_anweiban"))
        w["EXT_W"] = extension(w["H_W"], "jiedao_b")
        w["EXP_A"] = OverdueExplanation.objects.create(hazard=w["H_A"], kind="explanation", text="矩阵：逾期说明",
                                                       submitted_by=users["qiye_a"], submitted_role="ent_manager",
                                                       submitted_at=now)
        w["ESC_L"] = OverdueExplanation.objects.create(hazard=w["H_L"], kind="escalation", text="矩阵：提请研究",
                                                       submitted_by=users["linqu_anweiban"], submitted_role="anweiban",
                                                       submitted_at=now)
        district = assignment_of("anweiban").unit
        w["LST"] = ListedSupervision.objects.create(
            hazard=w["H_MAJ"], level=ListingLevel.DISTRICT, listing_unit=district, document_no="示安委办督〔2026〕9号",
            deadline=timezone.localdate() + timezone.timedelta(days=30), status=ListingStatus.RESUME_APPLIED,
            listed_at=now, listed_by=users["anweiban"], resume_applied_at=now, resume_application="矩阵：申请复工")
        yield w
        transaction.set_rollback(True)


def _record_by_anweiban(w):
    from anquan.core.tests.matrix_world import png
    from anquan.hazards import services
    from anquan.hazards.models import HazardCategory

    category = HazardCategory.objects.filter(active=True, parent__isnull=False).order_by("path").first()
    data = {"site": w["S_B"].pk, "source": "territorial", "description": "矩阵：安委办抽查发现消防通道堵塞",
            "deadline": (timezone.localdate() + timezone.timedelta(days=30)).isoformat(), "category": category.pk}
    return services.hazard_record(actor=w["users"]["anweiban"], data=data, photos=[png()])


def _client(world, username) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def _listed(client, url, hazard) -> bool:
    response = client.get(url)
    assert response.status_code == 200, url
    return f"/hazards/{hazard.pk}/" in response.content.decode()


def _exported(client, url) -> set[str] | None:
    response = client.get(url)
    if response.status_code == 403:
        return None
    assert response.status_code == 200, url
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("隐患编号")
    return {row[column] for row in rows[1:]}


def _check(world, client, base, names, letters, export_letters) -> list[str]:
    problems = []
    exported = _exported(client, f"{base}export.xlsx")
    want_export = "X" in export_letters
    if (exported is not None) != want_export:
        problems.append(f"{base} export: expected {'200' if want_export else '403'}")
    for name, expected in zip(names, letters, strict=True):
        row = world[name]
        hazard = row.hazard
        if _listed(client, f"{base}?q={hazard.number}", hazard) != ("V" in expected):
            problems.append(f"{name} listed: expected {'V' in expected}")
        if exported is not None and (hazard.number in exported) != ("V" in expected):
            problems.append(f"{name} exported: expected {'V' in expected}")
        if name.startswith(("EXT", "LST")):
            mine = f"{base}?mine=1&q={hazard.number}"
            if _listed(client, mine, hazard) != ("M" in expected):
                problems.append(f"{name} mine: expected {'M' in expected}")
    return problems


def test_the_tables_cover_every_demo_user(world):
    for table in (EXTENSIONS, EXPLANATIONS, LISTINGS):
        assert set(table) == set(USERS) == set(world["users"])


@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
def test_registers(world, user):
    client = _client(world, user)
    if user in ADMINISTRATORS:  # 三权分立: no business row, whether the page is closed (403) or empty
        hazards = [world[name].hazard for name in ("EXT_A", "EXT_B", "EXT_L", "EXT_W", "EXP_A", "ESC_L", "LST")]
        for base in ("/hazards/extensions/", "/hazards/explanations/", "/hazards/listings/"):
            for url in (base, f"{base}?mine=1"):
                response = client.get(url)
                assert response.status_code in (200, 403), url
                assert not any(f"/hazards/{h.pk}/" in response.content.decode() for h in hazards), url
            assert client.get(f"{base}export.xlsx").status_code == 403
        return
    export = EXTENSIONS[user][4]
    problems = _check(world, client, "/hazards/extensions/", ["EXT_A", "EXT_B", "EXT_L", "EXT_W"], EXTENSIONS[user][:4],
                      export)
    problems += _check(world, client, "/hazards/explanations/", ["EXP_A", "ESC_L"], EXPLANATIONS[user], export)
    problems += _check(world, client, "/hazards/listings/", ["LST"], LISTINGS[user], export)
    assert not problems, f"{user}: " + "; ".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("user", USERS)
def test_the_home_page_is_a_workbench_only_for_business_roles(world, user):
    html = _client(world, user).get("/").content.decode()
    if user in ADMINISTRATORS:
        assert "今日待办" not in html and "data-todo" not in html
        assert "/hazards/listings/" not in html  # no register in the navigation either
    else:
        assert "今日待办" in html
