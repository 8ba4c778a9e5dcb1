"""Three rules of issuing: only an enforcement body issues enforcement orders (a 安委办 is refused, in
Chinese, and gets no button); one click issues one document (the same client key → the same
document and number, page and API); a 挂牌督办 has one number — its notice's 文号, never typed."""
from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from anquan.core.errors import Forbidden
from anquan.core.tests.factories import make_department, make_user
from anquan.documents.generators import issue_rectification_order
from anquan.documents.models import DocumentCounter, DocumentKind, OfficialDocument
from anquan.documents.services import is_enforcement_body, issue_document
from anquan.hazards.choices import HazardLevel
from anquan.hazards.models import Hazard, ListedSupervision
from anquan.orgs.models import DepartmentKind

from .world import build

pytestmark = pytest.mark.django_db
NOON = "2026-11-22 23:30 +0800"


@pytest.fixture
def w():
    return build()


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --- only an enforcement body --------------------------------------------------------------------

@pytest.mark.frozen(NOON)
def test_enforcement_bodies(w):
    tree = w.tree
    assert is_enforcement_body(department=tree.yingji) and is_enforcement_body(department=tree.zhujian)
    assert is_enforcement_body(unit=tree.street_a)
    assert not is_enforcement_body(department=tree.anweiban)
    for unit in (tree.district, tree.city, tree.province, tree.community_a, tree.grid_a):
        assert not is_enforcement_body(unit=unit)


@pytest.mark.frozen(NOON)
def test_a_safety_committee_office_cannot_issue_an_order_in_its_own_name(w):
    hazard = w.hazards[1]
    for kind in (DocumentKind.RECTIFICATION_ORDER, DocumentKind.RECHECK_OPINION):
        with pytest.raises(Forbidden, match="安委办不是行政执法主体"):
            issue_document(w.anweiban, kind=kind, about=hazard, title="责令限期整改指令书", recipients="示范甲化工有限公司",
                           paragraphs=["责令整改。"])
    with pytest.raises(Forbidden, match="安委办不是行政执法主体，不能以本机关名义下达责令限期整改指令书"):
        issue_rectification_order(w.anweiban, hazard)
    # also as a 安委办 department assignment
    office = make_user("dept_staff", department=w.tree.anweiban)
    with pytest.raises(Forbidden, match="安委办不是行政执法主体"):
        issue_document(office, kind=DocumentKind.RECTIFICATION_ORDER, title="责令限期整改指令书", recipients="某企业",
                       paragraphs=["责令整改。"])
    # the enforcement department and the street do issue them; the 安委办 still issues its 通报
    assert issue_rectification_order(w.zhifa_a, hazard).issuer_department == w.tree.yingji
    assert issue_rectification_order(w.street_a, hazard).issuer_unit == w.tree.street_a
    assert issue_document(w.anweiban, kind=DocumentKind.CIRCULAR, about=hazard, title="关于重大事故隐患的通报",
                          recipients="各街道", paragraphs=["通报。"]).issuer_unit == w.tree.district
    assert not OfficialDocument.objects.filter(issuer_unit=w.tree.district, kind=DocumentKind.RECTIFICATION_ORDER).exists()


@pytest.mark.frozen(NOON)
def test_the_refusal_on_page_and_api(w):
    hazard = w.hazards[1]
    c = client_for(w.anweiban)
    html = c.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert "生成责令限期整改指令书" not in html
    page = c.post(reverse("documents:issue", args=["rectification_order", "hazard", hazard.pk]))
    assert page.status_code == 403
    api = c.post("/api/v1/documents/rectification-order", data=json.dumps({"hazard": hazard.pk}),
                 content_type="application/json")
    assert api.status_code == 403 and "安委办不是行政执法主体" in api.json()["detail"]
    assert not OfficialDocument.objects.exists()
    # another kind of department is an enforcement body: a 住建局 officer gets the button where he may issue
    assert "生成责令限期整改指令书" in client_for(w.zhifa_a).get(reverse("hazards:detail", args=[hazard.pk])).content.decode()


# --- one click, one document -------------------------------------------------------------------

@pytest.mark.frozen(NOON)
def test_two_identical_page_requests_issue_one_document(w):
    c = client_for(w.zhifa_a)
    html = c.get(reverse("inspections:detail", args=[w.inspection.pk])).content.decode()
    assert 'name="client_key"' in html and "data-once" in html
    url = reverse("documents:issue", args=["inspection_record", "inspection", w.inspection.pk])
    first = c.post(url, {"client_key": "render-1"})
    second = c.post(url, {"client_key": "render-1"})
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert OfficialDocument.objects.count() == 1
    assert DocumentCounter.objects.get().last_seq == 1  # one number taken, not two
    # a new render (a new key) is a new, deliberate issue
    c.post(url, {"client_key": "render-2"})
    assert list(OfficialDocument.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2]
    # a key is the user's: another inspector's same key issues his own
    client_for(w.zhifa_b).post(url, {"client_key": "render-1"})
    assert OfficialDocument.objects.count() == 3


