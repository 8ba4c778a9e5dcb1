"""Gunicorn settings for Anquan: `make serve-prod` and the systemd unit of docs/deploy.md use this file.

Every value can be changed by the environment without editing it. Sync workers behind
nginx (which buffers slow clients). Large exports and imports are background jobs; the
timeout (120 s) still leaves room for the synchronous export links of the list pages
(a district's ledger takes seconds), and a stuck worker is replaced after it.
"""
import multiprocessing
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

wsgi_app = "anquan.wsgi:application"
pythonpath = str(ROOT / "src")
chdir = str(ROOT)
raw_env = ["DJANGO_SETTINGS_MODULE=anquan.settings"]

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
#: (2 × cores) + 1 sync workers is gunicorn's rule of thumb; each holds at most one database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by a large page stays bounded); jitter avoids all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The heartbeat file on tmpfs: a worker blocked on a slow disk is not mistaken for a hung one.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Only nginx on this host may claim the scheme (X-Forwarded-Proto); the client address is handled
# by the app (TRUSTED_PROXIES, anquan.core.logs).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The app writes one structured line per request (logger anquan.request, with the request id);
# gunicorn's own access log is off unless asked for (GUNICORN_ACCESS_LOG=-).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}i)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "anquan"
if os.environ.get("LOG_FORMAT") == "json":
    # gunicorn's own lines (worker boot, timeouts) as JSON too, like the app's: one format for the log shipper.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "anquan.core.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
            "gunicorn.access": {"handlers": ["console"] if accesslog else [], "level": "INFO", "propagate": False},
        },
    }

# gunicorn ≥ 25 opens a control socket in $HOME by default; two servers on one host would share it.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
