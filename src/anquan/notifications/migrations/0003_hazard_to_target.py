"""Data: every existing notification keeps what it was about, now as its generic target.

- a notification with a hazard → target = that hazard (same id);
- a supervision-finding notification (no hazard; key "supervision:<finding id>:<kind>:…", written by
  the supervision services before the registry) → target = that finding, and its kind renamed to the
  supervision app's own (``verification_waiting`` → ``finding_reported``, ``sent_back`` → ``finding_sent_back``),
  so it no longer poses as a hazard kind.

Keys are left as they were (unique, so replays of old facts still find them).
"""
from django.db import migrations
from django.db.models import F

FINDING_KINDS = {"verification_waiting": "finding_reported", "sent_back": "finding_sent_back"}


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    hazard_type, _ = ContentType.objects.get_or_create(app_label="hazards", model="hazard")
    # One UPDATE … SET target_id = hazard_id: the same id, no row read into Python.
    Notification.objects.filter(hazard__isnull=False).update(target_type=hazard_type, target_id=F("hazard_id"))
    findings = Notification.objects.filter(hazard__isnull=True, target_id__isnull=True, key__startswith="supervision:")
    if findings.exists():
        finding_type, _ = ContentType.objects.get_or_create(app_label="supervision", model="finding")
        for pk, key, kind in findings.values_list("id", "key", "kind").iterator():
            part = key.split(":")[1] if key.count(":") >= 1 else ""
            if not part.isdigit():
                continue
            Notification.objects.filter(pk=pk).update(target_type=finding_type, target_id=int(part),
                                                      kind=FINDING_KINDS.get(kind, kind))


def backwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    hazard_type = ContentType.objects.filter(app_label="hazards", model="hazard").first()
    if hazard_type is not None:
        Notification.objects.filter(target_type=hazard_type).update(hazard_id=F("target_id"))
    undo = {v: k for k, v in FINDING_KINDS.items()}
    for new, old in undo.items():
        Notification.objects.filter(kind=new, key__startswith="supervision:").update(kind=old)


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_generic_target"),
        ("hazards", "0001_initial"),
        ("supervision", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
