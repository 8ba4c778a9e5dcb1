"""The demo year of hazards: consistent with what the services would have written, and useful to the named users."""
import datetime
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from anquan.accounts.models import RoleAssignment
from anquan.accounts.roles import ROLES, ScopeKind
from anquan.audit.models import AuditEvent
from anquan.demo.generator import build_demo
from anquan.demo.hazard_scenes import SCENES, scene
from anquan.hazards import services
from anquan.hazards.choices import Verdict
from anquan.hazards.models import DeadlineExtension, Hazard, InterimControl, ListedSupervision, OverdueExplanation
from anquan.hazards.services.common import authorize_oversight, place_of
from anquan.rules.calendar import SHANGHAI, local_date
from anquan.rules.deadlines import is_overdue, overdue_q

AS_OF = datetime.date(2026, 3, 1)
SMALL = {"seed": 7, "as_of": AS_OF, "streets": 3, "enterprises": 60}
CUTOFF = datetime.datetime(2026, 3, 1, tzinfo=SHANGHAI)


@pytest.fixture
def demo(db):
    return build_demo(**SMALL)


@pytest.mark.django_db
def test_sizes_sources_and_the_year(demo):
    hazards = Hazard.objects.filter(district=demo.district)
    assert hazards.count() == 150  # 2.5 per enterprise
    assert Hazard.objects.filter(district=demo.linqu).count() == 150  # 邻区: 60 firms
    assert not Hazard.objects.exclude(district__in=[demo.district, demo.linqu]).exists()
    first = AS_OF - datetime.timedelta(days=365)
    assert all(first <= d < AS_OF for d in hazards.values_list("found_on", flat=True))
    sources = Counter(hazards.values_list("source", flat=True))
    assert sources["self"] == max(sources.values()) and len(sources) >= 6
    assert set(Hazard.objects.values_list("status", flat=True)) == {"pending", "rectifying", "awaiting_verification", "closed"}
    assert Hazard.objects.filter(level="major").exists() and Hazard.objects.filter(immediate=True).exists()
    assert not AuditEvent.objects.filter(model_key="hazard", at__gte=CUTOFF).exists()  # nothing on or after the as-of date


@pytest.mark.django_db
def test_every_closed_hazard_passed_a_round_by_someone_else(demo):
    closed = Hazard.objects.filter(status="closed").prefetch_related("rounds")
    assert closed.count() > 100
    for h in closed:
        last = list(h.rounds.all())[-1]
        assert last.verdict == Verdict.PASSED, h.number
        assert h.closed_on_time is last.on_time and h.closed_on == local_date(last.verified_at), h.number
        assert h.closed_by_id == last.verified_by_id
        if h.immediate:
            assert last.submitted_by_id == last.verified_by_id and h.closed_on == h.found_on
        else:
            assert last.submitted_by_id != last.verified_by_id, h.number
    for h in Hazard.objects.prefetch_related("rounds"):
        for r in h.rounds.all():
            assert r.on_time == (local_date(r.submitted_at) <= r.deadline_at_submission), h.number
        assert all(r.verdict == Verdict.SENT_BACK for r in list(h.rounds.all())[:-1])


@pytest.mark.django_db
def test_no_major_hazard_past_pending_without_its_report_and_plan(demo):
    majors = Hazard.objects.filter(level="major")
    assert majors.exists()
    for h in majors.exclude(status="pending"):
        assert not h.plan_missing(), h.number
    assert all(h.criterion_id and h.reported_to_regulators_at for h in majors)


@pytest.mark.django_db
def test_overdue_is_exactly_deadline_passed_and_still_open(demo):
    derived = set(Hazard.objects.filter(overdue_q(AS_OF)).values_list("pk", flat=True))
    by_rule = {h.pk for h in Hazard.objects.all() if is_overdue(h.deadline_in_force, h.status, AS_OF)}
    assert derived == by_rule and derived
    assert Hazard.objects.filter(status__in=["pending", "rectifying"], deadline_in_force__gte=AS_OF).exists()  # open, in time
    for explanation in OverdueExplanation.objects.filter(kind="explanation").select_related("hazard"):
        assert local_date(explanation.submitted_at) > explanation.hazard.deadline  # explained only once overdue


@pytest.mark.django_db
def test_hazards_copy_their_place_and_their_finder_as_the_services_do(demo):
    assignments = {a.user_id: a for a in RoleAssignment.objects.select_related("unit", "department", "enterprise")}
    for h in Hazard.objects.select_related("site__grid", "site__enterprise", "site__industry"):
        place = place_of(h.site)
        assert (h.grid_id, h.grid_path, h.district_id, h.industry, h.department, h.enterprise_id) == (
            place["grid"].pk, place["grid_path"], place["district_id"], place["industry"], place["department"],
            h.site.enterprise_id), h.number
        assert h.number == f"YH{h.found_on:%Y}{h.pk:08d}"
        a = assignments[h.recorded_by_id]
        kind = ROLES[a.role].scope_kind
        assert h.recorded_role == a.role and a.permits("hazard.record")
        assert h.finder_unit_id == (a.unit_id if kind == ScopeKind.TERRITORY else None)
        assert h.finder_department_id == (a.department_id if kind == ScopeKind.DEPARTMENT else None)
        assert h.finder_enterprise_id == (a.enterprise_id if kind == ScopeKind.ENTERPRISE else None)
        assert (h.source == "self") == (kind == ScopeKind.ENTERPRISE)
        assert h.found_by.exists() and h.responsible_person_id


