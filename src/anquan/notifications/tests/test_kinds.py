"""The registry: every app's kinds are loaded at start-up, labelled in Chinese, and a code cannot be taken twice."""
import pytest

from anquan.notifications import kinds
from anquan.notifications.kinds import NoticeKind


def test_every_apps_kinds_are_registered_with_chinese_labels_and_known_tones():
    codes = {k.code for k in kinds.all_kinds()}
    assert {"overdue", "verification_waiting", "extension_requested", "overdue_explained", "hazard_escalated",
            "hazard_listed", "listing_review_due", "sent_back", "extension_decided", "hazard_verified",
            "hazard_recorded", "finding_raised", "finding_reported", "finding_sent_back"} <= codes
    for kind in kinds.all_kinds():
        assert kind.label and not kind.label.isascii(), kind.code
        assert kind.tone in kinds.TONES and kind.model.count(".") == 1
    assert kinds.label("no_such_kind") == "其他消息" and kinds.tone("no_such_kind") == "secondary"


def test_a_code_taken_by_another_kind_is_refused():
    with pytest.raises(ValueError, match="declared twice"):
        kinds.register(NoticeKind("overdue", "别的东西", "hazards.Hazard", lambda t, c: "", lambda t: ""))
    with pytest.raises(ValueError, match="tone"):
        kinds.register(NoticeKind("x_new_kind", "新类型", "hazards.Hazard", lambda t, c: "", lambda t: "", tone="pink"))
    assert kinds.get("x_new_kind") is None
