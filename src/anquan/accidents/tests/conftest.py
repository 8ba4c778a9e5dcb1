import pytest
from django.db import transaction

from .world import build_accident_world


@pytest.fixture(scope="module")
def aworld(django_db_setup, django_db_blocker):
    """The demo city, core's named objects and the named accidents, built once per module, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_accident_world()
        yield built
        transaction.set_rollback(True)
