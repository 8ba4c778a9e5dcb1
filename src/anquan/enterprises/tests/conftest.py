"""Fixtures of the enterprise tests: the small hand-made tree and a few users on it."""
from __future__ import annotations

import pytest
from django.test import Client

from anquan.core.tests.factories import make_tree, make_user


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture
def street_user(tree):
    """属地工作人员 of 甲街道 (may create/update/import/export; not void or change regulators)."""
    return make_user("street_staff", unit=tree.street_a, username="jiedao_test_a", name="甲街道工作人员")


@pytest.fixture
def other_street_user(tree):
    return make_user("street_staff", unit=tree.street_b, username="jiedao_test_b")


@pytest.fixture
def anweiban_user(tree):
    """示范区安委办: may also void and change regulators."""
    return make_user("anweiban", unit=tree.district, username="anweiban_test")


@pytest.fixture
def grid_worker(tree):
    return make_user("grid_worker", unit=tree.grid_a, username="wangge_test")


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
