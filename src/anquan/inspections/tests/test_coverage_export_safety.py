"""The coverage export (排查覆盖 .xlsx) writes site, enterprise and grid names as text, never as formulas,
and survives control characters already stored (issue 11, findings 1 and 2)."""
from __future__ import annotations

import pytest

from anquan.core.tests.xlsx_checks import HOSTILE, no_formulas
from anquan.enterprises.models import Enterprise, Site
from anquan.orgs.models import OrgUnit

from .test_coverage import Q1, clock, world  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_hostile_names_are_text_in_every_sheet(world, client):
    Site.objects.filter(pk=world["S_red"].pk).update(name=HOSTILE)
    Enterprise.objects.filter(pk=world["E_red"].pk).update(name="-2+3\x0b化工", credit_code="@SUM(1)")
    OrgUnit.objects.filter(pk=world["tree"].grid_a.pk).update(name="=1+1")
    client.force_login(world["anweiban"])
    response = client.get("/coverage/export.xlsx", Q1)
    assert response.status_code == 200
    texts = no_formulas(b"".join(response.streaming_content))
    for name in (HOSTILE, "-2+3化工", "@SUM(1)", "=1+1"):
        assert name in texts, name
