"""The four generated documents carry the fields they must (checked in the .docx XML), and refuse
when their record is not ready."""
from __future__ import annotations

import datetime

import pytest
import time_machine

from anquan.core.errors import Conflict, Forbidden, NotFound
from anquan.documents.generators import (
    issue_circular,
    issue_inspection_record,
    issue_listing_notice,
    issue_recheck_opinion,
    issue_rectification_order,
)
from anquan.documents.models import OfficialDocument
from anquan.hazards.choices import Verdict
from anquan.hazards.models import Hazard, RectificationRound
from anquan.inspections.models import Inspection

from .test_issue import docx_text
from .world import build

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 22, 4, 0, tzinfo=datetime.UTC)


@pytest.fixture
def w():
    with time_machine.travel(NOON, tick=False):
        yield build()


def plain(xml: str) -> str:
    """The text of the document (runs joined), so a phrase split across runs is still found."""
    import re

    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.frozen(NOON)
def test_inspection_record_has_time_place_people_items_problems_and_signatures(w):
    doc = issue_inspection_record(w.zhifa_a, w.inspection)
    assert doc.number == "示应急检记〔2026〕1号" and doc.inspection == w.inspection
    assert doc.issuer_department == w.tree.yingji
    text = plain(docx_text(doc))
    for needle in (
        "示范区应急管理局", "示应急检记〔2026〕1号", "现场检查记录", "示范甲化工有限公司", "甲化工厂区",
        "2026年11月20日9时30分至2026年11月20日11时05分", "甲化工厂区二号仓库及配电房",
        "王建国（执法证号：99010100001）", "李卫东（执法证号：99010100002）", "赵厂长（厂长）",
        "危险化学品企业安全检查表", "共检查4项，其中符合1项、不符合2项、不适用1项",
        "仓库灭火器压力不足", "配电箱线路私拉乱接", w.hazards[0].number, "当场责令整改两项隐患",
        "赵厂长拒绝签字", "代表称需请示总部", "2026年11月22日",
    ):
        assert needle in text, needle
    # the two inspectors' drawn signatures are embedded as pictures
    assert docx_text(doc).count("<pic:pic") == 2


@pytest.mark.frozen(NOON)
def test_inspection_record_needs_a_performed_inspection(w):
    Inspection.objects.filter(pk=w.inspection.pk).update(performed_at=None)
    w.inspection.refresh_from_db()
    with pytest.raises(Conflict, match="检查尚未完成"):
        issue_inspection_record(w.zhifa_a, w.inspection)
    assert not OfficialDocument.objects.exists()


@pytest.mark.frozen(NOON)
def test_rectification_order_lists_open_hazards_with_deadline_and_basis(w):
    doc = issue_rectification_order(w.zhifa_a, w.inspection)
    text = plain(docx_text(doc))
    open_hazard = w.hazards[1]  # the first one is closed already
    assert "配电箱线路私拉乱接（配电房）" in text and "仓库灭火器压力不足" not in text
    assert "第六十五条第一款第（三）项" in text
    assert "示范甲化工有限公司：" in text and "责令限期整改指令书" in text
    assert f"{open_hazard.deadline_in_force.year}年{open_hazard.deadline_in_force.month}月{open_hazard.deadline_in_force.day}日" in text
    assert "GB 50194" in text  # the basis of the checklist item that raised it
    assert "重大事故隐患" in text  # hazards[1] is major in the world
    assert doc.number == "示应急责改〔2026〕1号"


@pytest.mark.frozen(NOON)
def test_rectification_order_with_nothing_open_is_refused(w):
    Hazard.objects.filter(inspection=w.inspection).update(status="closed")
    with pytest.raises(Conflict, match="没有待整改"):
        issue_rectification_order(w.zhifa_a, w.inspection)


