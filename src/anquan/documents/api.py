"""API routes of this area (filled in by the inspections issue)."""
from ninja import Router

from anquan.core.api_support import AUTH

router = Router(tags=["公文"], auth=AUTH)
