"""How the gateway reaches the services: in-process (embedded) or over HTTP (distributed).

Both carry the same typed operation (`services.common.interface`) and give the same result and the same
errors: a refusal raises the service's `DomainError` (in-process) or a `RemoteError` with its status and code.
"""

from __future__ import annotations

import json
from typing import Any, Protocol, TypeVar

import httpx

from authz import Permission, Principal
from gateway.idempotency import correlation_for, current_command_id, current_key
from runtime.telemetry import current_traceparent
from services.common.application import ServiceApplication
from services.common.context import CommandContext
from services.common.errors import DomainError, UnavailableError
from services.common.interface import Operation, result_adapter

R = TypeVar("R")

UNAVAILABLE_STATUSES = (502, 503, 504)
"""A service's answers that mean it (or what it needs) is down: the client gets 503 with Retry-After."""
READINESS_TIMEOUT = 3.0


class ServiceClient(Protocol):
    def run(self, operation: Operation[R], permission: Permission) -> R: ...


class RemoteError(DomainError):
    """A service refused a command; carries the service's status and code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.status = status


class LocalClient:
    def __init__(self, app: ServiceApplication) -> None:
        self.app = app

    def run(self, operation: Operation[R], permission: Permission) -> R:
        command = operation.kind == "command"
        command_id = current_command_id() if command else None
        correlation = correlation_for(permission.principal.user_id, command_id) if command_id else ""
        context = CommandContext(actor=permission.principal.actor, principal=permission.principal,
                                 action=permission.action, correlation_id=correlation,
                                 idempotency_key=current_key() if command else None)
        with self.app.acting(context):
            return self.app.execute(operation)


class HttpClient:
    def __init__(self, base_url: str, token: str | None, timeout: float = 30.0) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=timeout)
        self.token = token

    def _headers(self, principal: Principal, action: str | None = None, command: bool = False) -> dict[str, str]:
        headers = {"content-type": "application/json", "x-paizhu-principal": json.dumps(principal.to_dict())}
        if action:
            headers["x-paizhu-action"] = action
        if self.token:
            headers["x-paizhu-service-token"] = self.token
        key = current_key() if command else None
        if key is not None:
            headers["x-paizhu-idempotency-key"] = key
        command_id = current_command_id() if command else None
        if command_id is not None:  # its events' correlation id (runtime/server.py), derived for this user
            headers["x-correlation-id"] = correlation_for(principal.user_id, command_id)
        traceparent = current_traceparent()
        if traceparent:
            headers["traceparent"] = traceparent
        return headers

    def _post(self, path: str, content: str, headers: dict[str, str]) -> Any:
        try:
            response = self.http.post(path, content=content, headers=headers)
        except httpx.TransportError as failure:  # refused, reset, cut mid-answer, timed out: the service is down
            raise UnavailableError("服务暂不可用，请稍后重试 (service unavailable, retry later)") from failure
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code in UNAVAILABLE_STATUSES:
            raise UnavailableError("服务暂不可用，请稍后重试 (service unavailable, retry later)")
        if response.status_code >= 400:
            error = body.get("error") or {}
            raise RemoteError(response.status_code, error.get("code", "service_error"),
                              error.get("message") or f"服务返回错误 (service answered {response.status_code})")
        return body["result"]

    def position(self) -> int:
        """The service's log position (readiness): raises when the service or its store does not answer soon."""
        headers = {"x-paizhu-service-token": self.token} if self.token else {}
        response = self.http.get("/healthz", headers=headers, timeout=READINESS_TIMEOUT)
        response.raise_for_status()
        return int(response.json()["position"])

    def run(self, operation: Operation[R], permission: Permission) -> R:
        headers = self._headers(permission.principal, permission.action, command=operation.kind == "command")
        result = self._post(f"/operations/{operation.operation_name()}", operation.model_dump_json(), headers)
        value: R = result_adapter(type(operation)).validate_python(result)
        return value


class Services:
    """The services as the gateway's routes see them."""

    def __init__(self, clients: dict[str, ServiceClient]) -> None:
        self.clients = clients

    def _client(self, service: str) -> ServiceClient:
        client = self.clients.get(service)
        if client is None:
            raise UnavailableError(f"服务不可用 (service unavailable): {service}")
        return client

    def run(self, operation: Operation[R], permission: Permission) -> R:
        """Run one operation of a service's interface under a route's permission."""
        return self._client(operation.service).run(operation, permission)
