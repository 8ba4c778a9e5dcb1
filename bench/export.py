"""ledger_export: the 100,000-row 隐患清单 as .xlsx, in a process of its own that reports seconds and peak RSS.

Run by bench/run.py as ``python -m bench.export <username>``; prints one JSON line. The export
goes the way a person's export goes in production: ``jobs.services.export_request`` records the
job and (without a broker, eager) ``export_run`` writes the workbook with the full column set of
``hazards.exports`` into media storage — the same work a Celery worker does. Peak RSS is the
process's ``ru_maxrss``, Django and the app included.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time


def main(username: str) -> None:
    import django

    django.setup()
    from anquan.accounts.models import User

    user = User.objects.get(username=username)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    try:
        from anquan.jobs.services import export_request
    except ImportError:  # before the jobs app: the synchronous exporter the page uses
        rows, path = _direct(user)
    else:
        job = export_request(actor=user, kind="hazards", params={})
        job.refresh_from_db()
        if job.status != "done":
            raise SystemExit(f"导出未完成：{job.status} {job.error}")
        rows, path = job.rows, job.file.path
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": round(seconds, 2), "peak_mb": round(peak, 1),
                      "baseline_mb": round(rss_before, 1), "file_mb": round(os.path.getsize(path) / 2**20, 1)}))


def _direct(user):
    from anquan.hazards import exports
    from anquan.hazards.views import hazard_queryset
    from anquan.rules.calendar import today

    qs = hazard_queryset(user, {}, action="hazard.export", kind="hazards")
    stream = exports.export("hazards", "隐患清单", qs, today())
    path = os.path.join(os.environ.get("MEDIA_ROOT", "/tmp"), "bench_ledger.xlsx")
    with open(path, "wb") as out:
        out.write(stream.read())
    return qs.count(), path


if __name__ == "__main__":
    main(sys.argv[1])
