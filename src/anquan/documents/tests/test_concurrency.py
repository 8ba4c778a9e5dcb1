"""100 documents issued at once by one organ in one year get 100 distinct, consecutive numbers (PostgreSQL).

25 threads (each its own database connection; PostgreSQL's default max_connections is 100 and
other sessions share the server) wait at a barrier, then each issues 4 通报 as fast as it can, so up
to 25 transactions race for the counter row — including the very first one, which creates it.
"""
from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.db import connection

from anquan.audit.models import AuditEvent
from anquan.core.tests.factories import make_tree, make_user
from anquan.documents.models import DocumentCounter, OfficialDocument
from anquan.documents.services import issue_document

THREADS, EACH = 25, 4
NOON = datetime.datetime(2026, 11, 22, 4, 0, tzinfo=datetime.UTC)


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_one_hundred_concurrent_numbers_are_distinct_and_consecutive():
    if connection.vendor != "postgresql":
        pytest.skip("并发取号测试需要 PostgreSQL（SQLite 串行化整个数据库写入，证明不了行锁）：设置 DATABASE_URL=postgres://…")
    with time_machine.travel(NOON, tick=True):
        tree = make_tree()
        users = [make_user("inspector", department=tree.yingji, username=f"zf_race_{i}") for i in range(THREADS)]
        barrier = threading.Barrier(THREADS, timeout=60)
        numbers: list[str] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def work(user):
            try:
                barrier.wait()
                for n in range(EACH):
                    doc = issue_document(user, kind="circular", title=f"并发通报{user.username}-{n}", recipients="各街道",
                                         paragraphs=["并发取号测试。"])
                    with lock:
                        numbers.append(doc.number)
            except BaseException as exc:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=work, args=(u,)) for u in users]
        for t in threads:
            t.start()
        for t in threads:
            t.join(240)

    assert errors == []
    total = THREADS * EACH
    assert len(numbers) == total
    assert len(set(numbers)) == total
    assert sorted(numbers, key=lambda s: int(s.split("〕")[1][:-1])) == [f"示应急通报〔2026〕{i}号" for i in range(1, total + 1)]
    seqs = sorted(OfficialDocument.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    counter = DocumentCounter.objects.get()
    assert counter.last_seq == total
    assert AuditEvent.objects.filter(model_key="officialdocument", action="document_issue").count() == total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_racing_itself_issues_one_number():
    """Two requests with the same client key at the same moment (a double click that got through): the
    second waits on the counter row, then meets the first one's key and returns its document."""
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要 PostgreSQL：设置 DATABASE_URL=postgres://…")
    with time_machine.travel(NOON, tick=True):
        tree = make_tree()
        user = make_user("inspector", department=tree.yingji, username="zf_double")
        barrier = threading.Barrier(2, timeout=60)
        numbers: list[str] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def click():
            try:
                barrier.wait()
                doc = issue_document(user, kind="circular", title="双击通报", recipients="各街道", paragraphs=["一次。"],
                                     client_key="one-render")
                with lock:
                    numbers.append(doc.number)
            except BaseException as exc:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=click) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)

    assert errors == []
    assert numbers == ["示应急通报〔2026〕1号"] * 2
    assert OfficialDocument.objects.count() == 1
    assert DocumentCounter.objects.get().last_seq == 1
