"""The migration to generic targets keeps what every existing notification was about.

Rolls the notifications app back to 0001 (a hazard foreign key and hazard-only kinds), writes rows as
the old code did — a hazard notification and a supervision-finding one (no hazard, key
"supervision:<finding id>:<kind>:<version>") — and migrates forward: the hazard row's target is the same
hazard, the finding row's target is its finding under the supervision app's own kind, and keys are unchanged.
"""
import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from anquan.core.tests.factories import make_enterprise, make_site, make_tree, make_user
from anquan.hazards import services
from anquan.hazards.models import Hazard
from anquan.notifications.models import Notification

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.frozen("2026-06-01 10:00 +0800")]

OLD = [("notifications", "0001_initial")]
NEW = [("notifications", "0004_remove_notification_hazard")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_existing_notifications_keep_their_target():
    tree = make_tree()
    firm = make_enterprise(tree.grid_a, name="迁移测试厂")
    site = make_site(tree.grid_a, enterprise=firm, industry_code="industry_trade")
    grid = make_user("grid_worker", unit=tree.grid_a)
    staff = make_user("street_staff", unit=tree.street_a)
    hazard = services.hazard_record(actor=grid, data={"site": site.pk, "source": "grid", "description": "配电箱未接地",
                                                      "deadline": (datetime.date(2026, 6, 10)).isoformat()})
    try:
        old = migrate(OLD)
        OldNotification = old.get_model("notifications", "Notification")
        OldNotification.objects.create(user_id=staff.pk, kind="overdue", key=f"overdue:h{hazard.pk}:d2026-06-10:u{staff.pk}",
                                       title="隐患已逾期", url=f"/hazards/{hazard.pk}/", hazard_id=hazard.pk)
        OldNotification.objects.create(user_id=staff.pk, kind="sent_back", key=f"supervision:4242:sent_back:3:u{staff.pk}",
                                       title="督查问题整改被退回：材料不全", url="/supervision/findings/4242/")
        OldNotification.objects.create(user_id=staff.pk, kind="verification_waiting", key=f"supervision:4243:verification_waiting:2:u{staff.pk}",
                                       title="督查问题待确认", url="/supervision/findings/4243/")
    finally:
        migrate(NEW)
    rows = {n.key.split(":")[0] + ":" + n.key.split(":")[1]: n for n in Notification.objects.all()}
    about_hazard = rows[f"overdue:h{hazard.pk}"]
    assert about_hazard.target == Hazard.objects.get(pk=hazard.pk) and about_hazard.kind == "overdue"
    assert about_hazard.key == f"overdue:h{hazard.pk}:d2026-06-10:u{staff.pk}"
    finding_type = ContentType.objects.get(app_label="supervision", model="finding")
    assert (rows["supervision:4242"].target_type, rows["supervision:4242"].target_id, rows["supervision:4242"].kind) == (
        finding_type, 4242, "finding_sent_back")
    assert (rows["supervision:4243"].target_id, rows["supervision:4243"].kind) == (4243, "finding_reported")
    assert rows["supervision:4243"].get_kind_display() == "督查问题待确认"
