"""The demo's inspections: the scripted plans and tasks are what the services make, the 暗访 stays hidden
from qiye_a and jiedao_a, the year of visits gives coverage something to show, and it is deterministic."""
import datetime
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command

from anquan.accounts.models import Person
from anquan.audit.models import AuditEvent
from anquan.demo.generator import build_demo
from anquan.demo.inspections import Scenes, _day
from anquan.enterprises.models import Site
from anquan.hazards.models import Hazard
from anquan.inspections import coverage as cov
from anquan.inspections.models import Answer, Draw, Inspection, InspectionPlan, Signature
from anquan.inspections.services.plans import draw_verify
from anquan.rules.calendar import SHANGHAI, local_date

AS_OF = datetime.date(2026, 3, 1)
CUTOFF = datetime.datetime(2026, 3, 1, tzinfo=SHANGHAI)
SMALL = {"seed": 7, "as_of": AS_OF, "streets": 3, "enterprises": 60, "inspections": True}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def demo(db, media):
    return build_demo(**SMALL)


def _visible(user, pk) -> bool:
    return Inspection.objects.visible_to(user).filter(pk=pk).exists()


@pytest.mark.django_db
def test_the_scripted_plans_and_tasks(demo):
    users, depts = demo.users, demo.departments
    hang = InspectionPlan.objects.get(department=depts["yingji"], kind="industry")
    assert hang.status == "issued" and hang.enforcement and hang.created_by == users["yingji"]
    draw = Draw.objects.get(plan=hang)
    # a realistic pool: zhifa_a, zhifa_b and five colleagues of the bureau, every one with a 执法证号
    pool = list(Person.objects.filter(pk__in=draw.pool))
    assert draw.seed == 7035 and len(pool) == 7 and {users["zhifa_a"].person_id, users["zhifa_b"].person_id} <= set(draw.pool)
    assert all(p.enforcement_cert_no and p.department == depts["yingji"] for p in pool)
    assert len({p.enforcement_cert_no for p in pool}) == 7
    assert len({tuple(r["inspectors"]) for r in draw.result}) > 1  # the "random" pair does change
    assert draw_verify(draw)["same"]
    assert AuditEvent.objects.filter(model_key="draw", object_id=draw.pk, action="draw").exists()
    tasks = list(hang.inspections.all())
    assert len(tasks) == 6 and {t.site_id for t in tasks} == {r["site"] for r in draw.result}
    done = sorted((t for t in tasks if t.performed_at), key=lambda t: t.performed_at)
    assert [local_date(t.performed_at) for t in done] == [AS_OF - datetime.timedelta(days=n) for n in (28, 16, 6)]
    assert [t.hazards.count() for t in done] == [2, 1, 0]
    for t in done:
        items = sum(p.checklist.items.count() for p in t.parts.all())
        assert Answer.objects.filter(part__inspection=t).count() == items
        assert t.signatures.filter(signer_kind="inspector").count() == 2
        drawn = set(t.inspectors.values_list("pk", flat=True))
        assert t.completed_by.person_id in drawn and t.status == "performed"
        assert t.completed_by == users["zhifa_a"] or users["zhifa_a"].person_id not in drawn
        for h in t.hazards.all():
            assert h.finder_department == depts["yingji"] and h.inspection_answer.photos.count() == 1
            assert h.description == h.inspection_answer.item.finding  # a finding, not the checklist's question
    from anquan.documents.models import OfficialDocument

    docs = OfficialDocument.objects.visible_to(users["zhifa_a"])
    # + the 挂牌督办通知书 of jiedao_a's street listing of scene A14 (a hazard 应急管理局 found, demo/hazards.py)
    assert sorted(docs.values_list("kind", flat=True)) == (["inspection_record"] * 3 + ["listing_notice"]
                                                           + ["rectification_order"] * 2)
    refused = Signature.objects.get(inspection__in=done, signer_kind="representative", refused=True)
    assert refused.inspection == done[1] and done[1].representative_refused and not refused.image

    shu = InspectionPlan.objects.get(organiser_unit=demo.street_a, kind="territorial")
    assert shu.territory == demo.grid_a and shu.created_by == users["jiedao_a"]
    performed = shu.inspections.filter(performed_at__isnull=False)
    assert performed.count() == 1 and shu.inspections.filter(performed_at__isnull=True).exists()
    assert set(performed.get().inspectors.values_list("pk", flat=True)) == {users["jiedao_a"].person_id, users["wangge_a"].person_id}

    lian = InspectionPlan.objects.get(kind="joint")
    task = lian.inspections.get(site__enterprise=demo.enterprise_b)
    assert task.performed_at and {p.department for p in task.parts.all()} == {depts["xiaofang"], depts["zhujian"]}
    for part in task.parts.all():  # each department answered its own part and owns its hazards
        owner = "xiaofang" if part.department == depts["xiaofang"] else "zhujian"
        assert set(part.answers.values_list("answered_by__username", flat=True)) == {owner}
        assert all(a.hazard.finder_department == part.department for a in part.answers.filter(result="nonconform"))
    assert task.hazards.count() == 2

    zi = InspectionPlan.objects.get(kind="self", enterprise=demo.enterprise_a)
    done = zi.inspections.get(performed_at__isnull=False)
    assert zi.created_by == users["qiye_a"] and done.completed_by == users["qiye_a"]
    assert [(h.source, h.finder_enterprise) for h in done.hazards.all()] == [("self", demo.enterprise_a)]
    assert not InspectionPlan.objects.visible_to(users["qiye_b"]).filter(pk=zi.pk).exists()
    assert {h.finder_department for h in Hazard.objects.visible_to(users["jiedao_b"]).filter(inspection=task)} <= {
        depts["xiaofang"], depts["zhujian"]}


