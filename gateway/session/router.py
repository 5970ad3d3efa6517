"""Login and the current user."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from gateway.accounts import ORGS
from gateway.deps import CurrentPrincipal, Runtime
from gateway.errors import documented

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


@router.post("/login", responses=documented(
    400, 401, 413, 422, s401="用户名或密码错误 (wrong user or password: `bad_credentials`)"))
def login(body: Login, rt: Runtime) -> Token:
    """Exchange a demo account's password for a bearer token (embedded mode)."""
    return Token(access_token=rt.authenticator.login(body.user_id, body.password))


@router.get("/me", responses=documented(401))
def me(principal: CurrentPrincipal) -> Me:
    """Who the bearer of the token is: the account, its organisation and its roles."""
    org = ORGS[principal.org_id]
    return Me.model_validate({"user_id": principal.user_id, "name": principal.name, "org_id": principal.org_id,
                              "org_name": org.name, "org_kind": principal.org_kind, "roles": sorted(principal.roles)})
