"""The demo-city generator: shape, users, determinism, idempotence and the audit chain."""
import datetime

import pytest
from django.core.management import call_command

from anquan.accounts.models import Grant, Person, RoleAssignment, User
from anquan.accounts.roles import RoleCode
from anquan.audit.models import AuditEvent
from anquan.demo.generator import DemoAlreadyLoaded, build_demo, is_loaded
from anquan.enterprises import credit_code
from anquan.enterprises.models import Enterprise, EnterpriseRegulator, Site
from anquan.enterprises.services import default_regulators
from anquan.orgs.models import Department, OrgUnit, UnitKind

AS_OF = datetime.date(2026, 3, 1)
SMALL = {"seed": 7, "as_of": AS_OF, "streets": 3, "enterprises": 60}

EXPECTED_ROLES = {
    "shi_anweiban": RoleCode.ANWEIBAN,
    "anweiban": RoleCode.ANWEIBAN,
    "linqu_anweiban": RoleCode.ANWEIBAN,
    "jiedao_a": RoleCode.STREET_STAFF,
    "jiedao_b": RoleCode.STREET_STAFF,
    "lingdao": RoleCode.LEADER,
    "wangge_a": RoleCode.GRID_WORKER,
    "qiye_a": RoleCode.ENT_MANAGER,
    "zhujian": RoleCode.DEPT_STAFF,
    "zhifa_a": RoleCode.INSPECTOR,
    "zhifa_b": RoleCode.INSPECTOR,
    "zhuanjia": RoleCode.EXPERT,
    "ducha": RoleCode.SUPERVISOR,
    "admin": RoleCode.SYSADMIN,
    "shenji": RoleCode.AUDITOR,
}


def _fingerprint(district_name="示范区"):
    district = OrgUnit.objects.get(kind=UnitKind.DISTRICT, name=district_name, parent__name="示范市")
    units = list(OrgUnit.objects.subtree(district).order_by("path").values_list("name", "kind", "code"))
    firms = list(Enterprise.objects.filter(unit__path__startswith=district.path)
                 .order_by("credit_code").values_list("name", "credit_code", "address", "risk_colour"))
    sites = sorted(Site.objects.filter(grid__path__startswith=district.path).values_list("name", "grid__name"))
    return units, firms, sites


@pytest.fixture
def demo(db):
    return build_demo(**SMALL)


@pytest.mark.django_db
def test_every_demo_user_has_the_right_role_and_a_person(demo):
    for username, role in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assignments = list(RoleAssignment.objects.filter(user=user))
        assert [a.role for a in assignments] == [role], username
        assert user.person_id and user.person.name
        assert assignments[0].valid_from < demo.district.created_at
        assert not user.is_staff and not user.is_superuser
    assert demo.departments["anweiban"] == RoleAssignment.objects.get(user__username="anweiban").department
    assert RoleAssignment.objects.get(user__username="shi_anweiban").unit == demo.city
    assert RoleAssignment.objects.get(user__username="linqu_anweiban").unit == demo.linqu
    assert RoleAssignment.objects.get(user__username="zhujian").department.name == "示范区住房和城乡建设局"
    for name in ("zhifa_a", "zhifa_b"):
        ra = RoleAssignment.objects.get(user__username=name)
        assert ra.department.name == "示范区应急管理局"
        assert Person.objects.get(accounts__username=name).enforcement_cert_no
    assert not Grant.objects.filter(assignment__user__username="ducha").exists()


@pytest.mark.django_db
def test_passwords_are_unusable_outside_demo_mode(demo, settings):
    assert not settings.DEMO_MODE
    assert not User.objects.get(username="anweiban").has_usable_password()


@pytest.mark.django_db
def test_demo_password_in_demo_mode(db, settings):
    settings.DEMO_MODE = True
    build_demo(**SMALL)
    assert User.objects.get(username="jiedao_a").check_password("anquan-demo")


@pytest.mark.django_db
def test_territory_shape_and_departments(demo):
    streets = OrgUnit.objects.filter(parent=demo.district, kind=UnitKind.STREET)
    assert streets.count() == 3
    for street in streets:
        communities = OrgUnit.objects.filter(parent=street)
        assert 3 <= communities.count() <= 6
        for community in communities:
            grids = OrgUnit.objects.filter(parent=community)
            assert 1 <= grids.count() <= 4
            assert all(g.kind == UnitKind.GRID and g.name.startswith(street.name + community.name) for g in grids)
            assert all(g.path == f"{community.path}{g.pk}/" and g.district_id == demo.district.pk for g in grids)
    assert OrgUnit.objects.filter(parent=demo.linqu, kind=UnitKind.STREET).count() == 2
    assert Department.objects.get(name="示范区应急管理局").industries.filter(code="hazchem").exists()
    assert Department.objects.filter(unit=demo.city, name__in=["示范市安委办", "示范市应急管理局"]).count() == 2


