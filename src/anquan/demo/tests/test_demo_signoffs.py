"""The demo's 公文签发: lingdao finds the street's drafts waiting for him (his workbench count is the length
of the list it opens), one signed and numbered with him as 签发人, one sent back and revised by jiedao_a."""
import datetime

import pytest
from django.test import Client

from anquan.demo.generator import build_demo
from anquan.documents.models import DocumentDraft, SignOff
from anquan.documents.services.signoff import waiting_for
from anquan.documents.todos import count as todo_count

SMALL = {"seed": 7, "as_of": datetime.date(2026, 3, 1), "streets": 3, "enterprises": 40, "inspections": True}


@pytest.mark.django_db
def test_the_signoff_scene(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    demo = build_demo(**SMALL)
    lingdao, jiedao_a = demo.users["lingdao"], demo.users["jiedao_a"]
    signed = DocumentDraft.objects.get(document__isnull=False)
    assert signed.document.issued_by == lingdao and signed.document.number.endswith("通报〔2026〕1号")
    revised = SignOff.objects.get(title__contains="冬季燃气")
    assert [s.kind for s in revised.steps.all()] == ["draft", "return", "resubmit"]
    waiting = list(waiting_for(lingdao))
    assert len(waiting) == 2 and {s.state for s in waiting} == {"reviewing"}
    assert todo_count(lingdao) == 2 and todo_count(jiedao_a) == 0
    client = Client()
    client.force_login(lingdao)
    html = client.get("/documents/signoffs/").content.decode()
    assert "共 2 件" in html and "冬季燃气" in html and "元旦" in html
    assert not waiting_for(demo.users["jiedao_b"]).exists() and not waiting_for(demo.users["anweiban"]).exists()
