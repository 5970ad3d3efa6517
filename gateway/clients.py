"""How the gateway reaches the services: in-process (embedded) or over HTTP (distributed)."""

from __future__ import annotations

import json
from typing import Any, Protocol

import httpx
from pydantic import validate_call

from gateway.authz import Principal
from services.common.application import ServiceApplication
from services.common.context import CommandContext
from services.common.errors import DomainError
from services.common.telemetry import current_traceparent


class ServiceClient(Protocol):
    def call(self, kind: str, name: str, principal: Principal, kwargs: dict[str, Any]) -> Any: ...


class RemoteError(DomainError):
    """A service refused a command; carries the service's status and code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.status = status


class LocalClient:
    def __init__(self, app: ServiceApplication) -> None:
        self.app = app

    def call(self, kind: str, name: str, principal: Principal, kwargs: dict[str, Any]) -> Any:
        table = self.app.commands() if kind == "command" else self.app.queries()
        method = table.get(name)
        if method is None:
            raise LookupError(f"{self.app.name} has no {kind} {name}")
        with self.app.acting(CommandContext(actor=principal.actor)):
            return validate_call(method)(**kwargs)


class HttpClient:
    def __init__(self, base_url: str, token: str | None, timeout: float = 30.0) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=timeout)
        self.token = token

    def call(self, kind: str, name: str, principal: Principal, kwargs: dict[str, Any]) -> Any:
        headers = {"x-paizhu-actor": json.dumps(principal.actor), "content-type": "application/json"}
        if self.token:
            headers["x-paizhu-service-token"] = self.token
        traceparent = current_traceparent()
        if traceparent:
            headers["traceparent"] = traceparent
        path = f"/{'commands' if kind == 'command' else 'queries'}/{name}"
        response = self.http.post(path, content=json.dumps(kwargs, default=str), headers=headers)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code >= 400:
            error = body.get("error") or {}
            raise RemoteError(response.status_code, error.get("code", "service_error"),
                              error.get("message") or f"服务返回错误 (service answered {response.status_code})")
        return body["result"]


class Services:
    """The services as the gateway's routes see them."""

    def __init__(self, clients: dict[str, ServiceClient]) -> None:
        self.clients = clients

    def _client(self, service: str) -> ServiceClient:
        client = self.clients.get(service)
        if client is None:
            raise DomainError(f"服务不可用 (service unavailable): {service}", code="service_unavailable")
        return client

    def call(self, service: str, command: str, principal: Principal, **kwargs: Any) -> Any:
        """Run a command of a service as this principal."""
        return self._client(service).call("command", command, principal, kwargs)

    def query(self, service: str, name: str, principal: Principal, **kwargs: Any) -> Any:
        """Run a query of a service (the caller decides with gateway.authz what may be shown)."""
        return self._client(service).call("query", name, principal, kwargs)
