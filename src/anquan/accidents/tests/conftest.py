import pytest

from .world import build_accident_world


@pytest.fixture
def aworld(db):
    """The demo city, the named places and accidents, built at the test's frozen moment (function scope:
    a module-scoped world would be built at the real clock, before the test's freeze)."""
    return build_accident_world()
