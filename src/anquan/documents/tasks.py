"""Celery tasks of the documents app: converting an issued document's PDF on the worker, ahead of its first download.

Why: a conversion costs ~5 s and ~150 MB of LibreOffice. Done on the worker right after issue, the
first download is a cache hit; the conversion still goes through ``pdf.cached_pdf``, so it shares the
machine-wide bound (``PDF_CONVERSION_SLOTS``) and the per-file lock with requests, and a request
racing the worker waits for it instead of converting a second time. Without a worker (eager mode:
the embedded demo, the tests) nothing is sent: the first request converts on demand.
"""
from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

log = logging.getLogger(__name__)

#: How long the worker waits for a conversion slot before leaving the PDF to the first request.
WORKER_WAIT_SECONDS = 600


@shared_task(name="anquan.documents.tasks.convert_pdf", ignore_result=True)
def convert_pdf(document_id: int) -> None:
    """Put the PDF of document ``document_id`` in the cache (idempotent: a second run finds it there)."""
    from . import pdf
    from .models import OfficialDocument

    document = OfficialDocument.objects.filter(pk=document_id).first()
    if document is None or not pdf.available():
        return
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
        pdf.cached_pdf(data, wait=WORKER_WAIT_SECONDS)
    except (OSError, pdf.ConversionFailed) as exc:  # the first download tries again and tells the user
        log.warning("PDF of document %s not converted ahead: %s", document_id, exc)


def convert_pdf_after_issue(document_id: int) -> None:
    """Send ``convert_pdf`` to the worker (after commit); never fails the issue that called it."""
    from anquan.celery import enqueue

    from . import pdf

    if settings.CELERY_TASK_ALWAYS_EAGER or not pdf.available():
        return  # no worker: converting here would hold the issuing request ~5 s; the first download converts
    try:
        enqueue(convert_pdf, document_id)
    except Exception:
        log.exception("PDF conversion of document %s could not be queued; the first download converts it", document_id)
