"""schemathesis against the API, once per demo role's token, on a small demo city (issue 11).

What the red-team pass ran by hand (``schemathesis run --mode all``), run in CI: positive and negative
data for every operation of /api/v1/openapi.json, in-process through the WSGI application, checked for
no answer ≥ 500, answers that match their documented schema, documented status codes and content types.
Bounded (a few examples an operation, derandomized) so the whole run stays well inside CI's budget;
``ANQUAN_FUZZ_EXAMPLES`` and ``ANQUAN_FUZZ_PHASES`` (e.g. ``examples,coverage,fuzzing``) go deeper by hand.
Every failure it ever finds is fixed and kept as a focused regression test (``test_api_fuzz_regressions.py``).

schemathesis's engine sends its requests from a worker thread, so the world is committed
(``transaction=True``) for that thread's own database connection to see it.
"""
import logging
import os
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from schemathesis.engine import events, from_schema

from anquan.accounts.models import RoleAssignment, User
from anquan.accounts.services import token_issue
from anquan.rules.calendar import today

MOMENT = "2026-11-22 10:00 +0800"
EXAMPLES = int(os.environ.get("ANQUAN_FUZZ_EXAMPLES", "2"))
PHASES = os.environ.get("ANQUAN_FUZZ_PHASES", "examples,fuzzing").split(",")
#: the roles are shared out over this many tests
PARTS = 2
CHECKS = ["not_a_server_error", "response_schema_conformance", "status_code_conformance",
          "content_type_conformance"]


@dataclass(frozen=True)
class Finding:
    operation: str
    check: str
    title: str
    status: int | None
    sample: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.check} — {self.title} (HTTP {self.status})\n    {self.sample}"


class Fuzzer:
    """schemathesis's engine over the API, one loaded schema run under successive tokens (its
    strategies stay cached: a third less time a role than loading it again)."""

    def __init__(self, *, include: dict | None = None, examples: int = EXAMPLES, phases=PHASES):
        config = schemathesis.Config.from_dict({
            "generation": {"mode": "all", "max-examples": examples, "deterministic": True, "database": "none"},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {phase: {"enabled": phase in phases} for phase in ("examples", "coverage", "fuzzing", "stateful")},
            "workers": 1,
        })
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=config)
        self.schema = schema.include(**include) if include else schema

    def run(self, token: str) -> list[Finding]:
        """Every failed check and engine error of one run as the token's user."""
        self.schema.config.update(headers={"Authorization": f"Bearer {token}"})
        findings: list[Finding] = []
        for event in from_schema(self.schema).execute():
            if isinstance(event, events.ScenarioFinished):
                findings += _failed_checks(event.recorder)
            elif isinstance(event, events.NonFatalError):
                findings.append(Finding(event.label, "error", str(event.info.message)[:300], None, ""))
            elif isinstance(event, events.FatalError):
                raise event.exception
        return findings


def _failed_checks(recorder) -> list[Finding]:
    findings = []
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status.name == "SUCCESS":
                continue
            info = check.failure_info
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction else None
            findings.append(Finding(
                recorder.label, check.name, info.failure.title if info else "",
                response.status_code if response is not None else None, (info.code_sample if info else "")[:800],
            ))
    return findings


def _unique(findings: list[Finding]) -> list[Finding]:
    seen, unique = set(), []
    for finding in findings:
        if (finding.operation, finding.check, finding.status) not in seen:
            seen.add((finding.operation, finding.check, finding.status))
            unique.append(finding)
    return unique


@pytest.fixture
def quiet_request_log():
    """Thousands of refused requests would each log a warning: keep the output to the findings."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security.csrf")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def one_user_per_role() -> dict[str, User]:
    """The first demo user (by name) of every role the demo holds: a role added to the demo joins the run."""
    users: dict[str, User] = {}
    for assignment in RoleAssignment.objects.active().select_related("user").order_by("role", "user__username"):
        users.setdefault(assignment.role, assignment.user)
    return users


@pytest.mark.slow
@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("part", range(PARTS))
def test_schemathesis_finds_nothing_for_any_demo_role(part, quiet_request_log):
    """Every role the demo holds, in PARTS tests (each builds the world; xdist runs them side by side)."""
    from anquan.demo.generator import build_demo

    build_demo(seed=11, as_of=today(), streets=2, enterprises=24, hazards_per_enterprise=1.5, inspections=True)
    users = one_user_per_role()
    assert len(users) >= 13, sorted(users)
    fuzzer = Fuzzer()
    findings = []
    for role, user in sorted(users.items())[part::PARTS]:
        findings += [Finding(f"[{role} {user.username}] {f.operation}", f.check, f.title, f.status, f.sample)
                     for f in fuzzer.run(token_issue(user, label="schemathesis"))]
    unique = _unique(findings)
    assert not unique, f"{len(findings)} failing checks, {len(unique)} distinct:\n" + "\n".join(map(str, unique))


@pytest.mark.slow
@pytest.mark.frozen(MOMENT)
@pytest.mark.django_db(transaction=True)
def test_the_run_would_report_a_server_error_and_an_undocumented_status(monkeypatch, quiet_request_log):
    """Negative control: the same run finds a 500 and an undocumented 409 planted in GET /me."""
    from anquan.accounts import api as accounts_api
    from anquan.core.errors import Conflict

    user = User.objects.create_user("fuzz_control")
    token = token_issue(user, label="schemathesis")
    fuzzer = Fuzzer(include={"path": "/api/v1/me", "method": "GET"}, examples=1)

    def crash(_user):
        raise RuntimeError("planted")

    monkeypatch.setattr(accounts_api, "active_assignments", crash)
    checks = {(f.check, f.status) for f in fuzzer.run(token)}
    assert ("not_a_server_error", 500) in checks

    def refuse(_user):
        raise Conflict()

    monkeypatch.setattr(accounts_api, "active_assignments", refuse)
    checks = {(f.check, f.status) for f in fuzzer.run(token)}
    assert ("status_code_conformance", 409) in checks
