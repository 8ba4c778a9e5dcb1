#!/usr/bin/env bash
# Run the production processes in the foreground on one machine: gunicorn, one Celery worker, beat.
# Used by `make serve-prod`; in a real deployment systemd runs each of them (docs/deploy.md).
# Needs DATABASE_URL (PostgreSQL) and REDIS_URL; Ctrl-C (or SIGTERM) stops all three.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=${VENV:-.venv}
: "${DATABASE_URL:?make serve-prod needs DATABASE_URL=postgres://user:password@host:5432/anquan}"
: "${REDIS_URL:?make serve-prod needs REDIS_URL=redis://host:6379/0}"
export DJANGO_SETTINGS_MODULE=anquan.settings PYTHONPATH=src
export LOG_FORMAT=${LOG_FORMAT:-json} LOG_LEVEL=${LOG_LEVEL:-INFO}

pids=()
stop() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait || true
}
trap stop INT TERM EXIT

"$VENV/bin/celery" -A anquan worker --loglevel=INFO --concurrency="${CELERY_CONCURRENCY:-2}" &
pids+=($!)
"$VENV/bin/celery" -A anquan beat --loglevel=INFO &
pids+=($!)
"$VENV/bin/gunicorn" --config deploy/gunicorn.conf.py &
pids+=($!)

# The first of the three to exit ends the others: a half-running server is worse than a stopped one.
rc=0
wait -n || rc=$?
echo "serve-prod: a process exited (status $rc); stopping the others" >&2
exit "$rc"
