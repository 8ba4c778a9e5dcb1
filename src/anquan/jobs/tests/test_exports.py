"""Export jobs without a broker (tasks run in-process, as in the embedded demo): asking, running, downloading.

The same code runs in a real worker in test_worker.py (PostgreSQL + Redis); here every
engine is enough, so these run in the SQLite pass too.
"""
from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from anquan.core.tests.factories import make_enterprise, make_tree, make_user
from anquan.enterprises import exporter
from anquan.enterprises.models import Enterprise
from anquan.hazards.exports import COLUMNS
from anquan.jobs import services
from anquan.jobs.models import ExportJob, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def requester(tree):
    return make_user("street_staff", unit=tree.street_a)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def workbook_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def ask(client, kind: str, query: str, capture) -> ExportJob:
    with capture(execute=True):  # the job is queued on commit; without a broker it runs right then
        response = client.post(f"/jobs/exports/{kind}/?{query}")
    assert response.status_code == 302, response.content
    return ExportJob.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def test_an_export_runs_in_process_and_only_its_requester_downloads_it(tree, requester, django_capture_on_commit_callbacks):
    mine = [make_enterprise(tree.grid_a, name=f"甲街道导出{i}厂") for i in range(3)]
    make_enterprise(tree.grid_b, name="乙街道企业")  # out of the requester's scope
    client = client_for(requester)
    job = ask(client, "enterprises", "q=导出&page=2", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.rows, job.progress) == (3, 100)
    assert job.params == {"q": ["导出"]} and job.requested_by == requester and job.finished_at

    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and "下载" in page.content.decode()
    assert client.get("/jobs/").status_code == 200

    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = workbook_rows(response)
    assert rows[0] == tuple(exporter.HEADERS)
    assert [r[0] for r in rows[1:]] == sorted(e.name for e in mine)

    for other in (make_user("street_staff", unit=tree.street_a), make_user("anweiban", unit=tree.district)):
        assert client_for(other).get(f"/jobs/{job.pk}/download/").status_code == 404
        assert client_for(other).get(f"/jobs/{job.pk}/").status_code == 404
        assert job.pk not in [j.pk for j in ExportJob.objects.visible_to(other)]
    assert Client().get(f"/jobs/{job.pk}/download/").status_code == 302  # to the sign-in page


