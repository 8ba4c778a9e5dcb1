"""拟稿 → 核稿 → 签发: the transition table, random sequences of moves against a model of the table,
who may act (the organ's staff reviews, its leader signs, never the drafter), the signed document,
the to-do count and the pages."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anquan.audit.models import AuditEvent
from anquan.core.errors import Conflict, Forbidden, Invalid, NotFound
from anquan.core.tests.factories import make_tree, make_user
from anquan.documents.models import DocumentDraft, OfficialDocument, SignOff, SignOffState
from anquan.documents.services import drafts
from anquan.documents.services import signoff as signoffs
from anquan.documents.todos import count as todo_count

NOON = "2026-11-22 23:30 +0800"
S = SignOffState


def test_the_transition_table_is_the_domain_order():
    """Written by hand from the domain: review before sign, returns go back to the drafter, nothing leaves 已签发."""
    assert signoffs.TRANSITIONS == {
        "review": {S.REVIEWING: S.SIGNING},
        "sign": {S.SIGNING: S.SIGNED},
        "return": {S.REVIEWING: S.RETURNED, S.SIGNING: S.RETURNED},
        "resubmit": {S.RETURNED: S.REVIEWING},
        "withdraw": {S.REVIEWING: S.WITHDRAWN, S.RETURNED: S.WITHDRAWN},
    }
    final = {S.SIGNED, S.WITHDRAWN}
    assert not any(state in moves for moves in signoffs.TRANSITIONS.values() for state in final)


class Street:
    def __init__(self):
        self.tree = make_tree()
        self.drafter = make_user("street_staff", unit=self.tree.street_a, name="陈拟稿", username="ngao")
        self.colleague = make_user("street_staff", unit=self.tree.street_a, name="刘核稿", username="hegao")
        self.leader = make_user("leader", unit=self.tree.street_a, name="王主任", username="lingdao_t")
        self.other_leader = make_user("leader", unit=self.tree.street_b, name="乙街道主任", username="lingdao_b")
        self.district_leader = make_user("leader", unit=self.tree.district, name="区领导", username="quling")
        self.grid = make_user("grid_worker", unit=self.tree.grid_a, name="网格员", username="wg")

    def draft(self, **kw):
        values = {"title": "关于加强节日期间安全生产工作的通报", "recipients": "各社区",
                  "paragraphs": ["节日将至，请各社区落实值班。", "检查中发现的问题见下表。"]}
        values.update(kw)
        return drafts.draft_create(actor=self.drafter, **values)


@pytest.fixture
def street(db):
    return Street()


def _move(verb, actor, signoff, opinion="意见"):
    signoff.refresh_from_db()
    return signoffs.VERB_SERVICES[verb](actor=actor, signoff=signoff, version=signoff.version, opinion=opinion)


@pytest.mark.frozen(NOON)
def test_draft_review_sign_issues_the_document_as_drafted(street):
    draft = street.draft(table={"header": ["社区", "问题"], "rows": [["甲一社区", "消防通道堵塞"]]})
    signoff = drafts.signoff_of(draft)
    assert signoff.state == S.REVIEWING and signoff.issuer_unit == street.tree.street_a
    assert signoff.issuer_name == "甲街道办事处"
    assert not OfficialDocument.objects.exists()  # no number before signing
    _move("review", street.colleague, signoff, "文字已核")
    _move("sign", street.leader, signoff, "同意")
    signoff.refresh_from_db()
    draft.refresh_from_db()
    document = draft.document
    assert signoff.state == S.SIGNED and signoff.signed_by == street.leader and signoff.reviewed_by == street.colleague
    assert document.number == "甲街通报〔2026〕1号" and document.issued_by == street.leader
    assert document.issued_role == "leader" and document.issuer_unit == street.tree.street_a
    assert document.paragraphs == draft.paragraphs and document.title == draft.title
    steps = [(s.kind, s.actor_id, s.opinion) for s in signoff.steps.all()]
    assert steps == [("draft", street.drafter.pk, ""), ("review", street.colleague.pk, "文字已核"),
                     ("sign", street.leader.pk, "同意")]
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["signoff_draft", "signoff_review", "signoff_sign", "document_issue"]


@pytest.mark.frozen(NOON)
def test_a_leader_may_review_and_sign_but_the_drafter_never(street):
    signoff = drafts.signoff_of(street.draft())
    for verb in ("review", "return"):
        with pytest.raises(Forbidden, match="拟稿人不能核稿或签发"):
            _move(verb, street.drafter, signoff)
    _move("review", street.leader, signoff)  # a small street: the leader reviews and signs
    with pytest.raises(Forbidden, match="拟稿人不能核稿或签发"):
        _move("sign", street.drafter, signoff)
    with pytest.raises(Forbidden, match="领导"):
        _move("sign", street.colleague, signoff)  # staff review, only a leader signs
    _move("sign", street.leader, signoff)
    assert OfficialDocument.objects.count() == 1


@pytest.mark.frozen(NOON)
def test_only_the_issuing_organs_leader_signs(street):
    signoff = drafts.signoff_of(street.draft())
    _move("review", street.colleague, signoff)
    with pytest.raises(NotFound):  # another street does not even see it
        _move("sign", street.other_leader, signoff)
    with pytest.raises(Forbidden, match="甲街道办事处的领导"):  # the district sees it, but signs its own documents only
        _move("sign", street.district_leader, signoff)
    with pytest.raises(NotFound):  # a grid below the street does not see the street's drafts
        _move("sign", street.grid, signoff)
    assert SignOff.objects.get(pk=signoff.pk).state == S.SIGNING


@pytest.mark.frozen(NOON)
def test_return_needs_an_opinion_and_the_drafter_revises(street):
    draft = street.draft()
    signoff = drafts.signoff_of(draft)
    _move("review", street.colleague, signoff)
    with pytest.raises(Invalid):
        _move("return", street.leader, signoff, opinion="  ")
    _move("return", street.leader, signoff, opinion="第二段请写明值班电话")
    assert todo_count(street.drafter) == 1 and todo_count(street.leader) == 0
    with pytest.raises(Forbidden):
        drafts.draft_revise(actor=street.colleague, draft=draft, version=draft.version, title="改", recipients="",
                            paragraphs=["改"])
    drafts.draft_revise(actor=street.drafter, draft=draft, version=draft.version, title=draft.title,
                        recipients=draft.recipients, paragraphs=["节日将至，请各社区落实值班，值班电话12345。"],
                        opinion="已补充")
    signoff.refresh_from_db()
    assert signoff.state == S.REVIEWING and signoff.reviewed_by is None
    assert todo_count(street.colleague) == 1 and todo_count(street.drafter) == 0


@pytest.mark.frozen(NOON)
def test_to_do_counts_follow_the_state(street):
    signoff = drafts.signoff_of(street.draft())
    assert (todo_count(street.colleague), todo_count(street.leader), todo_count(street.drafter)) == (1, 1, 0)
    _move("review", street.colleague, signoff)
    assert (todo_count(street.colleague), todo_count(street.leader)) == (0, 1)
    assert todo_count(street.district_leader) == 0 and todo_count(street.other_leader) == 0
    _move("sign", street.leader, signoff)
    assert todo_count(street.leader) == 0


@pytest.mark.frozen(NOON)
def test_same_client_key_drafts_once(street):
    one = street.draft(client_key="k-1")
    two = street.draft(client_key="k-1")
    assert one.pk == two.pk and DocumentDraft.objects.count() == 1 and SignOff.objects.count() == 1


@pytest.mark.frozen(NOON)
def test_only_staff_of_an_organ_drafts_and_only_circulars(street):
    with pytest.raises(Forbidden):
        drafts.draft_create(actor=street.grid, title="通报", recipients="", paragraphs=["正文"])
    with pytest.raises(Invalid):
        street.draft(kind="rectification_order")


MOVES = st.lists(st.tuples(st.sampled_from(sorted(signoffs.TRANSITIONS)),
                           st.sampled_from(["drafter", "colleague", "leader", "grid"])), max_size=8)


@pytest.mark.frozen(NOON)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_random_sequences_follow_the_table(street, moves):
    """Any sequence of moves by anyone: the state only ever changes as the table and the who-rules say,
    and a document exists exactly when the sign-off was signed (one, numbered once)."""
    from django.db import transaction

    with transaction.atomic():
        signoff = drafts.signoff_of(street.draft())
        state = S.REVIEWING
        for verb, who in moves:
            actor = getattr(street, who)
            target = signoffs.TRANSITIONS[verb].get(state)
            # who may ever do it in this organ (the who-rules answer first: 403), then the state (409)
            may = {"review": who in ("colleague", "leader"), "sign": who == "leader",
                   "return": who == "leader" if state == S.SIGNING else who in ("colleague", "leader"),
                   "resubmit": who == "drafter", "withdraw": who == "drafter"}[verb]
            try:
                _move(verb, actor, signoff, opinion="意见")
            except NotFound:
                assert who == "grid"  # below the street: the drafts are not in its scope
            except Conflict:
                assert target is None and may
            except Forbidden:
                assert not may and who != "grid"
            else:
                assert target is not None and may
                state = target
            assert SignOff.objects.get(pk=signoff.pk).state == state
        assert OfficialDocument.objects.filter(draft__pk=signoff.subject_id).count() == (1 if state == S.SIGNED else 0)
        transaction.set_rollback(True)


# --- pages ---------------------------------------------------------------------------------------

def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.frozen(NOON)
def test_pages_draft_review_sign_and_send_back(street):
    drafter = _client(street.drafter)
    form = drafter.get(reverse("documents:circular"))
    assert form.status_code == 200 and "提交核稿" in form.content.decode()
    key = form.context["values"]["client_key"]
    body = {"kind": "circular", "title": "关于燃气安全检查的通报", "recipients": "各社区", "body": "第一段。\n第二段。",
            "client_key": key}
    first = drafter.post(reverse("documents:circular"), body)
    again = drafter.post(reverse("documents:circular"), body)  # a double click
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert SignOff.objects.count() == 1
    signoff = SignOff.objects.get()

    leader = _client(street.leader)
    waiting = leader.get(reverse("documents:signoffs")).content.decode()
    assert "关于燃气安全检查的通报" in waiting and "共 1 件" in waiting
    page = leader.get(reverse("documents:signoff", args=[signoff.pk])).content.decode()
    assert "核稿通过，送签发" in page and "退回拟稿人" in page and "（签发后编号）" in page
    assert "撤回稿件" not in page
    assert "核稿" not in _client(street.drafter).get(reverse("documents:signoff", args=[signoff.pk])).context["verbs"]
    r = leader.post(reverse("documents:signoff_act", args=[signoff.pk, "review"]), {"version": 1, "opinion": ""})
    assert r.status_code == 302
    r = leader.post(reverse("documents:signoff_act", args=[signoff.pk, "sign"]), {"version": 2, "opinion": "同意"},
                    follow=True)
    assert "已签发，文号：甲街通报〔2026〕1号" in r.content.decode()
    # replaying the signing form: refused by the state, no second number
    r = leader.post(reverse("documents:signoff_act", args=[signoff.pk, "sign"]), {"version": 3}, follow=True)
    assert "当前状态为“已签发”" in r.content.decode() and OfficialDocument.objects.count() == 1
    # out of scope: 404; unknown verb: 404
    assert _client(street.other_leader).get(reverse("documents:signoff", args=[signoff.pk])).status_code == 404
    assert leader.post(reverse("documents:signoff_act", args=[signoff.pk, "approve"])).status_code == 404
    assert _client(street.grid).get(reverse("documents:circular")).status_code == 403


# --- API -----------------------------------------------------------------------------------------

def _post(client, path, body, **headers):
    import json

    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **headers)


@pytest.mark.frozen(NOON)
def test_api_draft_review_sign(street):
    drafter, leader = _client(street.drafter), _client(street.leader)
    body = {"kind": "interview", "title": "关于约谈甲一社区的通知", "recipients": "甲一社区居民委员会",
            "paragraphs": ["请于12月5日到街道接受约谈。"], "table": {"header": ["事项", "时间"], "rows": [["约谈", "12月5日"]]}}
    one = _post(drafter, "/documents/drafts", body, HTTP_IDEMPOTENCY_KEY="d-1")
    two = _post(drafter, "/documents/drafts", body, HTTP_IDEMPOTENCY_KEY="d-1")
    assert one.status_code == two.status_code == 201 and one.json()["id"] == two.json()["id"]
    data = one.json()
    assert data["state"] == "reviewing" and data["allowed"] == ["withdraw"] and data["draft"]["kind"] == "interview"
    sid = data["id"]
    waiting = leader.get("/api/v1/documents/signoffs?waiting=true").json()
    assert [item["id"] for item in waiting["items"]] == [sid] and waiting["items"][0]["allowed"] == ["review", "return"]
    assert _post(drafter, f"/documents/signoffs/{sid}/review", {"version": 1}).status_code == 403
    assert _post(leader, f"/documents/signoffs/{sid}/sign", {"version": 1}).status_code == 409  # not reviewed yet
    assert _post(leader, f"/documents/signoffs/{sid}/return", {"version": 1, "opinion": ""}).status_code == 422
    assert _post(leader, f"/documents/signoffs/{sid}/review", {"version": 1}).status_code == 200
    assert _post(leader, f"/documents/signoffs/{sid}/sign", {"version": 1}).status_code == 409  # stale version
    signed = _post(leader, f"/documents/signoffs/{sid}/sign", {"version": 2, "opinion": "同意"})
    assert signed.status_code == 200 and signed.json()["state"] == "signed"
    document = OfficialDocument.objects.get(pk=signed.json()["document"])
    assert document.number == "甲街约谈〔2026〕1号" and document.kind == "interview"
    assert _client(street.other_leader).get(f"/api/v1/documents/signoffs/{sid}").status_code == 404
    assert _post(leader, f"/documents/signoffs/{sid}/approve", {"version": 3}).status_code in (404, 422)


# --- notifications to the next actor -----------------------------------------------------------

@pytest.mark.frozen(NOON)
def test_the_next_actor_is_told_once(street, django_capture_on_commit_callbacks):
    from anquan.notifications.models import Notification

    def told():
        return sorted((n.user.username, n.kind) for n in Notification.objects.select_related("user"))

    with django_capture_on_commit_callbacks(execute=True):
        draft = street.draft(client_key="n-1")
    # the organ's reviewers (staff and the leader), never the drafter nor another street's leader
    assert told() == [("hegao", "signoff_review"), ("lingdao_t", "signoff_review")]
    with django_capture_on_commit_callbacks(execute=True):
        street.draft(client_key="n-1")  # a replayed request: the same draft, nobody told twice
    assert len(told()) == 2
    signoff = drafts.signoff_of(draft)
    with django_capture_on_commit_callbacks(execute=True):
        _move("review", street.colleague, signoff)
    assert ("lingdao_t", "signoff_sign") in told() and ("hegao", "signoff_sign") not in told()
    with django_capture_on_commit_callbacks(execute=True):
        _move("return", street.leader, signoff, opinion="请补充值班电话")
    returned = Notification.objects.get(kind="signoff_returned")
    assert returned.user == street.drafter and "请补充值班电话" in returned.title
    with django_capture_on_commit_callbacks(execute=True):
        _move("resubmit", street.drafter, signoff)
        _move("review", street.leader, signoff)
        _move("sign", street.leader, signoff)
    signed = Notification.objects.get(kind="signoff_signed")
    assert signed.user == street.drafter and "甲街通报〔2026〕1号" in signed.title
    assert not Notification.objects.filter(user=street.drafter, kind__in=["signoff_review", "signoff_sign"]).exists()
