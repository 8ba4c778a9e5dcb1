"""Role assignments: started and ended by an administrator, never deleted, and scope follows the period."""
import datetime

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from anquan.accounts.models import RoleAssignment, User
from anquan.accounts.services import assignment_end, assignment_start
from anquan.audit.models import AuditEvent
from anquan.core.errors import Forbidden, Invalid
from anquan.core.tests.factories import make_unit
from anquan.orgs.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db



@pytest.fixture
def setup():
    district = make_unit("任职区", UnitKind.DISTRICT)
    street = make_unit("任职街道", UnitKind.STREET, district)
    admin = User.objects.create_user("admin_x")
    RoleAssignment.objects.create(user=admin, role="sysadmin")
    staff = User.objects.create_user("staff_x")
    return admin, staff, street


def test_start_and_end_are_audited_and_scope_follows(setup):
    admin, staff, street = setup
    a = assignment_start(actor=admin, user=staff, role="street_staff", unit=street, reason="新入职")
    assert OrgUnit.objects.visible_to(User.objects.get(pk=staff.pk)).filter(pk=street.pk).exists()
    assignment_end(actor=admin, assignment=a, reason="调岗")
    assert not OrgUnit.objects.visible_to(User.objects.get(pk=staff.pk)).filter(pk=street.pk).exists()
    assert RoleAssignment.objects.filter(pk=a.pk, end_reason="调岗").exists()
    assert list(AuditEvent.objects.filter(model_key="roleassignment").values_list("action", flat=True)) == ["start", "end"]


def test_look_back_asks_who_held_the_post_at_the_time(setup):
    admin, staff, street = setup
    a = assignment_start(actor=admin, user=staff, role="street_staff", unit=street,
                         valid_from=timezone.now() - datetime.timedelta(days=30))
    assignment_end(actor=admin, assignment=a, reason="离任")
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    assert RoleAssignment.objects.active(at=ten_days_ago).filter(user=staff, unit=street).exists()
    assert not RoleAssignment.objects.active().filter(user=staff).exists()


def test_only_an_administrator_assigns_and_reasons_are_required(setup):
    admin, staff, street = setup
    with pytest.raises(Forbidden):
        assignment_start(actor=staff, user=staff, role="anweiban", unit=street)
    with pytest.raises(Invalid):
        assignment_start(actor=admin, user=staff, role="street_staff")  # no unit
    a = assignment_start(actor=admin, user=staff, role="street_staff", unit=street)
    with pytest.raises(Invalid):
        assignment_end(actor=admin, assignment=a, reason=" ")


def test_assignments_cannot_be_deleted_while_audited(setup):
    admin, staff, street = setup
    a = assignment_start(actor=admin, user=staff, role="street_staff", unit=street)
    with pytest.raises(ProtectedError):
        staff.delete()
    assert RoleAssignment.objects.filter(pk=a.pk).exists()
