"""One input rule for every text field (issue 11, findings 1 and 7): control characters and lone surrogates
refused in Chinese by the API (body and query, POST and PATCH alike) and by every form; lengths refused at
the edge to the column's limit, never a DataError on PostgreSQL; an oversize API body answered in JSON."""
from __future__ import annotations

import importlib
import json
import pkgutil

import pytest
from django import forms

import anquan
from anquan.core import text
from anquan.core.text import CONTROL_MESSAGE, TextRuleMixin
from anquan.enterprises.models import Enterprise, Site
from anquan.hazards.models import Hazard

from .test_api_robustness import signed_in  # noqa: F401  (fixture: an 安委办 client and real ids)

pytestmark = pytest.mark.django_db


def _json(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


# ------------------------------------------------------------------ the rule itself

@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff"])
def test_illegal_characters(char):
    assert text.has_illegal(f"甲{char}乙") and text.xml_safe(f"甲{char}乙") == "甲乙"


@pytest.mark.parametrize("value", ["\t", "\n", "\r", " ", "中文", "\U0001f600", "\x7f", "\ufffd"])
def test_legal_characters(value):
    assert not text.has_illegal(value) and text.xml_safe(value) == value


def test_paths_name_where_in_the_body():
    assert text.illegal_paths({"a": ["ok", {"b": "x\x03"}], "c": "fine", "k\x0b": 1}) == {
        "a.1.b": [CONTROL_MESSAGE], "k": [CONTROL_MESSAGE]}


# ------------------------------------------------------------------ API: body, PATCH as POST, query

@pytest.mark.parametrize("bad", ["甲\x00乙", "甲\x0b乙", "甲\ud800乙"])
def test_patch_refuses_nul_and_control_characters_as_post_does(signed_in, bad):
    client, ids = signed_in
    hazard = Hazard.objects.get(pk=ids["hazard_id"])
    url = f"/api/v1/hazards/{hazard.pk}"
    r = _json(client, "patch", url, {"version": hazard.version, "description": bad})
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == {"description": [CONTROL_MESSAGE]}
    hazard.refresh_from_db()
    assert hazard.description == "健壮隐患"
    r = _json(client, "post", "/api/v1/hazards", {"site": ids["site_id"], "description": bad, "source": "territorial"})
    assert r.status_code == 422 and r.json()["errors"]["description"] == [CONTROL_MESSAGE]


def test_query_strings_follow_the_rule(signed_in):
    client, _ = signed_in
    r = client.get("/api/v1/enterprises", {"q": "健壮\x0b"})
    assert r.status_code == 422 and r.json()["errors"] == {"q": [CONTROL_MESSAGE]}
    assert client.get("/api/v1/enterprises", {"q": "健壮"}).status_code == 200


def test_unparseable_body_is_answered_in_chinese(signed_in):
    client, ids = signed_in
    r = client.post(f"/api/v1/enterprises/{ids['*']}/void", data=b"{\"reason\": \xff}", content_type="application/json")
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
    assert r.json()["detail"] == "请求体不是有效的JSON"


def test_oversize_body_answers_json_in_chinese(signed_in, settings):
    client, ids = signed_in
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = _json(client, "post", f"/api/v1/enterprises/{ids['*']}/void", {"version": 1, "reason": "长" * 2000})
    assert r.status_code == 413 and r["Content-Type"].startswith("application/json")
    assert "请求体过大" in r.json()["detail"]
    assert Enterprise.objects.get(pk=ids["*"]).voided_at is None


# ------------------------------------------------------------------ lengths at the edge

def _void_reason_too_long(client, ids):
    enterprise = Enterprise.objects.get(pk=ids["*"])
    r = _json(client, "post", f"/api/v1/enterprises/{enterprise.pk}/void", {"version": enterprise.version, "reason": "理" * 600})
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == {"reason": ["作废理由不能超过500个字（现有内容过长，请删减）"]}
    enterprise.refresh_from_db()
    assert enterprise.voided_at is None and enterprise.void_reason == ""
    site = Site.objects.get(pk=ids["site_id"])
    r = _json(client, "post", f"/api/v1/sites/{site.pk}/void", {"version": site.version, "reason": "理" * 501})
    assert r.status_code == 422 and r.json()["errors"] == {"reason": ["作废理由不能超过500个字（现有内容过长，请删减）"]}
    r = _json(client, "post", f"/api/v1/sites/{site.pk}/void", {"version": site.version, "reason": "理" * 500})
    assert r.status_code == 200, r.content


def test_a_600_character_void_reason_is_a_chinese_422(signed_in):
    _void_reason_too_long(*signed_in)


@pytest.mark.postgres
def test_a_600_character_void_reason_is_no_data_error_on_postgresql(signed_in):
    _void_reason_too_long(*signed_in)


def test_hazard_location_longer_than_its_column_is_refused_on_patch(signed_in):
    client, ids = signed_in
    hazard = Hazard.objects.get(pk=ids["hazard_id"])
    r = _json(client, "patch", f"/api/v1/hazards/{hazard.pk}", {"version": hazard.version, "location": "位" * 201})
    assert r.status_code == 422 and r.json()["errors"] == {"location": ["内容过长（不超过200个字）"]}


def test_the_page_void_form_refuses_a_long_reason(signed_in):
    client, ids = signed_in
    enterprise = Enterprise.objects.get(pk=ids["*"])
    r = client.post(f"/enterprises/{enterprise.pk}/void/", {"version": enterprise.version, "reason": "理" * 600})
    assert r.status_code in (200, 422) and "作废理由不能超过500个字" in r.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.voided_at is None


# ------------------------------------------------------------------ forms

class _Sample(TextRuleMixin, forms.Form):
    name = forms.CharField(max_length=10)
    note = forms.CharField(required=False, widget=forms.Textarea)
    count = forms.IntegerField(required=False)


def test_the_form_rule_refuses_control_characters_in_chinese():
    form = _Sample({"name": "甲\x0b乙", "note": "乙\x03"})
    assert not form.is_valid()
    assert form.errors == {"name": [CONTROL_MESSAGE], "note": [CONTROL_MESSAGE]}
    assert _Sample({"name": "甲\t乙", "note": "多行\r\n文字"}).is_valid()


def test_a_model_form_gets_the_rule_on_generated_fields(signed_in):
    from anquan.accounts.models import User
    from anquan.enterprises.forms import EnterpriseForm

    _, ids = signed_in
    enterprise = Enterprise.objects.get(pk=ids["*"])
    user = User.objects.get(username="fuzz_user")
    form = EnterpriseForm(data={"address": "甲路\x0b1号"}, instance=enterprise, user=user, action="enterprise.update")
    form.is_valid()
    assert form.errors["address"] == [CONTROL_MESSAGE]


def _project_forms() -> list[type]:
    skip = ("tests", "migrations", "settings", "wsgi", "celery", "management")
    for module in pkgutil.walk_packages(anquan.__path__, "anquan."):
        if not any(part in skip for part in module.name.split(".")):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("anquan.") and ".tests." not in cls.__module__:
            found.append(cls)
    return found


def test_every_form_of_the_project_applies_the_rule():
    """A new form that forgets ``TextRuleMixin`` fails here, naming itself."""
    classes = _project_forms()
    assert len(classes) >= 10
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, TextRuleMixin))
    assert missing == []


# ------------------------------------------------------------------ the last guard at the database

def test_the_database_guard_refuses_what_postgresql_would(signed_in):
    from anquan.core.errors import Invalid

    _, ids = signed_in
    site = Site.objects.get(pk=ids["site_id"])
    site.name = "场" * (Site._meta.get_field("name").max_length + 1)
    with pytest.raises(Invalid) as refused:
        site.save()
    assert refused.value.errors == {"name": [text.too_long(Site._meta.get_field("name").max_length, "场所名称")]}
    hazard = Hazard.objects.get(pk=ids["hazard_id"])
    hazard.measures = "甲\x00乙"  # a TextField: no length, but NUL cannot be stored in PostgreSQL
    with pytest.raises(Invalid) as refused:
        hazard.save(update_fields=["measures"])
    assert list(refused.value.errors) == ["measures"]
    hazard.measures = "甲\x0b乙"  # storable: the writers drop it on the way out
    hazard.save(update_fields=["measures"])
