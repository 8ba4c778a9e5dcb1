"""Documents survive control characters already stored (a hazard description with a vertical tab issues its
责令限期整改指令书), and the API refuses them on input in Chinese instead of answering 500 (issue 11, finding 1)."""
from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.test import Client

from anquan.core.text import CONTROL_MESSAGE
from anquan.documents.generators import issue_rectification_order
from anquan.documents.models import OfficialDocument
from anquan.hazards.models import Hazard

from .test_generators import plain
from .test_issue import docx_text
from .world import build

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 22, 4, 0, tzinfo=datetime.UTC)


@pytest.fixture
def w():
    with time_machine.travel(NOON, tick=False):
        yield build()


@pytest.mark.frozen(NOON)
def test_a_description_holding_a_vertical_tab_issues_its_order(w):
    Hazard.objects.filter(pk=w.hazards[1].pk).update(description="配电箱\x0b线路私拉乱接\x01", location="配电\x0c房")
    doc = issue_rectification_order(w.zhifa_a, w.inspection)
    assert "配电箱线路私拉乱接（配电房）" in plain(docx_text(doc))


@pytest.mark.frozen(NOON)
@pytest.mark.parametrize("raw", [
    '"\\u0003 第二段"',  # a control character
    '"\\ud800 半个代理"',  # a lone surrogate (cannot be encoded as UTF-8)
    '"\\ufffe"',
])
def test_circular_with_control_characters_is_422_in_chinese(w, raw):
    client = Client()
    client.force_login(w.zhifa_a)
    body = '{"title": "关于检查情况的通报", "paragraphs": ["第一段", ' + raw + "]}"
    r = client.post("/api/v1/documents/circular", data=body, content_type="application/json")
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == {"paragraphs.1": [CONTROL_MESSAGE]}
    assert not OfficialDocument.objects.exists()


@pytest.mark.frozen(NOON)
def test_tab_newline_and_return_are_text(w):
    client = Client()
    client.force_login(w.zhifa_a)
    body = {"title": "关于检查情况的通报", "paragraphs": ["第一段\t制表\r\n换行"]}
    r = client.post("/api/v1/documents/circular", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