@pytest.mark.django_db
def test_enterprises_codes_sites_and_regulators(demo):
    firms = Enterprise.objects.all()
    assert firms.filter(unit__path__startswith=demo.district.path).count() == 60
    codes = list(firms.values_list("credit_code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(credit_code.is_valid(c) and c.startswith("91") for c in codes)
    assert not firms.filter(sites__isnull=True).exists()
    assert all(1 <= e.industries.count() <= 3 for e in firms)
    assert all(e.unit.kind == UnitKind.GRID for e in firms)
    for site in Site.objects.filter(kind="construction"):
        assert not site.grid.is_within(site.enterprise.regulators.get(kind="territorial").unit)
    assert Site.objects.filter(enterprise__isnull=True, industry__isnull=False).exists()
    for ent in firms:
        want = set(default_regulators(ent))
        have = {(r.kind, r.department_id, r.unit_id) for r in ent.regulators.filter(is_default=True)}
        assert have == want, ent.name
    assert EnterpriseRegulator.objects.filter(kind="direct", is_default=False, reason="市级直接监管").exists()


@pytest.mark.django_db
def test_handles_the_other_tests_rely_on(demo):
    assert demo.street_a != demo.street_b
    assert demo.street_a.kind == demo.street_b.kind == UnitKind.STREET
    assert demo.street_a.parent == demo.street_b.parent == demo.district
    assert demo.grid_a.is_within(demo.street_a)
    assert RoleAssignment.objects.get(user__username="lingdao").unit == demo.street_a
    assert Site.objects.filter(enterprise=demo.enterprise_a, grid=demo.grid_a).exists()
    assert demo.enterprise_b.unit.is_within(demo.street_b)
    grant = Grant.objects.get(assignment__user__username="zhuanjia")
    assert (grant.model_key, grant.object_id, grant.reason) == ("enterprise", demo.expert_enterprise.pk, "受邀参加专家隐患排查")
    assert grant.valid_to - grant.valid_from == datetime.timedelta(days=30)
    expert_firm = demo.expert_enterprise
    assert expert_firm.unit.is_within(demo.district) and not expert_firm.unit.is_within(demo.street_a)
    assert not any(s.grid.is_within(demo.street_a) for s in expert_firm.sites.all())


@pytest.mark.django_db(transaction=True)  # flush cannot run inside the test's transaction on PostgreSQL
def test_same_seed_same_demo():
    build_demo(**SMALL)
    first = _fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    build_demo(**SMALL)
    assert _fingerprint() == first
    call_command("flush", interactive=False, verbosity=0)
    build_demo(**{**SMALL, "seed": 8})
    assert _fingerprint()[1] != first[1]


@pytest.mark.django_db(transaction=True)  # flush cannot run inside the test's transaction on PostgreSQL
def test_demo_district_does_not_depend_on_extra_cities():
    build_demo(**SMALL)
    alone = _fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    build_demo(**SMALL, cities=2, districts=1)
    assert _fingerprint() == alone
    assert OrgUnit.objects.filter(kind=UnitKind.CITY).count() == 2
    assert OrgUnit.objects.filter(kind=UnitKind.DISTRICT).count() == 3


@pytest.mark.django_db
def test_second_run_is_a_no_op_and_the_audit_chain_verifies(demo, capsys):
    counts = (Enterprise.objects.count(), OrgUnit.objects.count(), User.objects.count(), AuditEvent.objects.count())
    call_command("load_demo", "--streets", "3", "--enterprises", "60")
    assert "已加载" in capsys.readouterr().out
    assert (Enterprise.objects.count(), OrgUnit.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts
    with pytest.raises(DemoAlreadyLoaded):
        build_demo(**SMALL)
    assert AuditEvent.objects.filter(action="demo_load", model_key="orgunit").count() == 3  # 2 districts + users
    call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_force_rebuilds_only_in_demo_mode(demo, settings):
    """Transactional: flush cannot run inside the test's transaction on PostgreSQL (deferred FK checks)."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo", "--force", "--streets", "3", "--enterprises", "60")
    settings.DEMO_MODE = True
    call_command("load_demo", "--force", "--streets", "2", "--enterprises", "30", "--seed", "1")
    assert is_loaded()
    assert OrgUnit.objects.filter(kind=UnitKind.CITY, name="示范市").count() == 1
    assert OrgUnit.objects.filter(parent__name="示范区", kind=UnitKind.STREET).count() == 2
    call_command("verify_audit")
