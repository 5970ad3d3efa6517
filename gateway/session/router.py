"""Login and the current user."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gateway.deps import CurrentPrincipal, Membership, Runtime
from gateway.errors import documented, error_body
from gateway.sign_in_limits import SignInThrottled

router = APIRouter(prefix="/api/session", tags=["session"])


class Login(BaseModel):
    user_id: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class Token(BaseModel):
    access_token: str = Field(description="签名的令牌，放在 `Authorization: Bearer` 中 (a signed bearer token)")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105  (the scheme's name, not a secret)


OrgKind = Literal["hq", "group", "inspection_team", "unit", "audit"]


class Me(BaseModel):
    user_id: str
    name: str
    org_id: str
    org_name: str
    org_kind: OrgKind = Field(description="`hq` 中央纪委国家监委机关; `group` 派驻纪检监察组; "
                                          "`inspection_team` 巡视组; `unit` 驻在单位; `audit` 案件监督管理室")
    roles: list[str]


@router.post("/login", response_model=Token, responses=documented(
    400, 401, 413, 422, 429, s401="用户名或密码错误 (wrong user or password: `bad_credentials`)",
    s429="登录失败次数过多，请按 Retry-After 再试 (too many failed sign-ins: `too_many_sign_in_attempts`)"))
def login(body: Login, rt: Runtime, request: Request) -> Token | JSONResponse:
    """Exchange a built-in account's password for a bearer token (embedded mode, or where enabled).

    Five failures a minute for one account, or from one address, and the next attempts get 429 with
    `Retry-After`; an unknown user takes as long to refuse as a wrong password."""
    try:
        token = rt.authenticator.login(body.user_id, body.password, request.client.host if request.client else "")
    except SignInThrottled as error:
        return JSONResponse(error_body("too_many_sign_in_attempts", error.message), status_code=429,
                            headers={"Retry-After": str(error.retry_after)})
    return Token(access_token=token)


@router.get("/me", responses=documented(401))
def me(principal: CurrentPrincipal, membership: Membership) -> Me:
    """Who the bearer of the token is: the account, its organisation and its roles (from the membership)."""
    org = membership.organisation(principal.org_id)
    return Me.model_validate({"user_id": principal.user_id, "name": principal.name, "org_id": principal.org_id,
                              "org_name": org.name if org else principal.org_id, "org_kind": principal.org_kind,
                              "roles": sorted(principal.roles)})
