"""PDF of a document: converted once per .docx content (cached by sha256), a bounded number at a time,
503 in Chinese when busy — never one LibreOffice per request (red-team finding 5: 4 parallel requests
started 5 LibreOffice processes, 743 MB).

The fast tests replace the converter by a stub that sleeps and counts, so the locking itself is what
they prove; the slow one races two requests through the real LibreOffice.
"""
from __future__ import annotations

import datetime
import hashlib
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from anquan.documents import pdf
from anquan.documents.generators import issue_circular, issue_inspection_record
from anquan.documents.models import OfficialDocument

from .world import build

NOON = datetime.datetime(2026, 11, 22, 4, 0, tzinfo=datetime.UTC)


class Converter:
    """Stands in for LibreOffice: counts calls and how many run at the same moment."""

    def __init__(self, seconds: float = 0.4):
        self.seconds = seconds
        self.calls: list[str] = []
        self.active = 0
        self.most = 0
        self._lock = threading.Lock()

    def __call__(self, data: bytes, **kwargs) -> bytes:
        digest = hashlib.sha256(data).hexdigest()
        with self._lock:
            self.calls.append(digest)
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            time.sleep(self.seconds)
        finally:
            with self._lock:
                self.active -= 1
        return b"%PDF-1.4 stub " + digest.encode()


@pytest.fixture
def stub(monkeypatch):
    converter = Converter()
    monkeypatch.setattr(pdf, "docx_to_pdf", converter)
    return converter


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def race(targets, *, join: float = 60) -> list:
    """Run each callable in its own thread, all released at once by a barrier; their results, in order."""
    barrier = threading.Barrier(len(targets), timeout=30)
    results: list = [None] * len(targets)

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except BaseException as exc:  # noqa: BLE001 - asserted by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(join)
    assert not any(t.is_alive() for t in threads), "a request never finished (deadlock?)"
    return results


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db(transaction=True)  # committed rows: each thread's request reads through its own connection
@pytest.mark.frozen(NOON)
@pytest.mark.parametrize("route", ["api", "page"])
def test_two_racing_requests_for_one_document_convert_once(route, stub):
    w = build()
    doc = issue_inspection_record(w.zhifa_a, w.inspection)
    url = f"/api/v1/documents/{doc.pk}/pdf" if route == "api" else reverse("documents:pdf", args=[doc.pk])
    users = [w.zhifa_a, w.street_a]
    clients = [client_for(u) for u in users]  # signed in first: the threads only read (SQLite locks shared tables)
    responses = race([lambda c=c: c.get(url) for c in clients])

    assert [getattr(r, "status_code", r) for r in responses] == [200, 200]
    assert len(stub.calls) == 1 and stub.most == 1
    first, second = (body(r) for r in responses)
    assert first == second and first.startswith(b"%PDF")
    assert all(r["Content-Type"] == "application/pdf" and ".pdf" in r["Content-Disposition"] for r in responses)
    cached = pdf.cache_dir() / f"{doc.sha256}.pdf"
    assert cached.read_bytes() == first
    # later requests are served from the cache without converting
    assert client_for(w.zhifa_a).get(url).status_code == 200 and len(stub.calls) == 1


@pytest.mark.django_db
@pytest.mark.frozen(NOON)
def test_a_new_version_of_the_file_converts_again(stub):
    w = build()
    doc = issue_inspection_record(w.zhifa_a, w.inspection)
    c = client_for(w.zhifa_a)
    url = f"/api/v1/documents/{doc.pk}/pdf"
    first = body(c.get(url))
    assert body(c.get(url)) == first and len(stub.calls) == 1
    with doc.file.open("rb") as fh:
        original = fh.read()
    with open(doc.file.path, "wb") as fh:  # a new version of the stored .docx
        fh.write(original + b"\0")
    second = body(c.get(url))
    assert len(stub.calls) == 2 and second != first
    assert stub.calls == [hashlib.sha256(original).hexdigest(), hashlib.sha256(original + b"\0").hexdigest()]
    assert len(list(pdf.cache_dir().glob("*.pdf"))) == 2
    assert not list(pdf.cache_dir().glob(".*.tmp")), "temporary files are renamed into place"


