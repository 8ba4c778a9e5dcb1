"""Fixtures of the rules tests: the small hand-made tree, a system administrator and a street user."""
from __future__ import annotations

import pytest
from django.test import Client

from anquan.core.tests.factories import make_tree, make_user


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture
def admin(db):
    """系统管理员: the only role permitted "rules.manage"."""
    return make_user("sysadmin", username="rules_admin", name="系统管理员甲")


@pytest.fixture
def street_user(tree):
    return make_user("street_staff", unit=tree.street_a, username="rules_street_a")


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
