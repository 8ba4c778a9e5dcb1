"""API: tokens and the signed-in user's own profile."""

from datetime import datetime

from django.conf import settings
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from anquan.core.api_support import AUTH
from anquan.core.openapi import ErrorOut

from .scope import active_assignments
from .services import SignInRefused, sign_in, token_grant, token_revoke

router = Router(tags=["账号"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: datetime = Field(..., description="令牌失效时间；此后须重新换取")
    expires_in: int = Field(..., description="令牌有效期（秒）")


class AssignmentOut(Schema):
    id: int
    role: str
    role_label: str
    scope_kind: str
    unit_id: int | None
    unit: str | None
    department_id: int | None
    department: str | None
    enterprise_id: int | None
    enterprise: str | None
    valid_from: datetime
    valid_to: datetime | None


class MeOut(Schema):
    id: int
    username: str
    name: str
    post: str
    assignments: list[AssignmentOut]


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut}, summary="用用户名和密码换取访问令牌")
def obtain_token(request, payload: TokenIn):
    try:
        user = sign_in(request, payload.username, payload.password)
    except SignInRefused as refused:
        raise HttpError(401, refused.message) from None
    token, expires_at = token_grant(user, label="api")
    return {"token": token, "expires_at": expires_at,
            "expires_in": settings.API_TOKEN_LIFETIME_HOURS * 3600}


@router.delete("/auth/token", auth=AUTH, response={204: None, 400: ErrorOut}, summary="吊销当前访问令牌")
def revoke_token(request):
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        raise HttpError(400, "仅能吊销以Bearer方式提交的令牌")
    token_revoke(header.split(" ", 1)[1].strip())
    return Status(204, None)


@router.get("/me", auth=AUTH, response=MeOut, summary="当前用户及其任职")
def me(request):
    user = request.auth
    assignments = [
        {
            "id": a.pk,
            "role": a.role,
            "role_label": a.get_role_display(),
            "scope_kind": a.scope_kind,
            "unit_id": a.unit_id,
            "unit": str(a.unit) if a.unit_id else None,
            "department_id": a.department_id,
            "department": str(a.department) if a.department_id else None,
            "enterprise_id": a.enterprise_id,
            "enterprise": str(a.enterprise) if a.enterprise_id else None,
            "valid_from": a.valid_from,
            "valid_to": a.valid_to,
        }
        for a in active_assignments(user)
    ]
    person = user.person
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "post": person.post if person else "",
        "assignments": assignments,
    }
