"""Login and the current user."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gateway.auth import SignInThrottled
from gateway.deps import CurrentPrincipal, Membership, Runtime
from gateway.errors import error_body

router = APIRouter(prefix="/api/session", tags=["session"])


class Login(BaseModel):
    user_id: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


@router.post("/login", response_model=None)
def login(body: Login, rt: Runtime, request: Request) -> dict[str, Any] | JSONResponse:
    """Exchange a built-in account's password for a bearer token (embedded mode, or where enabled).

    Five failures a minute for one account, or from one address, and the next attempts get 429 with
    `Retry-After`; an unknown user takes as long to refuse as a wrong password."""
    try:
        token = rt.authenticator.login(body.user_id, body.password, request.client.host if request.client else "")
    except SignInThrottled as error:
        return JSONResponse(error_body("too_many_sign_in_attempts", error.message), status_code=429,
                            headers={"Retry-After": str(error.retry_after)})
    return {"access_token": token, "token_type": "bearer"}


@router.get("/me")
def me(principal: CurrentPrincipal, membership: Membership) -> dict[str, Any]:
    org = membership.organisation(principal.org_id)
    return {
        "user_id": principal.user_id, "name": principal.name, "org_id": principal.org_id,
        "org_name": org.name if org else principal.org_id, "org_kind": principal.org_kind, "roles": sorted(principal.roles),
    }
