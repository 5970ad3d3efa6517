"""The gateway's FastAPI application factory."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, JsonValue

import authz
from gateway import errors, idempotency, limits, operators, security, web
from gateway.api import documents_own_errors, routers
from gateway.deps import GatewayRuntime, Runtime
from gateway.errors import API_ERRORS
from runtime.http_observability import ObservedRequests
from runtime.metrics import install_metrics_route

DESCRIPTION = """派驻监督平台 Paizhu — 网关 API (gateway API).

Errors are JSON (schema `ErrorBody`): `{"error": {"code": "<stable code>", "message": "中文 (English)"}}` with
status 400 (`bad_request`: the body cannot be parsed), 401 (`unauthenticated`, `bad_credentials`,
`invalid_token`, `token_expired`), 403 (`forbidden`), 404 (`not_found` — also where the record's existence is
secret), 409 (`conflict`, `concurrent_write`, domain-specific codes of invalid transitions), 413 (`too_large`),
422 (`invalid_input` with `details`, one per field), 503 (`service_unavailable`, with `Retry-After`);
500 (`internal_error`) is a bug and tells nothing of the code. Every message is Chinese first, English in
parentheses, the framework's own included.
"""


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"] = Field(description="`ready` 就绪; `not_ready` 未就绪")
    checks: dict[str, JsonValue] = Field(
        description="每项检查的结果，仅对运维令牌显示 (each check's result, shown only with the operator token, "
                    "otherwise empty: a read model's positions per service, the sources a "
                    "read model may lack events of (`NAME.alarms`: not ready), a service's position, or "
                    "`unavailable: <error>`)")


def create_app(runtime: GatewayRuntime | None = None) -> FastAPI:
    """The gateway serving `runtime`; without one, an app whose document can be read and whose runtime is
    set later (`app.state.runtime`)."""
    authz.load_rules()
    app = FastAPI(title="Paizhu 派驻监督平台", version="0.1.0", description=DESCRIPTION, docs_url=None,
                  redoc_url=None)  # /docs is served offline by gateway.web.assets
    if runtime is not None:
        app.state.runtime = runtime
    errors.install(app)
    idempotency.install(app)
    limits.install(app)
    security.install(app)

    app.add_middleware(ObservedRequests)  # request id, log context, access line (FastAPI makes the server span)
    install_metrics_route(app)

    web.install(app)  # the portals' pages, their assets and /docs

    for router in routers():
        # every error a route of the API can answer is documented with the error schema, whichever router
        # forgot it (FastAPI's own `HTTPValidationError` 422 appears only where a route documents no 422)
        app.include_router(router, responses=None if documents_own_errors(router) else API_ERRORS)

    @app.get("/healthz", tags=["ops"], response_model=Health)
    def healthz() -> Health:
        """The process is up."""
        return Health(status="ok")

    @app.get("/readyz", tags=["ops"], response_model=Readiness,
             responses={503: {"model": Readiness, "description": "未就绪 (not ready: a read model or service "
                                                               "does not answer)"}},
             openapi_extra=operators.DOCUMENTED)
    def readyz(runtime: Runtime, request: Request) -> JSONResponse:
        """Ready when the read models and services answer and no read model may lack events.

        Anyone gets the status only; the checks (positions, alarms) need the operator token."""
        checks: dict[str, Any] = {}
        ok = True
        try:
            for name, runner in runtime.read_models.runners.items():
                checks[name] = runner.positions()
                lacking = runner.alarms()  # a source lost events: the read model must not claim to be fresh
                if lacking:
                    ok = False
                    checks[f"{name}.alarms"] = lacking
        except Exception as error:  # readiness reports, it does not raise
            ok = False
            checks["read_models"] = f"unavailable: {type(error).__name__}"
        for name, check in runtime.readiness.items():
            try:
                checks[name] = check()
            except Exception as error:
                ok = False
                checks[name] = f"unavailable: {type(error).__name__}"
        readiness = Readiness(status="ready" if ok else "not_ready",
                              checks=checks if operators.is_operator(runtime, request.headers.get(operators.HEADER)) else {})
        return JSONResponse(readiness.model_dump(mode="json"), status_code=200 if ok else 503)

    return app
