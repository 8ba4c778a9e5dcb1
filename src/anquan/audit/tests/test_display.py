"""The audit log in words: Chinese action names, choice labels instead of codes, dicts as lines,
times in Asia/Shanghai, field names in Chinese (issue 10, finding 6)."""
from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client

from anquan.audit.display import action_label, describe_changes, local_time
from anquan.audit.models import AuditEvent
from anquan.audit.services import record
from anquan.core.tests.factories import make_tree, make_user
from anquan.supervision.models import Finding, SupervisionCheck

pytestmark = pytest.mark.django_db
FROZEN = "2026-11-22 23:30 +0800"  # 15:30 UTC: a page in UTC would show the wrong hour


class _Stand:
    """An object of a model as ``record`` sees it (model name, id, name) without building a whole supervision group."""

    def __init__(self, model, pk: int, name: str):
        self._meta, self.pk, self.name = model._meta, pk, name

    def __str__(self):
        return self.name


@pytest.fixture
def events():
    """Three events as the supervision services write them (codes, raw values, nested dicts, UTC ISO strings)."""
    tree = make_tree()
    ducha = make_user("supervisor", username="display_ducha", name="督查员丙")
    check, finding = _Stand(SupervisionCheck, 901, "街道甲督查记录"), _Stand(Finding, 902, "督查问题1")
    with transaction.atomic():
        completed = record(
            actor=ducha, assignment=ducha.assignments.get(), obj=check, action="supervision.check_complete",
            before={"status": "draft", "completed_at": None},
            after={"status": "completed", "completed_at": "2026-11-19T02:00:00+00:00"}, chain_key="system")
        created = record(
            actor=ducha, assignment=ducha.assignments.get(), obj=check, action="supervision.check_create", chain_key="system",
            after={"answers": {"plan": {"answer": "yes", "note": ""},
                               "prompt": {"answer": "partial", "note": "2项一般隐患逾期未整改"}},
                   "recorded_role": "supervisor", "unit_id": tree.street_a.pk})
        added = record(
            actor=ducha, assignment=ducha.assignments.get(), obj=finding, action="supervision.finding_add", chain_key="system",
            after={"question": "prompt", "issued_role": "supervisor", "issued_at": "2026-11-19T02:00:00+00:00",
                   "description": "逾期隐患未见逾期书面说明。" * 30})
    return {"complete": completed, "create": created, "finding": added, "tree": tree}


def _rows(event) -> dict[str, tuple[str, str]]:
    return {r["label"]: (r["before"], r["after"]) for r in describe_changes(event)}


def test_action_codes_are_named_in_chinese():
    assert action_label("supervision.check_complete") == "完成督查"
    assert action_label("accountability.circular_create") == "发布通报"
    assert action_label("hazard.export") == "导出隐患台账"
    assert action_label("accountability.unheard_of") == "accountability.unheard_of"  # unknown: shown as is, never hidden


def test_values_are_labels_times_are_shanghai_and_dicts_are_lines(events):
    rows = _rows(events["complete"])
    assert rows["状态"] == ("督查中", "已完成")
    assert rows["完成时间"][1] == "2026-11-19 10:00"  # 02:00 UTC
    rows = _rows(events["create"])
    assert rows["记录人角色"][1] == "督查组成员"
    assert rows["问题回答"][1].splitlines() == [
        "是否组织制定并落实了安全生产检查（隐患排查）计划？ 是",
        "发现的隐患是否及时督促整改，整改是否按期、到位？ 部分（2项一般隐患逾期未整改）",
    ]
    assert rows["被督查街道（乡镇）"][1] == events["tree"].street_a.name
    rows = _rows(events["finding"])
    assert any("发现的隐患是否及时督促整改" in after for _, after in rows.values())
    assert "prompt" not in str(rows) and "supervisor" not in str(rows)
    assert local_time("2026-11-22T15:30:00+00:00") == "2026-11-22 23:30"


@pytest.mark.frozen(FROZEN)
def test_the_page_shows_words_and_local_time(events):
    auditor = make_user("auditor", username="display_shenji", name="审计员丁")
    client = Client()
    client.force_login(auditor)
    page = client.get("/audit/").content.decode()
    actions = re.findall(r'data-testid="audit-action">([^<]*)<', page)
    assert set(actions) >= {"完成督查", "开始督查记录", "提出督查问题"}
    for raw in ("supervision.check_complete", "supervision.finding_add", "&#x27;answer&#x27;", "{", "+00:00", "T02:00"):
        assert raw not in page.split("<main", 1)[1], raw
    times = re.findall(r'data-testid="audit-at">([^<]*)<', page)
    assert times and all(t.startswith("2026-11-22 23:30") for t in times), times
    assert "督查组成员" in page and "已完成" in page and "2026-11-19 10:00" in page


def test_no_english_field_labels_on_the_events_services_write(events):
    for event in AuditEvent.objects.all():
        for row in describe_changes(event):
            assert re.search(r"[\u4e00-\u9fff]", row["label"]), (event.action, row["label"])