@pytest.mark.django_db
def test_the_unannounced_task_is_hidden_until_performed(demo):
    users = demo.users
    task = Inspection.objects.get(unannounced=True, plan__isnull=True)
    assert task.site.enterprise == demo.enterprise_a and task.site.grid == demo.grid_a and task.performed_at is None
    assert set(task.inspectors.values_list("pk", flat=True)) == {users["zhifa_a"].person_id, users["zhifa_b"].person_id}
    for name in ("zhifa_a", "zhifa_b", "yingji", "anweiban"):
        assert _visible(users[name], task.pk), name
    for name in ("qiye_a", "qiye_a_fzr", "jiedao_a", "wangge_a", "lingdao"):
        assert not _visible(users[name], task.pk), name
    assert AuditEvent.objects.filter(model_key="inspection", object_id=task.pk, action="create").count() == 1
    # zhifa_a's list holds it with the plan's open tasks; the street's coverage does not count it as planned
    mine = Inspection.objects.visible_to(users["zhifa_a"]).filter(performed_at__isnull=True)
    assert task in mine and mine.filter(plan__kind="industry").count() == 3
    p = cov.Params(territory=demo.street_a, start=AS_OF - datetime.timedelta(days=60), end=AS_OF + datetime.timedelta(days=30))
    assert not cov.pending(users["jiedao_a"], p).filter(pk=task.pk).exists()
    assert cov.pending(users["anweiban"], cov.Params(territory=demo.district, start=p.start, end=p.end)).filter(pk=task.pk).exists()
    # the services accept it: performed on the as-of date, it shows to the enterprise and the street
    scenes = Scenes(demo, __import__("random").Random(1), AS_OF + datetime.timedelta(days=3), {}, 7)
    with time_machine.travel(_day(AS_OF, -3, 8), tick=True):
        scenes.perform(task, _day(AS_OF, -3, 10), {}, "zhifa_a", nonconform=1)
    for name in ("qiye_a", "jiedao_a"):
        assert _visible(users[name], task.pk), name
    assert Hazard.objects.visible_to(users["jiedao_a"]).filter(inspection=task).count() == 1
    call_command("verify_audit")


