"""GET /api/v1/workbench: the same to-dos as the 工作台 page, for a phone app or a government portal widget."""
from __future__ import annotations

from ninja import Router, Schema

from anquan.core.api_support import AUTH

from .registry import items_for

router = Router(tags=["工作台"], auth=AUTH)


class TodoOut(Schema):
    key: str
    label: str
    urgency: int
    count: int
    url: str
    hint: str


@router.get("/workbench", response=list[TodoOut], summary="今日待办（按紧急程度排序；url 为对应的筛选列表）")
def workbench(request):
    return [item.__dict__ for item in items_for(request.auth)]
