"""Login and the current user."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from gateway.accounts import ORGS
from gateway.deps import CurrentPrincipal, Runtime

router = APIRouter(prefix="/api/session", tags=["session"])


class Login(BaseModel):
    user_id: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


@router.post("/login")
def login(body: Login, rt: Runtime) -> dict[str, Any]:
    """Exchange a demo account's password for a bearer token (embedded mode)."""
    token = rt.authenticator.login(body.user_id, body.password)
    return {"access_token": token, "token_type": "bearer"}


@router.get("/me")
def me(principal: CurrentPrincipal) -> dict[str, Any]:
    org = ORGS[principal.org_id]
    return {
        "user_id": principal.user_id, "name": principal.name, "org_id": principal.org_id,
        "org_name": org.name, "org_kind": principal.org_kind, "roles": sorted(principal.roles),
    }
