"""The OpenAPI document tells the truth (issue 11): no component name is defined by two schema classes,
and every operation documents the error answers it can give, in the shared ``ErrorOut`` shape.

ninja names a component after its class and lets a later class of the same name overwrite an earlier
one (nine names were duplicated; four operations' answers then disagreed with the spec). Two
independent checks: the schema classes the operations reach, walked from their annotations, have
unique names; and the generator (``core.openapi.AnquanOpenAPISchema``) saw no component written twice
with different content. Each is proven by a throwaway API with two ``PhotoOut`` classes.
"""

import enum
import typing
from collections import defaultdict

import pytest
from ninja import Router, Schema
from ninja.params.models import ParamModel
from pydantic import BaseModel

from anquan.api import api
from anquan.core.api_support import AUTH, Id, Version
from anquan.core.openapi import AnquanAPI, ErrorOut, error_statuses

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
WRITES = {"post", "put", "patch", "delete"}
#: operations that answer 404 for an object named in the query string, and declare it themselves
NAMES_AN_OBJECT_IN_ITS_QUERY = {"/api/v1/lookback"}


def _is_wrapper(cls) -> bool:
    """ninja's own per-operation models (path/query/body parameters, the response wrapper): flattened or
    inlined by the generator, never a component of their own."""
    return issubclass(cls, ParamModel) or cls.__name__ == "NinjaResponseSchema"


