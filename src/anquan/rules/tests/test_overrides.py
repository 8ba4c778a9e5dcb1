"""Overrides per locality: nearest ancestor wins, never deleted, only by "rules.manage", with a reason, audited."""
from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from anquan.accounts.roles import ROLES
from anquan.audit.models import AuditEvent
from anquan.core.errors import Forbidden, Invalid
from anquan.rules import values
from anquan.rules.catalog import RULES, get_rule
from anquan.rules.models import RuleOverride
from anquan.rules.services import clean_value, override_end, override_set

KEY = "verification.working_days"


def test_only_sysadmin_manages_rules():
    assert [code for code, role in ROLES.items() if "rules.manage" in role.actions] == ["sysadmin"]


def test_catalogue_defaults_have_sources_and_valid_types():
    for key, rule in RULES.items():
        assert rule.key == key and rule.source and rule.label_zh and rule.unit_label
        assert rule.mark in ("V", "S", "L")
        assert clean_value(rule, rule.default) == rule.default
    assert get_rule("listing.review_days").default == 10
    with pytest.raises(KeyError):
        get_rule("no.such.rule")


@pytest.mark.django_db
class TestResolution:
    def test_default_without_overrides(self, tree):
        assert values.get(KEY) == 5
        assert values.get(KEY, tree.grid_a) == 5
        assert values.resolve(KEY, tree.grid_a).is_default

    def test_nearest_ancestor_wins(self, tree, admin):
        override_set(actor=admin, key=KEY, value=8, unit=None, reason="全系统试行")
        override_set(actor=admin, key=KEY, value=7, unit=tree.district, reason="区规定")
        override_set(actor=admin, key=KEY, value=3, unit=tree.street_a, reason="街道规定")
        assert values.get(KEY, tree.grid_a) == 3  # street_a is nearer than the district
        assert values.get(KEY, tree.street_a) == 3
        assert values.get(KEY, tree.grid_b) == 7  # street_b inherits the district's
        assert values.get(KEY, tree.district) == 7
        assert values.get(KEY, tree.other_grid) == 8  # another district: the system-wide value
        assert values.get(KEY, tree.city) == 8
        assert values.get(KEY) == 8
        assert values.get("listing.review_days", tree.grid_a) == 10  # other rules untouched

    def test_effective_agrees_with_get(self, tree, admin):
        override_set(actor=admin, key=KEY, value=7, unit=tree.district, reason="区规定")
        override_set(actor=admin, key="stats.annual_due", value="02-15", unit=tree.city, reason="市规定")
        for unit in (None, tree.city, tree.grid_a, tree.other_grid):
            resolved = values.effective(unit)
            assert {k: r.value for k, r in resolved.items()} == {k: values.get(k, unit) for k in RULES}

    def test_as_of_a_past_moment(self, tree, admin):
        t1 = timezone.now() + datetime.timedelta(days=1)
        with time_machine.travel(t1, tick=False):
            override_set(actor=admin, key=KEY, value=7, unit=tree.district, reason="区规定")
        with time_machine.travel(t1 + datetime.timedelta(days=30), tick=False):
            override_set(actor=admin, key=KEY, value=9, unit=tree.district, reason="区规定修订")
        assert values.get(KEY, tree.grid_a, at=t1 + datetime.timedelta(days=31)) == 9
        assert values.get(KEY, tree.grid_a, at=t1 + datetime.timedelta(days=1)) == 7
        assert values.get(KEY, tree.grid_a, at=t1 - datetime.timedelta(seconds=1)) == 5


