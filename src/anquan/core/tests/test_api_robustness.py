"""No input makes the API answer 500: every operation of the OpenAPI schema is fed random
path ids, query strings and JSON bodies (seeded, reproducible), signed in with scope."""
from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anquan.accounts.models import RoleAssignment, User
from anquan.api import api
from anquan.enterprises import credit_code
from anquan.enterprises.models import Enterprise, Site
from anquan.orgs.models import Industry, UnitKind

from .factories import make_unit


def _operations():
    schema = api.get_openapi_schema()
    ops = []
    for path, methods in schema["paths"].items():
        for method in methods:
            if "auth/token" not in path:
                ops.append((method, path))
    return sorted(ops)


OPERATIONS = _operations()

ids = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(["0", "-1", "abc", "1.5", "%00", "9" * 40, "１２"]),
)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40),
)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5), max_leaves=12)
field_names = st.sampled_from([
    "version", "name", "credit_code", "unit", "industries", "grid", "enterprise", "industry", "reason", "add", "end",
    "legal_representative", "principal_name", "address", "status", "risk_colour", "standard_grade",
    "standard_cert_expiry", "employees", "kind", "page", "page_size", "q", "regulator", "within", "parent",
    # the hazard loop and look-back
    "site", "description", "source", "deadline", "new_deadline", "passed", "approve", "photos", "after_photos",
    "measures_taken", "measures", "text", "criterion", "document_no", "opinion", "application", "found_by", "funds",
    "category", "level", "immediate", "found_at", "overdue", "found_from", "found_to", "hazard", "from", "to",
])
bodies = st.one_of(json_values, st.dictionaries(field_names, json_values, max_size=8))
queries = st.dictionaries(field_names, st.one_of(st.text(max_size=20), ids.map(str)), max_size=4)


@pytest.fixture
def signed_in(db):
    district = make_unit("健壮区", UnitKind.DISTRICT)
    grid = make_unit("健壮网格", UnitKind.GRID, district)
    enterprise = Enterprise.objects.create(
        name="健壮测试有限公司", credit_code=credit_code.make("91330100MA0000009"), legal_representative="甲",
        principal_name="乙", address="路1号", unit=grid,
    )
    enterprise.industries.set([Industry.objects.get_or_create(code="industry_trade", defaults={"name": "工贸"})[0]])
    site = Site.objects.create(name="健壮场所", grid=grid, enterprise=enterprise, address="路2号")
    user = User.objects.create_user("fuzz_user")
    RoleAssignment.objects.create(user=user, role="anweiban", unit=district)
    client = Client()
    client.force_login(user)
    return client, {"*": enterprise.pk, **_hazard_ids(user, site)}


def _hazard_ids(user, site) -> dict:
    """A hazard with a photo, an extension and a control, so the hazard endpoints meet real ids."""
    import datetime

    from django.utils import timezone

    from anquan.hazards import services

    from .matrix_world import png

    deadline = timezone.localdate() + datetime.timedelta(days=30)
    hazard = services.hazard_record(actor=user, data={"site": site.pk, "description": "健壮隐患", "source": "territorial",
                                                      "deadline": deadline.isoformat()}, photos=[png()])
    extension = hazard.extensions.create(previous_deadline=deadline, requested_deadline=deadline + datetime.timedelta(days=9),
                                         reason="测试", requested_by=user, requested_at=hazard.found_at)
    control = services.control_start(actor=user, hazard=hazard, kind="suspend", reason="测试")
    return {"hazard_id": hazard.pk, "extension_id": extension.pk, "control_id": control.pk,
            "photo_id": hazard.photos.get().pk, "round_id": 1, "site_id": site.pk}


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path_id=ids, query=queries, body=bodies, use_real_id=st.booleans())
def test_no_input_gives_a_server_error(signed_in, method, path, path_id, query, body, use_real_id):
    client, real_ids = signed_in
    url = re.sub(r"\{([^}]+)\}", lambda m: str(real_ids.get(m.group(1), real_ids["*"]) if use_real_id else path_id), path)
    call = getattr(client, method)
    if method in ("get", "delete"):
        response = call(url, query)
    else:
        response = call(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code < 500, (method, url, query, body, response.content[:300])
    if response.status_code == 422:
        detail = response.json()
        assert "errors" in detail or "detail" in detail