def test_a_hazard_list_export_has_the_list_columns(django_capture_on_commit_callbacks):
    from .sweep_world import make_sweep_world

    world = make_sweep_world(datetime.date(2026, 6, 10))
    job = ask(client_for(world.users["street"]), "hazards", "", django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    response = client_for(world.users["street"]).get(f"/jobs/{job.pk}/download/")
    rows = workbook_rows(response)
    assert rows[0] == tuple(title for title, _, _ in COLUMNS["hazards"]) and len(rows) == 1 + 3
    assert job.filename.startswith("隐患清单_")


def test_who_may_not_export_is_refused_and_an_unknown_kind_is_404(tree):
    grid_worker = make_user("grid_worker", unit=tree.grid_a)
    assert client_for(grid_worker).post("/jobs/exports/enterprises/").status_code == 403
    assert client_for(grid_worker).post("/jobs/exports/passwords/").status_code == 404
    assert client_for(grid_worker).get("/jobs/exports/enterprises/").status_code == 405
    assert not ExportJob.objects.exists()


def test_a_person_has_at_most_three_unfinished_exports_and_stale_ones_are_given_up(requester, django_capture_on_commit_callbacks):
    for _ in range(services.MAX_UNFINISHED):
        ExportJob.objects.create(kind="enterprises", requested_by=requester)
    client = client_for(requester)
    response = client.post("/jobs/exports/enterprises/", follow=True)
    assert "尚未完成" in response.content.decode()
    assert ExportJob.objects.count() == services.MAX_UNFINISHED

    lost = ExportJob.objects.first()
    ExportJob.objects.filter(pk=lost.pk).update(status=JobStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(hours=3))
    job = ask(client, "enterprises", "", django_capture_on_commit_callbacks)
    lost.refresh_from_db()
    assert lost.status == JobStatus.FAILED and "中断" in lost.error
    assert ExportJob.objects.get(pk=job.pk).status == JobStatus.DONE


def test_a_job_runs_once_however_often_its_task_is_delivered(requester):
    make_enterprise(make_tree().grid_a)
    job = ExportJob.objects.create(kind="enterprises", requested_by=requester)
    assert services.export_run(job.pk).status == JobStatus.DONE
    assert services.export_run(job.pk) is None
    assert services.export_run(10**9) is None


def test_failures_are_recorded_in_chinese(tree, requester, monkeypatch):
    make_enterprise(tree.grid_a)
    make_enterprise(tree.grid_a)
    monkeypatch.setattr(exporter, "MAX_ROWS", 1)
    too_big = services.export_run(ExportJob.objects.create(kind="enterprises", requested_by=requester).pk)
    assert too_big.status == JobStatus.FAILED and "超过Excel单表上限" in too_big.error and not too_big.file

    monkeypatch.setattr(exporter, "MAX_ROWS", 1000)
    monkeypatch.setattr(exporter, "export_enterprises", lambda qs: 1 / 0)
    broken = services.export_run(ExportJob.objects.create(kind="enterprises", requested_by=requester).pk)
    assert broken.status == JobStatus.FAILED and broken.error == services.FAILED_MESSAGE

    grid_worker = make_user("grid_worker", unit=tree.grid_a)  # e.g. the export role ended after asking
    refused = services.export_run(ExportJob.objects.create(kind="enterprises", requested_by=grid_worker).pk)
    assert refused.status == JobStatus.FAILED and "无导出企业档案的权限" in refused.error


def test_an_unfinished_job_is_not_downloadable_and_its_page_keeps_polling(requester):
    job = ExportJob.objects.create(kind="enterprises", requested_by=requester)
    client = client_for(requester)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 409
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in fragment.content.decode() and "<html" not in fragment.content.decode()
    services.export_run(job.pk)
    assert "hx-trigger" not in client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()


def test_progress_is_written_while_the_exporter_iterates(tree, requester, monkeypatch):
    for _ in range(5):
        make_enterprise(tree.grid_a)
    job = ExportJob.objects.create(kind="enterprises", requested_by=requester)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    counter = [0]
    queryset = services._with_progress(Enterprise.objects.all(), 5, job.pk, counter)
    rows = list(queryset.select_related("unit").prefetch_related("industries").iterator(chunk_size=2))
    job.refresh_from_db()
    assert len(rows) == counter[0] == 5 and job.progress == 80


def test_params_keep_the_filters_and_drop_the_page():
    from django.http import QueryDict

    query = QueryDict("q=建材&industry=3&industry=4&page=7&list=hazards&status=")
    assert services.params_of(query) == {"q": ["建材"], "industry": ["3", "4"]}
    assert services.params_of({"q": "x", "unit": ["5"], "page": "2"}) == {"q": ["x"], "unit": ["5"]}


def test_the_file_can_be_handed_to_nginx(requester, settings):
    make_enterprise(make_tree().grid_a)
    settings.MEDIA_X_ACCEL_PREFIX = "/_protected_media/"
    job = services.export_run(ExportJob.objects.create(kind="enterprises", requested_by=requester).pk)
    response = client_for(requester).get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200 and response["X-Accel-Redirect"] == f"/_protected_media/{job.file.name}"
    assert "filename*=utf-8''%E4%BC%81%E4%B8%9A%E6%A1%A3%E6%A1%88_" in response["Content-Disposition"]


def test_a_job_whose_message_was_lost_is_sent_again(requester):
    make_enterprise(make_tree().grid_a)
    lost = ExportJob.objects.create(kind="enterprises", requested_by=requester)
    fresh = ExportJob.objects.create(kind="enterprises", requested_by=requester)
    ExportJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - services.REQUEUE_AFTER * 2)
    assert services.export_requeue_stale() == 1  # runs in-process here (no broker)
    assert ExportJob.objects.get(pk=lost.pk).status == JobStatus.DONE
    assert ExportJob.objects.get(pk=fresh.pk).status == JobStatus.QUEUED


def test_a_broker_outage_leaves_the_job_queued_for_the_next_try(requester, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr("anquan.jobs.tasks.run_export.apply_async", lambda *a, **kw: (_ for _ in ()).throw(ConnectionError("down")))
    job = ask(client_for(requester), "enterprises", "", django_capture_on_commit_callbacks)
    assert ExportJob.objects.get(pk=job.pk).status == JobStatus.QUEUED  # the page shows 排队中; requeue sends it later


def test_an_export_request_is_audited_in_the_district_of_the_data(tree, requester, django_capture_on_commit_callbacks):
    """Who took which list out of the system, with which filters, in which role: one event in the district's chain."""
    from anquan.audit.models import AuditEvent
    from anquan.audit.verify import verify_chain

    job = ask(client_for(requester), "enterprises", "q=导出&page=2", django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get(model_key="exportjob", object_id=job.pk)
    assert event.action == "export_request" and event.actor == requester and event.acting_role == "street_staff"
    assert event.after == {"kind": "enterprises", "params": {"q": ["导出"]}}
    assert event.chain.key == f"district:{tree.street_a.district_id}"
    assert verify_chain(event.chain) is None
