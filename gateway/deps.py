"""Annotated dependencies of the gateway's routes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from authz import Principal
from gateway.accounts import MembershipSource
from gateway.auth import Authenticator
from gateway.clients import Services as ServicesClient
from gateway.errors import AuthError
from projections.common.db import Database
from runtime.logging import bind_user
from runtime.projection_runner import ProjectionRunner
from services.common.clock import Clock, SystemClock, today


@dataclass
class ReadModelsAccess:
    """Read-model databases and the runners that keep them (for read-your-writes waits)."""

    db: Database
    runners: dict[str, ProjectionRunner] = field(default_factory=dict)

    def wait(self, projection: str, service: str, position: int | None, timeout: float = 5.0) -> bool:
        if not position or projection not in self.runners:
            return True
        return self.runners[projection].wait_for(service, position, timeout)


@dataclass
class GatewayRuntime:
    services: ServicesClient
    authenticator: Authenticator
    read_models: ReadModelsAccess
    mode: str = "embedded"
    readiness: dict[str, Any] = field(default_factory=dict)
    clock: Clock = field(default_factory=SystemClock)
    """the platform's clock: what "today" is for a read (due this week, overdue since)"""
    session_idle_minutes: int = 30
    """a browser session (gateway/web/session.py) idle longer than this is signed out"""
    evidence: Callable[[str, str, str], bytes] | None = None
    """(record id, exported by, reason) → the case's evidence bundle, built from the stores (None: not offered)"""


def runtime(request: Request) -> GatewayRuntime:
    value: GatewayRuntime = request.app.state.runtime
    return value


_bearer = HTTPBearer(auto_error=False)
SESSION_COOKIE = "paizhu_token"
"""The browser session's cookie (gateway/web): the same signed token, when a request carries no bearer token."""


def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token:
        raise AuthError()
    principal = runtime(request).authenticator.authenticate(token)
    bind_user(principal.user_id)  # every log line of this request names the user
    return principal


def membership(request: Request) -> MembershipSource:
    """Who is an active member of which organisation (the membership read model)."""
    return runtime(request).authenticator.membership


def services(request: Request) -> ServicesClient:
    return runtime(request).services


def read_models(request: Request) -> ReadModelsAccess:
    return runtime(request).read_models


def current_day(request: Request) -> date:
    """Today in Beijing, by the platform's clock."""
    return today(runtime(request).clock)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
Membership = Annotated[MembershipSource, Depends(membership)]
Services = Annotated[ServicesClient, Depends(services)]
ReadModels = Annotated[ReadModelsAccess, Depends(read_models)]
Runtime = Annotated[GatewayRuntime, Depends(runtime)]
Today = Annotated[date, Depends(current_day)]
