"""Fixtures for the tests that run background work in a real Celery worker process.

``celery_worker`` starts ``celery -A anquan worker`` (solo pool) on a queue of its own, on
the test database and a temporary media directory, and switches this test process from
in-process tasks to sending them to that queue through Redis. It needs PostgreSQL (the
worker is another process; SQLite's test database lives in memory) and REDIS_URL; without
them the test is skipped with the reason.
"""
from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from .processes import Children, beat_argv, child_env, unique_queue, worker_argv

needs_redis = pytest.mark.skipif(
    not django_settings.REDIS_URL,
    reason="needs Redis and PostgreSQL (a worker is another process): set REDIS_URL=redis://… DATABASE_URL=postgres://…")


class WorkerHandle:
    def __init__(self, children: Children, queue: str, media, env: dict[str, str]):
        self.children, self.queue, self.media, self.env = children, queue, media, env

    def start_beat(self, **env: str):
        """Start beat, sending the schedule's tasks to this worker's queue (``env`` e.g. ANQUAN_SWEEP_SECONDS)."""
        schedule = self.children.directory / "celerybeat-schedule"
        return self.children.start("beat", beat_argv(schedule), {**self.env, **env})


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Export files go to the test's own directory, not var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def celery_worker(settings, tmp_path, django_db_setup):
    """A real worker consuming a unique queue; tasks sent by this test go there (not run in-process)."""
    queue = unique_queue()
    media = tmp_path / "media"
    media.mkdir()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    settings.MEDIA_ROOT = str(media)
    env = child_env(CELERY_QUEUE=queue, MEDIA_ROOT=str(media), REDIS_URL=django_settings.REDIS_URL)
    children = Children(tmp_path)
    children.start("worker", worker_argv(queue), env)
    try:
        yield WorkerHandle(children, queue, media, env)
    finally:
        children.stop()
        import redis

        redis.Redis.from_url(django_settings.REDIS_URL).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
