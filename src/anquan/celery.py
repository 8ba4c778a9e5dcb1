"""The Celery application: background work (notification sweeps and digests, exports) and beat's periodic jobs.

Configured from Django settings (``CELERY_*``, see settings.py): with ``REDIS_URL`` set,
Redis is the broker and a separate ``celery -A anquan worker`` runs the tasks; without it
(the embedded demo) ``CELERY_TASK_ALWAYS_EAGER`` runs every task in the calling process,
so nothing else needs to be started.

Tasks are sent with :func:`enqueue`, never ``.delay()`` directly: it reads the eager
switch and the queue from Django settings *at call time* (so tests can override them)
and carries the current request id into the task, so a task's log lines can be joined
to the request that caused them.
"""
from __future__ import annotations

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anquan.settings")

app = Celery("anquan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task, *args, **kwargs):
    """Send ``task`` to the queue named by settings.CELERY_TASK_DEFAULT_QUEUE, or run it here when eager.

    Call it from ``transaction.on_commit`` when the task reads rows written in the current
    transaction: a worker in another process sees only committed data.
    """
    from django.conf import settings

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return task.apply(args=args, kwargs=kwargs, throw=True)
    return task.apply_async(args=args, kwargs=kwargs, queue=settings.CELERY_TASK_DEFAULT_QUEUE)


@signals.before_task_publish.connect
def _send_request_id(headers=None, **_):
    """Copy the request id of the request that sends a task into the task's headers."""
    from anquan.core.logs import current_request_id

    request_id = current_request_id()
    if headers is not None and request_id:
        headers.setdefault("request_id", request_id)


@signals.task_prerun.connect
def _receive_request_id(task=None, **_):
    """A task logs under the request id it was sent with (or its own task id)."""
    from anquan.core.logs import set_request_id

    request = getattr(task, "request", None)
    if request is None or request.is_eager:  # run inside a request: keep that request's id
        return
    set_request_id(getattr(request, "request_id", None) or request.id)


@signals.task_postrun.connect
def _forget_request_id(task=None, **_):
    from anquan.core.logs import set_request_id

    request = getattr(task, "request", None)
    if request is not None and not request.is_eager:
        set_request_id(None)
