"""schemathesis on the enforcement endpoints only, as an inspector, a department head and an enterprise
(the whole-API run in core/tests/test_api_fuzz.py covers every demo role; this one is focused and faster)."""
import datetime

import pytest

from anquan.accounts.models import Person, RoleAssignment, User
from anquan.accounts.roles import RoleCode
from anquan.accounts.services import token_issue
from anquan.core.tests.test_api_fuzz import Fuzzer, _unique, quiet_request_log  # noqa: F401 - the fixture
from anquan.rules.calendar import today


@pytest.mark.slow
@pytest.mark.frozen("2026-11-22 10:00 +0800")
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_nothing_on_enforcement(quiet_request_log):
    from anquan.demo.generator import build_demo

    build_demo(seed=11, as_of=today(), streets=2, enterprises=12, hazards_per_enterprise=0)
    yingji = RoleAssignment.objects.active().get(user__username="zhifa_a").department
    head = User.objects.create(username="fuzz_head", person=Person.objects.create(name="负责人", department=yingji))
    RoleAssignment.objects.create(user=head, role=RoleCode.DEPT_HEAD, department=yingji,
                                  valid_from=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    fuzzer = Fuzzer(include={"path_regex": "^/api/v1/enforcement"}, examples=3)
    findings = []
    for username in ("zhifa_a", "fuzz_head", "qiye_a"):
        user = User.objects.get(username=username)
        findings += fuzzer.run(token_issue(user, label="schemathesis"))
    unique = _unique(findings)
    assert not unique, "\n".join(map(str, unique))
