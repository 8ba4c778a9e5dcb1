"""Settings of the app under benchmark: the project's own, with the cache off and SQL capture on demand.

``DJANGO_SETTINGS_MODULE=bench.settings`` (set by bench/run.py for gunicorn and its helpers).
Everything is anquan.settings except:

- the cache is Django's dummy cache, so lists, details and dashboards are computed every time
  (issue 5: "the Django cache off");
- database connections persist (``CONN_MAX_AGE``), as in production behind gunicorn;
- ``BENCH_CAPTURE_SQL=<dir>`` adds ``bench.sqlcapture.CaptureMiddleware`` in front;
- the URL map adds ``/bench/stats`` (bench.urls): the dashboard figures of anquan.hazards.stats
  for the caller's scope, until the API has a statistics endpoint of its own.
"""
import os

from anquan.settings import *  # noqa: F403
from anquan.settings import DATABASES, MIDDLEWARE

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
if os.environ.get("BENCH_CAPTURE_SQL"):
    MIDDLEWARE = ["bench.sqlcapture.CaptureMiddleware", *MIDDLEWARE]