@pytest.mark.django_db
class TestOverrideService:
    def test_replacing_ends_the_previous_never_deletes(self, tree, admin):
        first = override_set(actor=admin, key=KEY, value=7, unit=tree.district, reason="区规定")
        second = override_set(actor=admin, key=KEY, value=6, unit=tree.district, reason="区规定修订")
        first.refresh_from_db()
        assert first.ended_at is not None and first.ended_by == admin and "区规定修订" in first.end_reason
        assert second.ended_at is None
        assert RuleOverride.objects.filter(key=KEY).count() == 2

    def test_audited_in_the_system_chain(self, tree, admin):
        override = override_set(actor=admin, key=KEY, value=7, unit=tree.district, reason="依据区安委办〔2026〕1号")
        event = AuditEvent.objects.get(model_key="ruleoverride", object_id=override.pk)
        assert event.chain.key == "system" and event.action == "rule_override"
        assert event.actor == admin and event.acting_role == "sysadmin"
        assert event.before["value"] == 5 and event.after["value"] == 7
        assert event.reason == "依据区安委办〔2026〕1号"

    def test_requires_permission(self, tree, street_user):
        with pytest.raises(Forbidden):
            override_set(actor=street_user, key=KEY, value=7, unit=tree.street_a, reason="想改")
        assert not RuleOverride.objects.exists() and not AuditEvent.objects.exists()

    @pytest.mark.parametrize("reason", ["", "   ", None])
    def test_requires_reason(self, tree, admin, reason):
        with pytest.raises(Invalid) as exc:
            override_set(actor=admin, key=KEY, value=7, unit=tree.district, reason=reason)
        assert "reason" in exc.value.errors
        assert not RuleOverride.objects.exists() and not AuditEvent.objects.exists()

    @pytest.mark.parametrize(("key", "raw", "expected"), [
        (KEY, "7", 7), (KEY, " 7 ", 7), (KEY, 7, 7), ("stats.annual_due", "02-15", "02-15"),
        ("recheck.sample_percent", "0", 0),
    ])
    def test_value_converted_to_the_default_type(self, tree, admin, key, raw, expected):
        override = override_set(actor=admin, key=key, value=raw, unit=tree.district, reason="区规定")
        override.refresh_from_db()
        assert override.value == expected and type(override.value) is type(expected)

    @pytest.mark.parametrize(("key", "raw"), [
        (KEY, "abc"), (KEY, "7.5"), (KEY, 7.5), (KEY, True), (KEY, "0"), (KEY, "61"),
        ("recheck.sample_percent", "101"), ("stats.annual_due", "02-29"), ("stats.annual_due", "2-1"),
        ("stats.annual_due", 131), ("stats.quarter_due_day", "31"),
    ])
    def test_invalid_values_refused(self, tree, admin, key, raw):
        with pytest.raises(Invalid) as exc:
            override_set(actor=admin, key=key, value=raw, unit=tree.district, reason="区规定")
        assert "value" in exc.value.errors
        assert not RuleOverride.objects.exists()

    def test_unknown_key_and_same_value_refused(self, tree, admin):
        with pytest.raises(Invalid):
            override_set(actor=admin, key="no.such", value=1, unit=None, reason="x")
        override_set(actor=admin, key=KEY, value=7, unit=tree.district, reason="区规定")
        with pytest.raises(Invalid):
            override_set(actor=admin, key=KEY, value="7", unit=tree.district, reason="再设一次")

    def test_end_falls_back_to_the_unit_above(self, tree, admin, street_user):
        override_set(actor=admin, key=KEY, value=7, unit=tree.district, reason="区规定")
        street = override_set(actor=admin, key=KEY, value=3, unit=tree.street_a, reason="街道规定")
        with pytest.raises(Forbidden):
            override_end(actor=street_user, override=street, reason="撤销")
        with pytest.raises(Invalid):
            override_end(actor=admin, override=street, reason="")
        override_end(actor=admin, override=street, reason="街道规定废止")
        assert values.get(KEY, tree.grid_a) == 7
        street.refresh_from_db()
        assert street.ended_at is not None and street.end_reason == "街道规定废止"
        event = AuditEvent.objects.get(model_key="ruleoverride", object_id=street.pk, action="rule_override_end")
        assert event.before["value"] == 3 and event.after["value"] == 7
        with pytest.raises(Invalid):
            override_end(actor=admin, override=street, reason="再撤销")


@pytest.mark.django_db
def test_overrides_visible_by_locality(tree, admin, street_user):
    from anquan.core.tests.factories import make_user

    override_set(actor=admin, key=KEY, value=8, unit=None, reason="全系统")
    override_set(actor=admin, key=KEY, value=7, unit=tree.district, reason="区")
    override_set(actor=admin, key=KEY, value=6, unit=tree.other_district, reason="邻区")
    seen = set(RuleOverride.objects.visible_to(street_user).values_list("value", flat=True))
    assert seen == {8, 7}
    assert RuleOverride.objects.visible_to(admin).count() == 3
    other = make_user("street_staff", unit=tree.other_street)
    assert set(RuleOverride.objects.visible_to(other).values_list("value", flat=True)) == {8, 6}
