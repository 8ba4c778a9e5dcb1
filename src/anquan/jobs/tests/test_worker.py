"""Background work in a real Celery worker process, on PostgreSQL and Redis (CI's engine pass).

- the notification sweep sent by this test runs in the worker and creates the notifications;
- beat, with a short interval, schedules the sweep, the worker runs it (more than once),
  and each notification still exists exactly once;
- a large export asked for on the page finishes in the worker, and the file is downloadable
  by its requester only;
- a large enterprise import is validated and applied in the worker.
"""
from __future__ import annotations

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from anquan.celery import enqueue
from anquan.core.tests.factories import make_tree, make_user, new_credit_code
from anquan.enterprises import import_jobs
from anquan.enterprises.models import Enterprise
from anquan.enterprises.tests.helpers import row, xlsx_bytes
from anquan.jobs.models import FINISHED, ExportJob, JobStatus
from anquan.notifications.models import Notification
from anquan.notifications.tasks import sweep_notifications
from anquan.orgs.models import Industry
from anquan.rules.calendar import today

from .conftest import needs_redis
from .processes import wait_until
from .sweep_world import make_sweep_world

pytestmark = [pytest.mark.postgres, pytest.mark.slow, needs_redis, pytest.mark.django_db(transaction=True)]

EXPORT_ROWS = 3000


def kinds() -> Counter:
    return Counter(Notification.objects.values_list("kind", flat=True))


def succeeded(worker, task: str) -> int:
    log = (worker.children.directory / "worker.log").read_text(errors="replace")
    return len(re.findall(rf"{re.escape(task)}\[[0-9a-f-]+\] succeeded", log))


def test_the_sweep_sent_by_the_test_runs_in_the_worker(celery_worker):
    world = make_sweep_world(datetime.date(2026, 6, 10), overdue=3)
    result = enqueue(sweep_notifications, world.sweep_on.isoformat())
    wait_until(result.ready, "the sweep task to finish in the worker", celery_worker.children, alive=("worker",))
    counts = result.get(timeout=5)
    assert {k: n for k, n in counts.items() if n} == world.expected
    assert kinds() == world.expected
    assert succeeded(celery_worker, "anquan.notifications.tasks.sweep_notifications") == 1


def test_beat_schedules_the_sweep_and_each_notification_exists_once(celery_worker):
    world = make_sweep_world(today())  # beat's sweep uses the real date; the world's answer survives midnight
    celery_worker.start_beat(ANQUAN_SWEEP_SECONDS="2")
    task = "anquan.notifications.tasks.sweep_notifications"
    wait_until(lambda: succeeded(celery_worker, task) >= 2, "two sweeps sent by beat to run in the worker",
               celery_worker.children, alive=("worker", "beat"))
    assert kinds() == world.expected
    per_user_fact = Counter(Notification.objects.values_list("user_id", "key"))
    assert set(per_user_fact.values()) == {1}


def _enterprises(grid, count: int) -> None:
    rows = Enterprise.objects.bulk_create(
        Enterprise(name=f"批量导出测试{i:05d}有限公司", credit_code=new_credit_code(), legal_representative="张三",
                   principal_name="李四", address=f"导出路{i}号", unit=grid)
        for i in range(count))
    trade = Industry.objects.get(code="industry_trade")
    Enterprise.industries.through.objects.bulk_create(
        Enterprise.industries.through(enterprise_id=e.pk, industry_id=trade.pk) for e in rows)


def test_a_large_export_finishes_in_the_worker_and_only_its_requester_downloads_it(celery_worker):
    tree = make_tree()
    requester = make_user("street_staff", unit=tree.street_a)
    colleague = make_user("street_staff", unit=tree.street_a)  # same scope, not the requester
    superior = make_user("anweiban", unit=tree.district)
    _enterprises(tree.grid_a, EXPORT_ROWS)

    client = Client()
    client.force_login(requester)
    response = client.post("/jobs/exports/enterprises/?q=批量导出&page=3")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.params == {"q": ["批量导出"]} and job.status == JobStatus.QUEUED  # queued, not run in the request

    wait_until(lambda: ExportJob.objects.filter(pk=job.pk, status__in=FINISHED).exists(),
               "the export job to finish in the worker", celery_worker.children, alive=("worker",))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert (job.rows, job.progress, job.filename) == (EXPORT_ROWS, 100, f"企业档案_{today():%Y%m%d}.xlsx")
    assert succeeded(celery_worker, "anquan.jobs.tasks.run_export") == 1
    assert (celery_worker.media / job.file.name).exists()  # written by the worker into the shared media storage

    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == EXPORT_ROWS + 1 and rows[1][0] == "批量导出测试00000有限公司"

    for other in (colleague, superior):
        stranger = Client()
        stranger.force_login(other)
        assert stranger.get(f"/jobs/{job.pk}/download/").status_code == 404
        assert stranger.get(f"/jobs/{job.pk}/").status_code == 404


def test_a_large_enterprise_import_is_validated_and_applied_in_the_worker(celery_worker):
    tree = make_tree()
    user = make_user("street_staff", unit=tree.street_a)
    rows = [row(f"后台导入测试{i:03d}有限公司", new_credit_code(), grid=tree.grid_a.name) for i in range(40)]
    import_id = import_jobs.create_job(user, SimpleUploadedFile("企业档案.xlsx", xlsx_bytes(rows)))

    def status():
        return (import_jobs.get_state(import_id) or {}).get("status")

    import_jobs.start(import_jobs.run_import_validation, import_id, inline=False)
    wait_until(lambda: status() in ("ready", "failed"), "the import to be validated in the worker",
               celery_worker.children, alive=("worker",))
    state = import_jobs.get_state(import_id)
    assert state["status"] == "ready" and state["summary"]["total"] == 40, state

    assert import_jobs.claim(import_id)
    import_jobs.start(import_jobs.run_import_apply, import_id, True, inline=False)
    wait_until(lambda: status() == "done", "the import to be applied in the worker", celery_worker.children, alive=("worker",))
    assert Enterprise.objects.filter(name__startswith="后台导入测试").count() == 40
    assert succeeded(celery_worker, "anquan.jobs.tasks.run_import") == 2
