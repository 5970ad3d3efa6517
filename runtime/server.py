"""A service's command interface over HTTP (distributed mode): `POST /commands/{name}`, `POST /queries/{name}`.

Only the gateway calls it (shared secret in `X-Paizhu-Service-Token`); the actor, correlation id and
trace context travel in headers so the events record who did what.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import ValidationError, validate_call

import authz
from authz import Principal
from runtime.telemetry import context_from_headers, tracer
from services.common.application import ServiceApplication, operation_of, validation_message
from services.common.context import CommandContext
from services.common.errors import DomainError
from services.common.interface import operations, result_adapter


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_service_app(app: ServiceApplication, token: str | None) -> FastAPI:
    authz.load_rules()  # the service checks each record against the caller's permission: it needs the rules
    api = FastAPI(title=f"paizhu {app.name} service", docs_url=None, redoc_url=None)
    commands, queries = app.commands(), app.queries()

    def run(kind: str, name: str, request: Request, body: dict[str, Any]) -> JSONResponse:
        if token and not hmac.compare_digest(request.headers.get("x-paizhu-service-token", ""), token):
            return _error(401, "unauthenticated", "service token required")
        table = commands if kind == "command" else queries
        method = table.get(name)
        if method is None:
            return _error(404, "unknown_operation", f"unknown {kind}: {name}")
        actor = json.loads(request.headers.get("x-paizhu-actor", "{}") or "{}")
        context = CommandContext(
            actor=actor or CommandContext().actor,
            correlation_id=request.headers.get("x-correlation-id", ""),
        )
        parent = context_from_headers(request.headers)
        with tracer.start_as_current_span(f"service {app.name}.{name}", context=parent):
            try:
                with app.acting(context):
                    result = (method if operation_of(method.handler) else validate_call(method))(**body)  # type: ignore[attr-defined]
            except ValidationError as error:
                return _error(422, "invalid_input", str(error.errors(include_url=False)[:3]))
            except DomainError as error:
                return JSONResponse({"error": {"code": error.code, "message": error.message}},
                                    status_code=error.status)
        return JSONResponse({"result": jsonable_encoder(result)})  # a typed handler's result is a model

    @api.post("/operations/{name}")
    def run_operation(name: str, request: Request, body: dict[str, Any]) -> JSONResponse:
        if token and not hmac.compare_digest(request.headers.get("x-paizhu-service-token", ""), token):
            return _error(401, "unauthenticated", "service token required")
        operation_type = operations(app.name).get(name)
        if operation_type is None:
            return _error(404, "unknown_operation", f"服务没有此操作 (unknown operation): {name}")
        principal_header = request.headers.get("x-paizhu-principal")
        principal = Principal.from_dict(json.loads(principal_header)) if principal_header else None
        context = CommandContext(
            actor=principal.actor if principal else CommandContext().actor,
            correlation_id=request.headers.get("x-correlation-id", ""),
            principal=principal,
            action=request.headers.get("x-paizhu-action") or None,
        )
        with tracer.start_as_current_span(f"service {app.name}.{name}", context=context_from_headers(request.headers)):
            try:
                operation = operation_type.model_validate(body)
                with app.acting(context):
                    result = app.execute(operation)
            except ValidationError as error:
                return _error(422, "invalid_input", validation_message(error))
            except DomainError as error:
                return _error(error.status, error.code, error.message)
        return JSONResponse({"result": result_adapter(operation_type).dump_python(result, mode="json")})

    @api.post("/commands/{name}")
    def run_command(name: str, request: Request, body: dict[str, Any]) -> JSONResponse:
        return run("command", name, request, body)

    @api.post("/queries/{name}")
    def run_query(name: str, request: Request, body: dict[str, Any]) -> JSONResponse:
        return run("query", name, request, body)

    @api.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "service": app.name, "position": app.max_position()}

    return api