@pytest.mark.django_db
def test_the_year_of_visits_gives_coverage_something_to_show(demo):
    visits = Inspection.objects.filter(site__grid__district=demo.district, plan__isnull=True, unannounced=False)
    assert visits.count() > 100 and not visits.filter(performed_at__gte=CUTOFF).exists()
    assert not Inspection.objects.filter(performed_at__gte=CUTOFF).exists()
    assert not visits.filter(inspectors__isnull=True).exists()
    # every hazard found on an inspection has its visit: same site, same day, the finders among the inspectors
    for h in Hazard.objects.filter(district=demo.district, source__in=["industry", "territorial"], inspection__isnull=True)[:40]:
        day = local_date(h.found_at)
        match = [v for v in visits.filter(site=h.site, kind=h.source).prefetch_related("inspectors")
                 if local_date(v.performed_at) == day]
        assert match and set(h.found_by.values_list("pk", flat=True)) <= {p.pk for v in match for p in v.inspectors.all()}, h.number
    per_site = Counter(visits.filter(kind__in=["industry", "territorial", "expert", "supervision"]).values_list("site_id", flat=True))
    sites = Site.objects.filter(grid__district=demo.district, voided_at__isnull=True, enterprise__isnull=False)
    mean = {}
    for colour in ("red", "orange", "yellow", "blue"):
        ids = list(sites.filter(enterprise__risk_colour=colour).values_list("pk", flat=True))
        if ids:
            mean[colour] = sum(per_site[i] for i in ids) / len(ids)
    present = [c for c in ("red", "orange", "yellow", "blue") if c in mean]
    assert [mean[c] for c in present] == sorted((mean[c] for c in present), reverse=True)
    anweiban = demo.users["anweiban"]
    p = cov.Params(territory=demo.district, start=AS_OF - datetime.timedelta(days=365), end=AS_OF - datetime.timedelta(days=1))
    with time_machine.travel(CUTOFF, tick=False):
        report = cov.report(anweiban, p)
    total = report.total
    assert 0 < total.covered < total.sites and total.shortfall > 0 and total.done > total.covered
    assert {k["kind"] for k in report.kinds if k["visits"]} >= {"industry", "territorial"}
    assert AuditEvent.objects.filter(action="demo_inspections", object_id=demo.district.pk).count() == 1


def _fingerprint():
    visits = list(Inspection.objects.order_by("site__name", "performed_at", "kind", "planned_on").values_list(
        "site__name", "kind", "performed_at", "planned_on", "status"))
    plans = list(InspectionPlan.objects.order_by("name").values_list("name", "status"))
    sites = dict(Site.objects.values_list("pk", "name"))
    people = dict(Person.objects.values_list("pk", "name"))
    draws = [(d.seed, [(sites[r["site"]], [people[p] for p in r["inspectors"]]) for r in d.result]) for d in Draw.objects.all()]
    return visits, plans, draws


@pytest.mark.django_db(transaction=True)  # flush cannot run inside the test's transaction on PostgreSQL
def test_same_seed_same_inspections_and_the_load_demo_option(media):
    call_command("load_demo", "--streets", "3", "--enterprises", "60", "--as-of", "2026-03-01", "--seed", "7", "--inspections")
    first = _fingerprint()
    assert first[0] and len(first[1]) == 4
    call_command("flush", interactive=False, verbosity=0)
    build_demo(**SMALL)
    assert _fingerprint() == first
    call_command("flush", interactive=False, verbosity=0)
    build_demo(**{**SMALL, "inspections": False})
    assert not Inspection.objects.exists() and not InspectionPlan.objects.exists()


@pytest.mark.django_db
def test_the_supervision_scene(demo):
    """ducha has a group to work in: a check of 街道甲 with a confirmed and an open finding, an interview and a
    circular with its 文号; his grants end with the group; jiedao_b sees none of it."""
    from anquan.accounts.models import Grant
    from anquan.supervision.models import Circular, Finding, SupervisionCheck, SupervisionGroup

    users = demo.users
    group = SupervisionGroup.objects.get(name="示范区安委会第一督查组")
    assert group.members.filter(person=users["ducha"].person, removed_at__isnull=True).exists()
    grants = Grant.objects.filter(assignment__user=users["ducha"])
    assert grants.exists() and all(g.valid_to.astimezone(SHANGHAI).date() > AS_OF for g in grants)
    check = SupervisionCheck.objects.get(group=group)
    assert check.unit == demo.street_a
    assert sorted(Finding.objects.filter(check_record=check).values_list("status", flat=True)) == ["confirmed", "pending"]
    circular = Circular.objects.get(target_unit=demo.street_a)
    assert circular.document_number.endswith("号")
    assert SupervisionGroup.objects.visible_to(users["ducha"]).filter(pk=group.pk).exists()
    assert not SupervisionCheck.objects.visible_to(users["jiedao_b"]).filter(pk=check.pk).exists()
