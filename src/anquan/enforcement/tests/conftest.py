import pytest
from django.db import transaction

from .world import build_enforcement_world


@pytest.fixture(scope="module")
def eworld(django_db_setup, django_db_blocker):
    """The demo city, core's named objects and the enforcement ones, built once per module, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_enforcement_world()
        yield built
        transaction.set_rollback(True)
