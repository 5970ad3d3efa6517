"""A service's interface over HTTP (distributed mode): `POST /operations/{Name}` with the operation as JSON.

Only the gateway calls it (shared secret in `X-Paizhu-Service-Token`); the actor, correlation id and
trace context travel in headers so the events record who did what. It fails closed: a server created without
a token refuses every call (the process refuses to start without one, `paizhu.keys`).
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError

import authz
from authz import Principal
from runtime.http_observability import ObservedRequests
from runtime.logging import bind_user
from runtime.metrics import install_metrics_route
from runtime.retry import store_unavailable
from runtime.telemetry import span
from services.common.application import ServiceApplication, validation_message
from services.common.context import CommandContext
from services.common.errors import DomainError, UnavailableError
from services.common.interface import operations, result_adapter

log = logging.getLogger(__name__)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _token_matches(request: Request, token: str | None) -> bool:
    """The caller sent this server's token. No token configured: nobody matches (fail closed)."""
    if not token:
        return False
    # compared as bytes: a header with non-ASCII characters is a wrong token, never a 500
    given = request.headers.get("x-paizhu-service-token", "").encode("latin-1")
    return hmac.compare_digest(given, token.encode("utf-8"))


def create_service_app(app: ServiceApplication, token: str | None) -> FastAPI:
    if not token:
        log.error("service %s has no service token: it refuses every call (set PAIZHU_SERVICE_TOKEN)", app.name)
    authz.load_rules()  # the service checks each record against the caller's permission: it needs the rules
    api = FastAPI(title=f"paizhu {app.name} service", docs_url=None, redoc_url=None)
    api.add_middleware(ObservedRequests)
    install_metrics_route(api)

    @api.middleware("http")
    async def require_token(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # before routing and before the body is read: without the token a caller learns nothing, not even a 422
        if request.url.path != "/healthz" and not _token_matches(request, token):
            return _error(401, "unauthenticated", "需要服务令牌 (service token required)")
        return await call_next(request)

    @api.post("/operations/{name}")
    def run_operation(name: str, request: Request, body: dict[str, Any]) -> JSONResponse:
        operation_type = operations(app.name).get(name)
        if operation_type is None:
            return _error(404, "unknown_operation", f"服务没有此操作 (unknown operation): {name}")
        principal_header = request.headers.get("x-paizhu-principal")
        principal = Principal.from_dict(json.loads(principal_header)) if principal_header else None
        if principal is not None:
            bind_user(principal.user_id)
        context = CommandContext(
            actor=principal.actor if principal else CommandContext().actor,
            correlation_id=request.headers.get("x-correlation-id", ""),
            principal=principal,
            action=request.headers.get("x-paizhu-action") or None,
            idempotency_key=request.headers.get("x-paizhu-idempotency-key"),
        )
        # a child of FastAPI's server span, which already continues the caller's traceparent
        with span(f"service {app.name}.{name}"):
            try:
                operation = operation_type.model_validate(body)
                with app.acting(context):
                    result = app.execute(operation)
            except ValidationError as error:
                return _error(422, "invalid_input", validation_message(error))
            except DomainError as error:
                return _error(error.status, error.code, error.message)
            except Exception as error:
                if not store_unavailable(error):
                    raise
                log.warning("service %s: %s could not reach its store (%s)", app.name, name, type(error).__name__)
                response = _error(503, "service_unavailable",
                                  "服务暂不可用，请稍后重试 (service unavailable, retry later)")
                response.headers["Retry-After"] = str(UnavailableError.retry_after)
                return response
        return JSONResponse({"result": result_adapter(operation_type).dump_python(result, mode="json")})

    @api.get("/healthz")
    def healthz(request: Request) -> dict[str, Any]:
        """Up; the log's position only to a caller with the token (it moves when someone reads a clue)."""
        if not _token_matches(request, token):
            return {"status": "ok", "service": app.name}
        return {"status": "ok", "service": app.name, "position": app.max_position()}

    return api
