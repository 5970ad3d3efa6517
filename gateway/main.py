"""The gateway's FastAPI application factory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

import authz
from gateway import errors
from gateway.api import routers
from gateway.deps import GatewayRuntime
from runtime.http_observability import ObservedRequests
from runtime.metrics import install_metrics_route

DESCRIPTION = """派驻监督平台 Paizhu — 网关 API (gateway API).

Errors are JSON: `{"error": {"code": "<stable code>", "message": "<readable message>"}}` with status
400 (bad request), 401 (`unauthenticated`, `bad_credentials`, `invalid_token`, `token_expired`),
403 (`forbidden`), 404 (`not_found` — also where the record's existence is secret), 409 (`conflict`,
`concurrent_write`, domain-specific codes of invalid transitions), 422 (`invalid_input` with `details`).
"""


def create_app(runtime: GatewayRuntime) -> FastAPI:
    authz.load_rules()
    app = FastAPI(title="Paizhu 派驻监督平台", version="0.1.0", description=DESCRIPTION)
    app.state.runtime = runtime
    errors.install(app)

    app.add_middleware(ObservedRequests)  # one server span, request id, access log, latency by route
    install_metrics_route(app)

    for router in routers():
        app.include_router(router)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    def readyz() -> JSONResponse:
        """Ready when the read models and services answer."""
        checks: dict[str, Any] = {}
        ok = True
        try:
            for name, runner in runtime.read_models.runners.items():
                checks[name] = runner.positions()
        except Exception as error:  # readiness reports, it does not raise
            ok = False
            checks["read_models"] = f"unavailable: {type(error).__name__}"
        for name, check in runtime.readiness.items():
            try:
                checks[name] = check()
            except Exception as error:
                ok = False
                checks[name] = f"unavailable: {type(error).__name__}"
        return JSONResponse({"status": "ready" if ok else "not_ready", "checks": checks},
                            status_code=200 if ok else 503)

    return app