def _reach(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _reach(field.annotation, found)
        for computed in annotation.model_computed_fields.values():
            _reach(computed.return_type, found)
        return
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.add(annotation)
        return
    for arg in typing.get_args(annotation):
        _reach(arg, found)


def schema_classes(ninja_api) -> set[type]:
    """Every schema (and enum) class an operation of ``ninja_api`` reaches: parameters, bodies, answers."""
    found: set[type] = set()
    for bound in ninja_api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _reach(model, found)
                for model in (operation.response_models or {}).values():
                    _reach(model, found)
    return {cls for cls in found if not _is_wrapper(cls)}


def duplicated_names(ninja_api) -> dict[str, list[str]]:
    by_name = defaultdict(set)
    for cls in schema_classes(ninja_api):
        by_name[cls.__name__].add(cls)
    return {name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
            for name, classes in by_name.items() if len(classes) > 1}


def _throwaway_api_with_two_photo_outs() -> AnquanAPI:
    """Two routers, each with its own ``PhotoOut``: what issue 11 found (hazards' and inspections')."""
    first, second = Router(auth=AUTH), Router(auth=AUTH)

    class PhotoOut(Schema):
        id: int
        hazard_id: int

    @first.get("/hazard-photos/{photo_id}", response=PhotoOut)
    def hazard_photo(request, photo_id: Id):
        raise NotImplementedError

    class PhotoOut(Schema):  # the duplicate under test (F811 is off for tests)
        id: int
        client_id: str

    @second.get("/answer-photos/{photo_id}", response=list[PhotoOut])
    def answer_photos(request, photo_id: Id):
        raise NotImplementedError

    throwaway = AnquanAPI(urls_namespace="openapi-test-throwaway")
    throwaway.add_router("", first)
    throwaway.add_router("", second)
    return throwaway


def test_no_two_schema_classes_share_a_component_name():
    assert duplicated_names(api) == {}


def test_the_walk_finds_exactly_the_components():
    """The walk is not a guess at what becomes a component: it names every component (the shared error
    shape, added by the generator, aside) and nothing else; so a duplicate it cannot see cannot exist."""
    components = set(api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"])
    assert {cls.__name__ for cls in schema_classes(api)} | {"ErrorOut"} == components


def test_no_component_was_written_twice_with_different_content():
    assert api.get_openapi_schema(path_prefix="/api/v1/").clashes == {}


def test_both_checks_catch_a_duplicate_name():
    throwaway = _throwaway_api_with_two_photo_outs()
    assert list(duplicated_names(throwaway)) == ["PhotoOut"]
    document = throwaway.get_openapi_schema(path_prefix="/")
    assert list(document.clashes) == ["PhotoOut"]
    # …and what the clash does to the spec: both operations now point at the second class's shape.
    assert set(document["components"]["schemas"]["PhotoOut"]["properties"]) == {"id", "client_id"}


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_every_operation_documents_its_error_answers_in_the_shared_shape():
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    assert document["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    operations = list(_operations(document))
    assert len(operations) > 100
    for method, path, operation in operations:
        label = f"{method.upper()} {path}"
        errors = {int(status): answer for status, answer in operation["responses"].items() if 400 <= int(status) < 500}
        assert errors, f"{label} documents no 4xx answer"
        for status, answer in errors.items():
            assert answer["content"]["application/json"]["schema"] == ERROR_REF, (label, status)
        if operation.get("security"):
            assert {401, 403} <= set(errors), label
        if "{" in path:
            assert 404 in errors, label
        if method in WRITES and operation.get("security") and ("{" in path or operation.get("requestBody")):
            assert 409 in errors, label
        if operation.get("parameters") or operation.get("requestBody"):
            assert 422 in errors, label
        if "{" not in path and path not in NAMES_AN_OBJECT_IN_ITS_QUERY:
            assert 404 not in errors, f"{label} has no object in its path: 404 is not an answer it gives"
        if operation.get("requestBody"):
            assert {400, 413} <= set(errors), f"{label} takes a body: unparseable 400, oversize 413"
        if method == "get":
            assert not {400, 409, 413} & set(errors), label


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("get", "/api/v1/me", {200, 401, 403}),
    ("get", "/api/v1/hazards", {200, 401, 403, 422}),
    ("get", "/api/v1/hazards/{hazard_id}", {200, 401, 403, 404, 422}),
    ("patch", "/api/v1/hazards/{hazard_id}", {200, 400, 401, 403, 404, 409, 413, 422}),
    ("post", "/api/v1/hazards", {201, 400, 401, 403, 409, 413, 422}),
    ("post", "/api/v1/checklists/{checklist_id}/publish", {200, 401, 403, 404, 409, 422}),
    ("get", "/api/v1/documents/{document_id}/pdf", {200, 401, 403, 404, 422, 503}),
    ("get", "/api/v1/lookback", {200, 401, 403, 404, 422}),
    # the token endpoints: no 409 (nothing there has a state); each declares the status its code raises
    ("post", "/api/v1/auth/token", {200, 400, 401, 413, 422}),
    ("delete", "/api/v1/auth/token", {204, 400, 401, 403}),
])
def test_documented_answers_of_named_operations(method, path, expected):
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    assert {int(s) for s in document["paths"][path][method]["responses"]} == expected


def test_error_statuses_follow_the_operation_shape():
    throwaway = AnquanAPI(urls_namespace="openapi-test-shape")
    router = Router(auth=AUTH)

    class VersionIn(Schema):
        version: Version

    @router.get("/plain")
    def plain(request):
        raise NotImplementedError

    @router.post("/things/{thing_id}/close")
    def close(request, thing_id: Id, payload: VersionIn):
        raise NotImplementedError

    throwaway.add_router("", router)
    operations = {op.view_func.__name__: op for bound in throwaway._get_bound_routers()
                  for view in bound.path_operations.values() for op in view.operations}
    assert error_statuses(operations["plain"]) == [401, 403]
    assert error_statuses(operations["close"]) == [400, 401, 403, 404, 409, 413, 422]


@pytest.mark.django_db
def test_the_served_document_is_the_true_one(client):
    served = client.get("/api/v1/openapi.json").json()
    assert "ErrorOut" in served["components"]["schemas"]
    assert "404" in served["paths"]["/api/v1/hazards/{hazard_id}"]["get"]["responses"]
    assert ErrorOut.model_validate({"detail": "对象不存在或无权访问"}).errors is None
