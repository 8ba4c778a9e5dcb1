"""The import pages: upload → preview (nothing written) → confirm; tied to the uploading session."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anquan.core.tests.factories import bad_check_char, make_enterprise, new_credit_code
from anquan.enterprises import import_jobs
from anquan.enterprises.models import Enterprise

from .helpers import row, xlsx_bytes

pytestmark = pytest.mark.django_db


def _upload(client, content: bytes, name="企业.xlsx"):
    return client.post("/enterprises/import/", {"file": SimpleUploadedFile(name, content)})


def test_a_file_that_is_not_xlsx_is_refused_in_chinese(street_user, client_for, media):
    response = _upload(client_for(street_user), "企业名称,统一社会信用代码\n".encode(), name="企业.xlsx")
    assert response.status_code == 200
    assert "不是Excel工作簿" in response.content.decode()
    assert not list(media.glob("imports/*.xlsx"))


def test_upload_preview_confirm_good_rows(tree, street_user, client_for, media):
    ours = make_enterprise(tree.grid_a, name="甲街道企业")
    theirs = make_enterprise(tree.grid_b, name="乙街道企业")
    good = new_credit_code()
    content = xlsx_bytes([
        row("新公司", good),
        row("甲街道企业", ours.credit_code, 风险等级="红"),
        row("乙街道企业", theirs.credit_code),
        row("坏公司", bad_check_char(new_credit_code())),
    ])
    client = client_for(street_user)
    response = _upload(client, content)
    assert response.status_code == 302
    job_url = response["Location"]
    import_id = job_url.rstrip("/").rsplit("/", 1)[1]
    assert (media / "imports" / f"{import_id}.xlsx").exists()

    preview = client.get(job_url).content.decode()
    assert "该信用代码的企业不在您的管辖范围内" in preview
    assert "校验位错误" in preview and "第5行" in preview
    assert "风险等级：<del>蓝（低风险）</del> → <ins>红（重大风险）</ins>" in preview
    assert 'value="all" disabled' in preview  # "全部导入" is disabled while rows are in error
    assert not Enterprise.objects.filter(credit_code=good).exists()  # nothing written at preview time

    # another user cannot see or confirm it, even knowing the id
    other = client_for(make_other(tree))
    assert other.get(job_url).status_code == 404
    assert other.post(f"{job_url}confirm/", {"mode": "good"}).status_code == 404

    # "全部导入" is refused while the file has errors
    client.post(f"{job_url}confirm/", {"mode": "all"})
    assert not Enterprise.objects.filter(credit_code=good).exists()

    response = client.post(f"{job_url}confirm/", {"mode": "good"})
    assert response.status_code == 302
    done = client.get(job_url).content.decode()
    assert "导入完成：新增 1 家，更新 1 家" in done
    assert Enterprise.objects.filter(credit_code=good, unit=tree.grid_a).exists()
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.risk_colour == "red" and theirs.name == "乙街道企业"
    assert not (media / "imports" / f"{import_id}.xlsx").exists()
    # confirming again does nothing
    client.post(f"{job_url}confirm/", {"mode": "good"})
    assert Enterprise.objects.filter(credit_code=good).count() == 1


def make_other(tree):
    from anquan.core.tests.factories import make_user

    return make_user("street_staff", unit=tree.street_a, username="jiedao_test_a2")


def test_a_large_file_is_validated_in_the_background_with_progress(tree, street_user, client_for, media, settings,
                                                                    monkeypatch):
    """The job runs through ``start``; here it is captured and run by hand, as a thread or Celery task would."""
    settings.ANQUAN_IMPORT_INLINE_ROWS = 1
    started = []
    monkeypatch.setattr(import_jobs, "start", lambda func, import_id, *args, inline: started.append((func, import_id, args)))
    client = client_for(street_user)
    job_url = _upload(client, xlsx_bytes([row(f"公司{i}", new_credit_code()) for i in range(5)]))["Location"]
    page = client.get(job_url).content.decode()
    assert "正在检查文件" in page and "progress" in page
    progress = client.get(f"{job_url}progress/", HTTP_HX_REQUEST="true")
    assert progress.status_code == 200 and "progress-bar" in progress.content.decode()

    func, import_id, args = started.pop()
    assert func is import_jobs.run_import_validation
    func(import_id, *args)
    finished = client.get(f"{job_url}progress/", HTTP_HX_REQUEST="true")
    assert finished["HX-Redirect"] == job_url
    assert "文件检查无误" in client.get(job_url).content.decode()
    assert import_jobs.get_state(import_id)["done"] == 5
