"""Anquan 安全生产治理平台.

The Celery app is loaded with Django (the usual ``celery_app`` pattern) so that tasks
are registered wherever the project runs; if Celery is not installed, the app still
works and background work has no worker (see anquan/celery.py).
"""
try:
    from .celery import app as celery_app
except ImportError:  # pragma: no cover - Celery is a pinned dependency; this keeps a bare install working
    celery_app = None

__all__ = ["celery_app"]
