"""The generic permission matrix: every demo user × named object × action, through pages and API.

A model joins the matrix by adding a ``Surface`` to ``SURFACES`` (how to list, show and
act on it through the API and the pages); the *expectations* live in a hand-written
table in the test module, never derived from the code under test.

Outcomes compared per probe: ``ok`` (2xx/3xx), ``forbidden`` (403: visible but the
action is not permitted), ``missing`` (404: out of scope, answered as if it did not exist),
``invalid`` (422: an out-of-scope id in a request body), ``conflict`` (409: the user may
act but the object's state refuses; written as the action's letter in lower case). List
probes answer ``ok`` when the object is listed and ``missing`` when it is not.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.test import Client

OK, FORBIDDEN, MISSING, INVALID, CONFLICT = "ok", "forbidden", "missing", "invalid", "conflict"


def outcome(status: int) -> str:
    if status in (200, 201, 204, 302):
        return OK
    return {403: FORBIDDEN, 404: MISSING, 409: CONFLICT, 422: INVALID}.get(status, f"HTTP {status}")


@dataclass
class Surface:
    """How one model is reached: API paths and page paths; ``actions`` maps a verb letter to probes."""

    name: str
    api_list: Callable[[object], str]
    api_detail: str
    page_list: Callable[[object], str] | None
    page_detail: str | None
    #: letter → (api probe, page probe); each probe is (client, obj) → outcome
    actions: dict[str, tuple[Callable, Callable | None]] = field(default_factory=dict)


def _listed(client: Client, url: str, obj, api: bool) -> str:
    response = client.get(url)
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    if api:
        ids = {item["id"] for item in response.json()["items"]}
        return OK if obj.pk in ids else MISSING
    return OK if f"/{obj.pk}/" in response.content.decode() else MISSING


def probe_view(client: Client, surface: Surface, obj) -> dict[str, str]:
    """The view outcomes of one object: API list and detail, page list and detail."""
    results = {
        "api list": _listed(client, surface.api_list(obj), obj, api=True),
        "api detail": outcome(client.get(surface.api_detail.format(id=obj.pk)).status_code),
    }
    if surface.page_list:
        results["page list"] = _listed(client, surface.page_list(obj), obj, api=False)
    if surface.page_detail:
        results["page detail"] = outcome(client.get(surface.page_detail.format(id=obj.pk)).status_code)
    return results


def api_json(client: Client, method: str, url: str, body: dict) -> int:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json").status_code


def expected_view(allowed: bool) -> str:
    return OK if allowed else MISSING


def expected_action(letter: str, letters: str) -> str:
    """An action is ok when listed; conflict when listed in lower case (permitted, refused by the state);
    forbidden when the object is only visible; missing when invisible."""
    if letter in letters:
        return OK
    if letter.lower() in letters:
        return CONFLICT
    return FORBIDDEN if "V" in letters else MISSING


def check_cell(client: Client, surface: Surface, obj, letters: str, refresh: Callable) -> list[str]:
    """Every probe of one (user, object) cell; returns the mismatches as readable lines."""
    problems = []
    want_view = expected_view("V" in letters)
    for probe, got in probe_view(client, surface, obj).items():
        if got != want_view:
            problems.append(f"{probe}: expected {want_view}, got {got}")
    for letter, (api_probe, page_probe) in surface.actions.items():
        want = expected_action(letter, letters)
        for where, probe in (("page", page_probe), ("api", api_probe)):
            if probe is None:
                continue
            got = probe(client, refresh(obj))
            if got != want:
                problems.append(f"{where} action {letter}: expected {want}, got {got}")
    return problems
