"""The rules pages: the list for every signed-in user (values for their locality), the forms for administrators only."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client

from anquan.audit.models import AuditEvent
from anquan.rules.models import RuleOverride
from anquan.rules.services import override_set

pytestmark = pytest.mark.django_db
KEY = "verification.working_days"


def test_list_needs_sign_in():
    response = Client().get("/rules/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_shows_rules_sources_and_the_users_local_value(tree, admin, street_user, client_for):
    override_set(actor=admin, key=KEY, value=4, unit=tree.street_a, reason="甲街道规定（测试）")
    override_set(actor=admin, key=KEY, value=6, unit=tree.other_district, reason="邻区规定（测试）")
    page = client_for(street_user).get("/rules/").content.decode()
    assert "复查验收时限" in page and "第二十三条" in page and "第七十八条" in page
    assert "<strong>4</strong>" in page and "甲街道规定（测试）" in page
    assert "邻区规定（测试）" not in page  # another district's override is out of this user's scope
    assert "/rules/verification.working_days/override/" not in page  # no forms for a street user


def test_list_for_another_locality(tree, admin, client_for):
    override_set(actor=admin, key=KEY, value=6, unit=tree.other_district, reason="邻区规定")
    page = client_for(admin).get(f"/rules/?unit={tree.other_district.pk}").content.decode()
    assert "<strong>6</strong>" in page and "邻区设置" in page
    page = client_for(admin).get("/rules/?unit=abc").content.decode()  # ignored, not an error
    assert "<strong>5</strong>" in page


@pytest.mark.frozen(datetime.datetime(2026, 11, 22, 2, 0, tzinfo=datetime.UTC))
def test_list_warns_when_next_year_has_no_data(street_user, client_for):
    page = client_for(street_user).get("/rules/").content.decode()
    assert "2027年节假日安排尚未录入，按周一至周五计算" in page and "请联系系统管理员录入" in page


class TestOverrideForm:
    url = f"/rules/{KEY}/override/"

    def test_forbidden_without_rules_manage(self, tree, street_user, client_for):
        client = client_for(street_user)
        assert client.get(self.url).status_code == 403
        response = client.post(self.url, {"unit": tree.street_a.pk, "value": "3", "reason": "想改"})
        assert response.status_code == 403
        assert not RuleOverride.objects.exists()

    def test_unknown_rule_404(self, admin, client_for):
        assert client_for(admin).get("/rules/no.such/override/").status_code == 404

    def test_reason_required(self, tree, admin, client_for):
        response = client_for(admin).post(self.url, {"unit": tree.district.pk, "value": "3", "reason": ""})
        assert response.status_code == 200 and "is-invalid" in response.content.decode()
        assert not RuleOverride.objects.exists()

    def test_bad_value_shown_on_the_form(self, tree, admin, client_for):
        response = client_for(admin).post(self.url, {"unit": tree.district.pk, "value": "五", "reason": "区规定"})
        assert "请填写整数" in response.content.decode()
        assert not RuleOverride.objects.exists()

    def test_set_then_end(self, tree, admin, client_for):
        client = client_for(admin)
        assert client.get(self.url).status_code == 200
        response = client.post(self.url, {"unit": tree.district.pk, "value": "3", "reason": "区安委办〔2026〕1号"})
        assert response.status_code == 302
        override = RuleOverride.objects.get()
        assert (override.value, override.unit, override.set_by) == (3, tree.district, admin)
        assert AuditEvent.objects.filter(model_key="ruleoverride", action="rule_override").count() == 1
        system_wide = client.post(self.url, {"unit": "", "value": "6", "reason": "全系统"})
        assert system_wide.status_code == 302 and RuleOverride.objects.get(unit__isnull=True).value == 6
        end_url = f"/rules/overrides/{override.pk}/end/"
        assert client.post(end_url, {"reason": ""}).status_code == 302
        override.refresh_from_db()
        assert override.ended_at is None  # a reason is required
        assert client.post(end_url, {"reason": "区规定废止"}).status_code == 302
        override.refresh_from_db()
        assert override.ended_at is not None

    def test_end_forbidden_without_rules_manage(self, tree, admin, street_user, client_for):
        override = override_set(actor=admin, key=KEY, value=3, unit=tree.street_a, reason="街道规定")
        response = client_for(street_user).post(f"/rules/overrides/{override.pk}/end/", {"reason": "不要"})
        assert response.status_code == 403
        override.refresh_from_db()
        assert override.ended_at is None