@pytest.mark.parametrize("slots", [1, 2])
def test_conversions_of_different_documents_never_exceed_the_bound(slots, stub, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PDF_CONVERSION_SLOTS = slots
    documents = [f"公文{i}".encode() for i in range(4)]
    results = race([lambda d=d: pdf.cached_pdf(d, wait=60) for d in documents])

    assert all(not isinstance(r, BaseException) for r in results), results
    assert len(stub.calls) == 4
    assert 1 <= stub.most <= slots
    for data, path in zip(documents, results, strict=True):
        assert path.read_bytes() == b"%PDF-1.4 stub " + hashlib.sha256(data).hexdigest().encode()


def test_without_a_bound_the_stub_would_see_them_overlap(stub, settings, tmp_path):
    """Negative control of the test above: with as many slots as documents, the counter does see overlap."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PDF_CONVERSION_SLOTS = 4
    race([lambda d=d: pdf.cached_pdf(f"公文{d}".encode(), wait=60) for d in range(4)])
    assert stub.most > 1


def test_a_failed_conversion_is_not_cached(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    calls = []

    def failing(data, **kwargs):
        calls.append(1)
        raise pdf.ConversionFailed("PDF转换失败，请下载Word文档")

    monkeypatch.setattr(pdf, "docx_to_pdf", failing)
    for _ in range(2):
        with pytest.raises(pdf.ConversionFailed):
            pdf.cached_pdf(b"docx")
    assert len(calls) == 2 and not list(pdf.cache_dir().glob("*.pdf"))


@pytest.fixture
def busy(settings):
    """Every conversion slot held by another (simulated) conversion for the length of the test."""
    settings.PDF_CONVERSION_SLOTS = 1
    settings.PDF_CONVERSION_WAIT_SECONDS = 0.3
    locks = pdf.cache_dir() / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    held = pdf._try_lock(locks / "slot-0.lock")
    assert held is not None
    yield
    held.close()


@pytest.mark.django_db
@pytest.mark.frozen(NOON)
def test_all_slots_busy_answers_503_in_chinese_then_converts_once_free(stub, busy):
    w = build()
    doc = issue_inspection_record(w.zhifa_a, w.inspection)
    c = client_for(w.street_a)

    r = c.get(f"/api/v1/documents/{doc.pk}/pdf")
    assert r.status_code == 503 and r["Content-Type"].startswith("application/json")
    assert r.json() == {"detail": "公文正在转换，请稍后再试"}

    page = c.get(reverse("documents:pdf", args=[doc.pk]))
    assert page.status_code == 503 and page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "公文正在转换，请稍后再试" in text and 'data-status="503"' in text
    assert stub.calls == []


@pytest.mark.django_db
@pytest.mark.frozen(NOON)
def test_a_conversion_of_the_same_document_outlasting_the_wait_answers_503(stub, settings):
    settings.PDF_CONVERSION_WAIT_SECONDS = 0.3
    w = build()
    doc = issue_inspection_record(w.zhifa_a, w.inspection)
    locks = pdf.cache_dir() / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    held = pdf._try_lock(locks / f"{doc.sha256}.lock")  # another request converting this very file
    try:
        r = client_for(w.zhifa_a).get(f"/api/v1/documents/{doc.pk}/pdf")
        assert r.status_code == 503 and r.json()["detail"] == "公文正在转换，请稍后再试"
    finally:
        held.close()
    assert client_for(w.zhifa_a).get(f"/api/v1/documents/{doc.pk}/pdf").status_code == 200
    assert len(stub.calls) == 1


@pytest.mark.slow
@pytest.mark.skipif(not pdf.available(), reason="LibreOffice 未安装（CI 安装 libreoffice-writer-nogui）")
@pytest.mark.django_db(transaction=True)
@pytest.mark.frozen(NOON)
def test_real_libreoffice_runs_once_for_two_racing_requests(monkeypatch):
    real = pdf.docx_to_pdf
    calls = []

    def counted(data, **kwargs):
        calls.append(1)
        return real(data, **kwargs)

    monkeypatch.setattr(pdf, "docx_to_pdf", counted)
    w = build()
    doc = issue_inspection_record(w.zhifa_a, w.inspection)
    url = f"/api/v1/documents/{doc.pk}/pdf"
    clients = [client_for(u) for u in (w.zhifa_a, w.street_a)]
    responses = race([lambda c=c: c.get(url) for c in clients], join=300)

    assert [getattr(r, "status_code", r) for r in responses] == [200, 200]
    assert len(calls) == 1
    first, second = (body(r) for r in responses)
    assert first == second and first.startswith(b"%PDF")


# ---------------------------------------------------------------- ahead of the first download, on the worker


@pytest.fixture
def worker(settings, monkeypatch):
    """A deployment with a worker (not eager) and LibreOffice; what is sent to the queue is recorded, not run."""
    import anquan.celery

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(pdf, "available", lambda: True)
    sent: list = []
    monkeypatch.setattr(anquan.celery, "enqueue", lambda task, *args, **kwargs: sent.append((task, args)))
    return sent


@pytest.mark.django_db
@pytest.mark.frozen(NOON)
def test_an_issued_document_is_converted_on_the_worker_and_its_download_hits_the_cache(
        stub, worker, django_capture_on_commit_callbacks):
    from anquan.documents.tasks import convert_pdf

    w = build()
    with django_capture_on_commit_callbacks(execute=True):
        doc = issue_inspection_record(w.zhifa_a, w.inspection)
    assert [args for task, args in worker if task is convert_pdf] == [(doc.pk,)]
    assert stub.calls == []  # sent, not run in the issuing request

    convert_pdf(doc.pk)  # the worker
    convert_pdf(doc.pk)  # a redelivery finds it cached
    assert stub.calls == [doc.sha256]
    r = client_for(w.street_a).get(f"/api/v1/documents/{doc.pk}/pdf")
    assert r.status_code == 200 and body(r).startswith(b"%PDF") and stub.calls == [doc.sha256]


@pytest.mark.django_db
@pytest.mark.frozen(NOON)
def test_without_a_worker_nothing_is_sent_and_a_broken_broker_never_fails_the_issue(
        stub, worker, settings, monkeypatch, django_capture_on_commit_callbacks):
    import anquan.celery
    from anquan.documents.tasks import convert_pdf

    w = build()
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the embedded demo: the first download converts
    with django_capture_on_commit_callbacks(execute=True):
        issue_inspection_record(w.zhifa_a, w.inspection)
    assert not [task for task, _ in worker if task is convert_pdf] and stub.calls == []

    settings.CELERY_TASK_ALWAYS_EAGER = False

    def broken(task, *args, **kwargs):
        if task is convert_pdf:
            raise ConnectionError("Redis 不可达")

    monkeypatch.setattr(anquan.celery, "enqueue", broken)
    with django_capture_on_commit_callbacks(execute=True):  # the exception would surface here if not caught
        doc = issue_circular(w.anweiban, title="关于隐患排查情况的通报", recipients="各街道办事处",
                             paragraphs=["本月排查情况如下。"])
    assert OfficialDocument.objects.filter(pk=doc.pk).exists() and stub.calls == []
