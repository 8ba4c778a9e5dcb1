"""The hazard list page counts at most COUNT_CAP rows and then says "N+" (an exact count of a
province's hazards would cost more than the page)."""
import datetime

import pytest

from anquan.hazards import selectors

from .test_pages import at, media, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_list_page_shows_a_capped_count(world, monkeypatch):
    with at(datetime.date(2026, 3, 2), 10):
        for i in range(4):
            world.record(description=f"甲街道：第{i}处")
        client = world.client(world.street)
        html = client.get("/hazards/").content.decode()
        assert "共 <strong>4</strong> 条隐患" in html
        monkeypatch.setattr(selectors, "COUNT_CAP", 3)
        html = client.get("/hazards/").content.decode()
        assert "共 <strong>3+</strong> 条隐患" in html
        monkeypatch.setattr(selectors, "COUNT_CAP", 4)
        assert "共 <strong>4</strong> 条隐患" in client.get("/hazards/").content.decode()
