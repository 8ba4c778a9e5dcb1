"""One settings module, configured by environment variables (12-factor).

The embedded default (no DATABASE_URL) is SQLite in var/, so `make demo` works on
a bare machine; production sets DATABASE_URL / REDIS_URL / SECRET_KEY (docs/deploy.md).
Without REDIS_URL, background tasks run in-process (CELERY_TASK_ALWAYS_EAGER); with it,
Redis is the cache, the Celery broker and result store, and tasks run in workers.
"""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # WhiteNoise warns on every request without it

env = environ.Env()

#: Demo mode allows the well-known demo password; never on in production.
DEMO_MODE = env.bool("ANQUAN_DEMO", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _secret_key() -> str:
    """A secret from the environment, or one generated once into var/ (never in git)."""
    if "SECRET_KEY" in env:
        return env("SECRET_KEY")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "anquan.core",
    "anquan.orgs",
    "anquan.rules",
    "anquan.accounts",
    "anquan.audit",
    "anquan.enterprises",
    "anquan.hazards",
    "anquan.inspections",
    "anquan.documents",
    "anquan.supervision",
    "anquan.enforcement",
    "anquan.accidents",
    "anquan.notifications",
    "anquan.jobs",
    "anquan.workbench",
    "anquan.demo",
]

MIDDLEWARE = [
    "anquan.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anquan.accounts.middleware.TemporaryPasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "anquan.accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "anquan.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "anquan.urls"
WSGI_APPLICATION = "anquan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "anquan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anquan.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'anquan.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; the timeout waits for the lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
#: A PostgreSQL streaming replica for heavy reads (exports; dashboards later), used explicitly through
#: anquan.jobs.services.reporting_db() — never by a router, so writes and read-your-writes stay on default.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Fail fast instead of hanging a request (and /readyz) when Redis is unreachable.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
    }}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["anquan.accounts.backends.AnquanBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# A session expires after 30 idle minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 30 * 60
#: However active, a session ends this long after its sign-in (accounts.middleware.AbsoluteSessionLifetimeMiddleware).
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "anquan.core.error_pages.csrf_failure"  # the refusal in Chinese, with a way back
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env.bool("ANQUAN_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
#: Addresses of the reverse proxies (nginx) whose X-Forwarded-For is believed (anquan.core.logs); empty: none.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if HTTPS and TRUSTED_PROXIES:
    # nginx terminates TLS and says so; Django then builds https:// URLs and marks cookies secure.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

#: Sign-in throttling: this many failures for one (username, address) lock the pair; this many from one
#: address across all usernames lock the address (a street office behind one NAT address stays well under
#: it; a guesser walking through usernames does not). The 系统管理员 can unlock either on 系统管理.
LOGIN_MAX_FAILURES = 5
LOGIN_MAX_FAILURES_PER_ADDRESS = 10
LOGIN_LOCK_MINUTES = 30
#: An API token works this long after it is issued (the answer of POST /api/v1/auth/token says until when);
#: a client then signs in again. Revoking (DELETE /api/v1/auth/token) ends it sooner.
API_TOKEN_LIFETIME_HOURS = env.int("API_TOKEN_LIFETIME_HOURS", default=24)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "src" / "anquan" / "static", VAR_DIR / "vendor"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
#: When set (e.g. "/_protected_media"), private files the app has authorised are sent by nginx from that
#: internal location (X-Accel-Redirect) instead of through a Python worker; see docs/deploy.md.
MEDIA_X_ACCEL_PREFIX = env("MEDIA_X_ACCEL_PREFIX", default="")
#: PDF of official documents (documents.pdf.cached_pdf): at most this many LibreOffice conversions at
#: once on the machine (~150 MB each); a request waits this long for a slot, then answers 503.
PDF_CONVERSION_SLOTS = env.int("PDF_CONVERSION_SLOTS", default=1)
PDF_CONVERSION_WAIT_SECONDS = env.float("PDF_CONVERSION_WAIT_SECONDS", default=30.0)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail (the daily digest) through the intranet's SMTP relay; Django's defaults when unset.
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
#: The site's address as people reach it (links in e-mails), e.g. https://aq.example.gov.cn
SITE_URL = env("SITE_URL", default="")
#: Notification channels (anquan.notifications.channels): the inbox and e-mail digests; the webhook
#: (an SMS gateway, a 政务钉钉/浙政钉-style robot) is off until its URL is set.
NOTIFICATION_CHANNELS = [
    "anquan.notifications.channels.InAppChannel",
    "anquan.notifications.channels.EmailChannel",
    "anquan.notifications.channels.WebhookChannel",
]
NOTIFICATION_WEBHOOK = {
    "url": env("ANQUAN_NOTIFY_WEBHOOK_URL", default=""),
    "secret": env("ANQUAN_NOTIFY_WEBHOOK_SECRET", default=""),
    "timeout": env.int("ANQUAN_NOTIFY_WEBHOOK_TIMEOUT", default=5),
    "push": env.bool("ANQUAN_NOTIFY_WEBHOOK_PUSH", default=False),
    "digest": env.bool("ANQUAN_NOTIFY_WEBHOOK_DIGEST", default=True),
}

# ---------------------------------------------------------------- background work (Celery)
# Broker and results: Redis when REDIS_URL is set. Without it every task runs in the calling
# process (eager), so the embedded demo needs no worker; anquan.celery.enqueue honours this.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
#: The queue tasks are sent to and workers consume (tests use a queue of their own).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="anquan")
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_EXPIRES = 24 * 3600
# A task is acknowledged after it ran, one at a time per worker process: a crash mid-task leaves it
# for another worker (every task here is idempotent), and a long export does not hold others back.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 50 * 60
CELERY_TASK_TIME_LIMIT = 60 * 60
#: Longer than the longest task, or Redis redelivers a task still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
#: Workers log through LOGGING below (JSON with request ids in production), not Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
try:
    from celery.schedules import crontab
except ImportError:  # pragma: no cover - without Celery there is no beat; the schedule is never read
    def crontab(**kwargs):
        return kwargs
#: Seconds between notification sweeps (idempotent; overdue becomes a fact at midnight, reminders within minutes).
SWEEP_SECONDS = env.int("ANQUAN_SWEEP_SECONDS", default=10 * 60)
CELERY_BEAT_SCHEDULE = {
    "notification-sweep": {
        "task": "anquan.notifications.tasks.sweep_notifications",
        "schedule": float(SWEEP_SECONDS),
        # A sweep still queued when the next is due is dropped, so a stopped worker does not find a backlog.
        "options": {"expires": SWEEP_SECONDS * 0.9},
    },
    # Crontab times are in CELERY_TIMEZONE (Asia/Shanghai).
    # Hourly: each person's digest goes out at the hour they chose (notifications.Preference).
    "notification-digest": {"task": "anquan.notifications.tasks.send_daily_digest", "schedule": crontab(minute=0)},
    "audit-anchor": {"task": "anquan.jobs.tasks.anchor_audit", "schedule": crontab(hour=0, minute=5)},
    "export-requeue": {"task": "anquan.jobs.tasks.requeue_exports", "schedule": 600.0, "options": {"expires": 540}},
    # Accident report legs run on 1- and 2-hour clocks (493号令 第九条、第十条): remind every 5 minutes.
    "accident-leg-sweep": {"task": "anquan.accidents.tasks.sweep_accident_legs", "schedule": 300.0,
                           "options": {"expires": 270}},
}

# ---------------------------------------------------------------- logging
# LOG_FORMAT=json (production): one JSON object per line with the request id; the default is plain text.
# LOG_LEVEL=INFO adds one line per request (logger anquan.request) and the workers' task lines.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "anquan.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "anquan.core.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
