"""Optimistic locking under real concurrency: two updates based on the same version → one 200, one 409."""
from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from anquan.accounts.models import RoleAssignment, User
from anquan.audit.models import AuditEvent
from anquan.core.tests.factories import make_unit
from anquan.enterprises import credit_code
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Industry, UnitKind


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_updates_with_the_same_version_give_one_success_and_one_conflict():
    district = make_unit("并发区", UnitKind.DISTRICT)
    grid = make_unit("并发网格", UnitKind.GRID, make_unit("并发街道", UnitKind.STREET, district))
    user = User.objects.create_user("anweiban_x", password="not-used-here-123")
    RoleAssignment.objects.create(user=user, role="anweiban", unit=district)
    enterprise = Enterprise.objects.create(
        name="并发测试有限公司", credit_code=credit_code.make("91330100MA0000001"), legal_representative="甲",
        principal_name="乙", address="并发路1号", unit=grid,
    )
    enterprise.industries.set([Industry.objects.get_or_create(code="industry_trade", defaults={"name": "工贸"})[0]])

    barrier = threading.Barrier(2, timeout=30)
    statuses: list[int] = []

    def update(phone):
        try:
            client = Client()
            client.force_login(user)
            version = client.get(f"/api/v1/enterprises/{enterprise.pk}").json()["version"]
            barrier.wait()  # both have read version 1 before either writes
            response = client.patch(
                f"/api/v1/enterprises/{enterprise.pk}",
                data=json.dumps({"version": version, "principal_phone": phone}),
                content_type="application/json",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=update, args=(p,)) for p in ("13800000001", "13800000002")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert sorted(statuses) == [200, 409]
    enterprise.refresh_from_db()
    assert enterprise.version == 2
    assert AuditEvent.objects.filter(model_key="enterprise", object_id=enterprise.pk, action="update").count() == 1


@pytest.mark.django_db
def test_stale_version_is_refused_and_nothing_changes():
    district = make_unit("版本区", UnitKind.DISTRICT)
    grid = make_unit("版本网格", UnitKind.GRID, district)
    user = User.objects.create_user("anweiban_y", password="not-used-here-123")
    RoleAssignment.objects.create(user=user, role="anweiban", unit=district)
    enterprise = Enterprise.objects.create(
        name="版本测试有限公司", credit_code=credit_code.make("91330100MA0000002"), legal_representative="甲",
        principal_name="乙", address="版本路1号", unit=grid, version=3,
    )
    enterprise.industries.set([Industry.objects.get_or_create(code="industry_trade", defaults={"name": "工贸"})[0]])
    client = Client()
    client.force_login(user)
    response = client.patch(
        f"/api/v1/enterprises/{enterprise.pk}", data=json.dumps({"version": 2, "name": "改名"}), content_type="application/json"
    )
    assert response.status_code == 409
    assert "版本冲突" in response.json()["detail"]
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.version) == ("版本测试有限公司", 3)
    assert not AuditEvent.objects.filter(model_key="enterprise").exists()