@pytest.mark.frozen(NOON)
def test_two_identical_api_requests_issue_one_document(w):
    c = client_for(w.zhifa_a)
    body = json.dumps({"hazard": w.hazards[1].pk})
    headers = {"HTTP_IDEMPOTENCY_KEY": "api-key-7"}
    one = c.post("/api/v1/documents/rectification-order", data=body, content_type="application/json", **headers)
    two = c.post("/api/v1/documents/rectification-order", data=body, content_type="application/json", **headers)
    assert one.status_code == two.status_code == 201
    assert one.json()["number"] == two.json()["number"] == "示应急责改〔2026〕1号"
    assert OfficialDocument.objects.count() == 1 and DocumentCounter.objects.get().last_seq == 1
    too_long = c.post("/api/v1/documents/rectification-order", data=body, content_type="application/json",
                      HTTP_IDEMPOTENCY_KEY="k" * 80)
    assert too_long.status_code == 201  # cut to 64 characters, never a 500


# --- 挂牌督办: one number ------------------------------------------------------------------------

def _major(w) -> Hazard:
    hazard = w.hazards[1]
    ListedSupervision.objects.filter(hazard=hazard).delete()  # the world's hand-made listing: start clean
    Hazard.objects.filter(pk=hazard.pk).update(level=HazardLevel.MAJOR)
    hazard.refresh_from_db()
    return hazard


@pytest.mark.frozen(NOON)
def test_listing_takes_its_notices_number(w):
    from anquan.hazards import services as hazard_services

    hazard = _major(w)
    listing = hazard_services.hazard_list(actor=w.anweiban, hazard=hazard, version=hazard.version,
                                          deadline=datetime.date(2027, 1, 31), document_no="示安委办督〔2026〕9号")
    notice = OfficialDocument.objects.get(listing=listing)
    listing.refresh_from_db()
    assert notice.kind == DocumentKind.LISTING_NOTICE and notice.number == "示安委办督办〔2026〕1号"
    assert listing.document_no == notice.number  # the typed number is not used anywhere
    assert not OfficialDocument.objects.filter(paragraphs__icontains="9号").exists()
    # the hazard page shows the listing by that number and offers no second notice
    html = client_for(w.anweiban).get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert notice.number in html and "示安委办督〔2026〕9号" not in html and "生成挂牌督办通知书" not in html
    assert 'name="document_no"' not in html


@pytest.mark.frozen(NOON)
def test_listing_page_and_api_ask_no_number(w):
    hazard = _major(w)
    c = client_for(w.anweiban)
    form = c.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert "督办编号即通知书文号" in form and 'name="document_no"' not in form
    r = c.post(f"/api/v1/hazards/{hazard.pk}/list", data=json.dumps({"version": hazard.version, "deadline": "2027-01-31"}),
               content_type="application/json")
    assert r.status_code == 201, r.content
    listing = ListedSupervision.objects.get(hazard=hazard)
    assert listing.document_no == OfficialDocument.objects.get(listing=listing).number == "示安委办督办〔2026〕1号"
    # the same request again: refused (already listed), no second number
    again = c.post(f"/api/v1/hazards/{hazard.pk}/list", data=json.dumps({"version": hazard.version, "deadline": "2027-01-31"}),
                   content_type="application/json")
    assert again.status_code == 409 and OfficialDocument.objects.filter(kind=DocumentKind.LISTING_NOTICE).count() == 1


@pytest.mark.frozen(NOON)
def test_a_replaced_notice_gives_the_listing_its_new_number(w):
    from anquan.documents.services import document_void
    from anquan.hazards import services as hazard_services

    hazard = _major(w)
    listing = hazard_services.hazard_list(actor=w.anweiban, hazard=hazard, version=hazard.version,
                                          deadline=datetime.date(2027, 1, 31))
    notice = OfficialDocument.objects.get(listing=listing)
    c = client_for(w.anweiban)
    assert c.post(reverse("documents:issue", args=["listing_notice", "listing", listing.pk])).status_code == 302
    assert OfficialDocument.objects.filter(listing=listing).count() == 1  # refused while the first is live
    document_void(actor=w.anweiban, document=notice, version=notice.version, reason="期限写错")
    c.post(reverse("documents:issue", args=["listing_notice", "listing", listing.pk]), {"client_key": "x"})
    listing.refresh_from_db()
    assert listing.document_no == "示安委办督办〔2026〕2号"


@pytest.mark.frozen(NOON)
def test_other_department_kinds_unchanged(w):
    """A department of kind 其他 (e.g. 文旅局 with supervisory duties) is an enforcement body; only the 安委办 is not."""
    other = make_department("示范区文化和旅游局", DepartmentKind.OTHER, w.tree.district)
    assert is_enforcement_body(department=other)