@pytest.mark.django_db
def test_the_audit_chain_verifies_with_one_record_event_per_hazard(demo):
    call_command("verify_audit")
    records = Counter(AuditEvent.objects.filter(model_key="hazard", action="record").values_list("object_id", flat=True))
    assert set(records) == set(Hazard.objects.values_list("pk", flat=True)) and set(records.values()) == {1}
    a5 = scene("A5")
    actions = list(AuditEvent.objects.filter(model_key="hazard", object_id=a5.pk).order_by("seq").values_list("action", flat=True))
    assert actions == ["record", "submit", "send_back", "submit"]
    events = AuditEvent.objects.filter(model_key="hazard", object_id=a5.pk).order_by("seq")
    assert [e.actor.username for e in events] == ["jiedao_a", "qiye_a", "jiedao_a", "qiye_a"]
    assert events[0].after["location"].endswith("（演示A5）") and events[2].reason
    assert len({scene(code).pk for code in SCENES}) == len(SCENES)


@pytest.mark.django_db
def test_the_named_users_have_something_true_to_show(demo):
    users = demo.users
    in_grid = Hazard.objects.filter(grid=demo.grid_a)
    at_firm = Hazard.objects.visible_to(users["qiye_a"])
    for qs in (in_grid, at_firm, Hazard.objects.visible_to(users["wangge_a"])):
        assert qs.filter(overdue_q(AS_OF)).exists() and qs.filter(status="closed").exists()
        assert qs.filter(status__in=["pending", "rectifying"], deadline_in_force__gte=AS_OF).exists()
    a4, a5, a8, b1 = scene("A4"), scene("A5"), scene("A8"), scene("B1")
    assert authorize_oversight(users["jiedao_a"], a4, "hazard.verify").role == "street_staff"
    assert authorize_oversight(users["jiedao_a"], a5, "hazard.verify")
    assert authorize_oversight(users["qiye_a_fzr"], a8, "hazard.verify")
    assert authorize_oversight(users["jiedao_b"], b1, "hazard.verify")
    assert not Hazard.objects.visible_to(users["jiedao_b"]).filter(pk=a4.pk).exists()
    assert Hazard.objects.visible_to(users["jiedao_b"]).filter(recorded_by=users["jiedao_b"]).count() >= 4
    a10 = scene("A10")
    assert a10.deadline_in_force > a10.deadline and a10.extensions.get().status == "approved"
    assert DeadlineExtension.objects.filter(hazard=scene("A13"), status="pending").exists()
    assert scene("A12").immediate and scene("A2").explanations.exists()


@pytest.mark.django_db
def test_listings_and_interim_controls(demo):
    listings = ListedSupervision.objects.select_related("listing_unit", "listed_by")
    district = listings.filter(level="district", listing_unit=demo.district, listed_by__username="anweiban")
    assert district.count() >= 2 and {"listed", "resume_applied", "delisted"} <= set(district.values_list("status", flat=True))
    city = listings.get(level="city")
    assert (city.listing_unit, city.listed_by.username, city.status) == (demo.city, "shi_anweiban", "listed")
    assert ListedSupervision.objects.visible_to(demo.users["shi_anweiban"]).filter(pk=city.pk).exists()
    assert scene("L1").status == "closed" and scene("L1").closed_by.username == "anweiban"
    controls = InterimControl.objects.filter(site=city.hazard.site, kind="suspend")
    assert controls.count() == 2 and controls.filter(ended_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_services_accept_the_demo_data(demo):
    """Acting on the demo as of its date: jiedao_a verifies, decides an extension; qiye_a starts a new one."""
    users = demo.users
    with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), tick=False):
        a4 = scene("A4")
        services.hazard_verify(actor=users["jiedao_a"], hazard=a4, version=a4.version, passed=True)
        extension = DeadlineExtension.objects.get(hazard=scene("A13"), status="pending")
        services.extension_decide(actor=users["jiedao_a"], extension=extension, version=scene("A13").version, approve=True)
        a11 = scene("A11")
        services.hazard_start(actor=users["qiye_a"], hazard=a11, version=a11.version)
        a2 = scene("A2")
        services.overdue_explain(actor=users["qiye_a"], hazard=a2, text="再次说明：配件已到货，本周内完成")
    assert scene("A4").status == "closed" and scene("A13").deadline_in_force > scene("A13").deadline
    assert timezone.now() > CUTOFF
    call_command("verify_audit")


def _fingerprint():
    return list(Hazard.objects.order_by("number").values_list(
        "number", "status", "description", "site__name", "deadline_in_force", "recorded_by__username", "closed_on"))


@pytest.mark.django_db(transaction=True)  # flush cannot run inside the test's transaction on PostgreSQL
def test_same_seed_same_hazards():
    build_demo(**SMALL)
    first = _fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    build_demo(**SMALL)
    assert _fingerprint() == first
    call_command("flush", interactive=False, verbosity=0)
    build_demo(**{**SMALL, "seed": 8})
    assert _fingerprint() != first


@pytest.mark.django_db
def test_load_demo_hazards_option(db):
    call_command("load_demo", "--streets", "3", "--enterprises", "60", "--hazards", "40", "--as-of", "2026-03-01")
    assert Hazard.objects.filter(district__name="示范区").count() == 40
    assert Hazard.objects.filter(district__name="邻区").count() == 40  # the same rate for 60 firms
