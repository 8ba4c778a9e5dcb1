"""The appeal sentence of an order names the 复议机关 and the court from the issuing organ's configuration
(行政复议法 §20 ¶3), with the periods of the rules catalogue; the organ's defaults follow its place in the tree."""
from __future__ import annotations

import datetime

import pytest
import time_machine

from anquan.core.errors import Invalid
from anquan.core.tests.factories import make_user
from anquan.documents.generators import issue_rectification_order
from anquan.documents.organs import appeal_bodies, appeal_sentence
from anquan.rules import catalog
from anquan.rules import services as rule_services

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
def test_defaults_follow_the_organs_place(w):
    tree = w.tree
    # A district department: its own level's government (§24(一)) and the district's court.
    assert appeal_bodies(department=tree.yingji) == ("示范区人民政府", "示范区人民法院")
    # A street (派出机关 of the district government, §24(三)): the district's government.
    assert appeal_bodies(unit=tree.street_a) == ("示范区人民政府", "示范区人民法院")
    # A city: no district above it — the locality is named, the court left for the locality to set.
    review, court = appeal_bodies(unit=tree.city)
    assert review == "示范市人民政府" and court.startswith("示范市")


@pytest.mark.frozen(NOON)
def test_the_order_names_the_bodies_and_periods_and_an_override_applies(w):
    doc = issue_rectification_order(w.zhifa_a, w.inspection)
    text = plain(docx_text(doc))
    assert "60日内依法向示范区人民政府申请行政复议" in text
    assert "6个月内依法向示范区人民法院提起行政诉讼" in text
    admin = make_user("sysadmin")
    rule_services.override_set(actor=admin, key="organ.court", unit=w.tree.district, value="示范市示范区人民法院",
                               reason="示范区人民法院的正式名称，见示法〔2026〕1号")
    assert "向示范市示范区人民法院提起行政诉讼" in appeal_sentence(department=w.tree.yingji)
    assert "向示范区人民法院" not in appeal_sentence(department=w.tree.yingji)
    # The neighbouring district keeps its own default.
    assert "邻区人民法院" in appeal_sentence(department=w.tree.other_zhujian)


def test_text_rules_are_names_and_numbers_keep_their_sources():
    review = catalog.get_rule("organ.review_body")
    assert rule_services.clean_value(review, " 示范市人民政府 ") == "示范市人民政府"
    with pytest.raises(Invalid):
        rule_services.clean_value(review, "名" * 61)
    assert catalog.get_rule("appeal.review_days").default == 60 and "第二十条" in catalog.get_rule("appeal.review_days").source
    assert catalog.get_rule("appeal.litigation_months").default == 6
    suspension = catalog.get_rule("suspension.max_months")
    assert suspension.default == 6
    assert "第15号" in suspension.source and "应急管理部令第18号" in suspension.source and "2026年2月1日" in suspension.source
