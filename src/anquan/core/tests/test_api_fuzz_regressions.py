"""Every failure schemathesis found in the API, replayed as the one request that showed it and checked
with the same checks as the fuzzing run (``test_api_fuzz.py``): no 5xx, a documented status code and
content type, and an answer that matches its documented schema.

Add the request of each new finding here before fixing it (it must fail first).
"""
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from anquan.accounts.models import User
from anquan.accounts.services import token_issue

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection after each request (``close_old_connections``);
    inside the test's transaction on PostgreSQL that would end it. Django's test client disconnects it
    the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, connection_kept):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def token(db):
    return token_issue(User.objects.create_user("fuzz_replay"), label="schemathesis")


def replay(api_schema, token, method: str, path: str, **parts):
    """One request through the WSGI app, validated as the fuzzing run validates it; the response."""
    case = api_schema[path][method].Case(headers={"Authorization": f"Bearer {token}"}, **parts)
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    return response


def test_lookback_of_a_site_out_of_scope_is_a_documented_404(api_schema, token):
    """Found by the coverage phase (anweiban): ``GET /lookback?site=<not visible>`` answered 404, which the
    spec did not list (its 404s were only for ids in the path)."""
    response = replay(api_schema, token, "GET", "/api/v1/lookback",
                      query={"site": 2**63 - 2, "from": "2026-01-01", "to": "2026-01-31"})
    assert response.status_code == 404
    assert response.json() == {"detail": "对象不存在或无权访问"}


def test_the_replay_fails_on_an_undocumented_status(api_schema, token):
    """The replay is not a rubber stamp: an answer the spec does not list fails it."""
    operation = api_schema["/api/v1/me"]["GET"]
    case = operation.Case(headers={"Authorization": f"Bearer {token}"})
    response = case.call()
    assert response.status_code == 200
    response.status_code = 409  # GET /me documents no 409
    with pytest.raises(FailureGroup, match="Undocumented status code"):
        case.validate_response(response, checks=CHECKS)


def test_an_oversize_body_is_a_documented_413_in_json(api_schema, token, settings):
    """Red-team finding (issue 11): an oversize body got Django's HTML 400. It answers JSON 413 now
    (``api_support``), and the spec lists 413 for every operation that takes a body."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = replay(api_schema, token, "POST", "/api/v1/hazards", body={"description": "隐" * 4000})
    assert response.status_code == 413
    assert response.json()["detail"].startswith("请求体过大")