@pytest.mark.frozen(NOON)
def test_recheck_opinion_quotes_the_order_and_the_verdict(w):
    order = issue_rectification_order(w.zhifa_a, w.hazards[0].inspection)
    doc = issue_recheck_opinion(w.zhifa_b, w.checked)
    text = plain(docx_text(doc))
    for needle in ("整改复查意见书", w.checked.number, "已更换灭火器4具", "已整改完毕，同意销号", "现场核查灭火器压力正常",
                   f"（{order.number}）", "第1轮", "验收通过"):
        assert needle in text, needle
    assert doc.hazard == w.checked and doc.number == "示应急复查〔2026〕1号"


@pytest.mark.frozen(NOON)
def test_recheck_opinion_sent_back_and_not_yet_verified(w):
    hazard = w.hazards[1]
    with pytest.raises(Conflict, match="尚无整改验收"):
        issue_recheck_opinion(w.zhifa_a, hazard)
    RectificationRound.objects.create(
        hazard=hazard, number=1, measures_taken="已整理线路", submitted_by=w.zhifa_a, submitted_role="ent_manager",
        submitted_at=NOON, deadline_at_submission=hazard.deadline_in_force, on_time=True, verdict=Verdict.SENT_BACK,
        verified_by=w.zhifa_b, verified_role="inspector", verified_at=NOON, verdict_reason="仍有临时线路",
    )
    text = plain(docx_text(issue_recheck_opinion(w.zhifa_a, hazard)))
    assert "未整改到位：仍有临时线路" in text and "继续整改" in text


@pytest.mark.frozen(NOON)
def test_listing_notice_by_the_listing_unit(w):
    doc = issue_listing_notice(w.anweiban, w.listing)
    assert doc.issuer_unit == w.tree.district and doc.number == "示安委办督办〔2026〕1号"
    text = plain(docx_text(doc))
    for needle in ("示范区安全生产委员会办公室", "重大事故隐患挂牌督办通知书", "区县级挂牌督办",
                   "2027年1月31日", "10日内进行现场审查", w.listing.hazard.number):
        assert needle in text, needle
    # one number: the notice does not quote another 督办编号, and the listing is known by the notice's 文号
    assert "督办编号" not in text and "示安委督〔2026〕3号" not in text
    w.listing.refresh_from_db()
    assert w.listing.document_no == "示安委办督办〔2026〕1号"
    # a street worker of another street cannot see the listing at all; the street may see but not issue
    other = __import__("anquan.core.tests.factories", fromlist=["make_user"]).make_user("street_staff", unit=w.tree.street_b)
    with pytest.raises(NotFound):
        issue_listing_notice(other, w.listing)
    grid = __import__("anquan.core.tests.factories", fromlist=["make_user"]).make_user("grid_worker", unit=w.tree.grid_a)
    with pytest.raises(Forbidden):
        issue_listing_notice(grid, w.listing)


@pytest.mark.frozen(NOON)
def test_circular_with_table(w):
    doc = issue_circular(w.anweiban, title="关于示范甲化工有限公司重大事故隐患的通报", recipients="各街道办事处",
                         paragraphs=["现将情况通报如下。"], about=w.listing.hazard,
                         table=(["企业", "隐患"], [["示范甲化工有限公司", "配电箱线路私拉乱接"]]))
    text = plain(docx_text(doc))
    assert "示安委办通报〔2026〕1号" in text and "各街道办事处：" in text and "配电箱线路私拉乱接" in text
    assert doc.hazard == w.listing.hazard


@pytest.mark.frozen(NOON)
def test_listing_notice_takes_the_review_days_in_force_for_the_listing_unit(w):
    from anquan.rules.models import RuleOverride

    RuleOverride.objects.create(key="listing.review_days", value=7, unit=w.tree.district, reason="本区从严",
                                set_by=w.anweiban)
    text = plain(docx_text(issue_listing_notice(w.anweiban, w.listing)))
    assert "自收到申请之日起7日内进行现场审查" in text
