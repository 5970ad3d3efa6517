"""The `Idempotency-Key` header: read for each request and handed with the command to its service.

The service keeps the key with the command's events (`services.common.idempotency`); here the header is
only carried (`current_key`, which `gateway.clients` passes on) and documented on every create route.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

HEADER = "Idempotency-Key"
_key: ContextVar[str | None] = ContextVar("paizhu_idempotency_key", default=None)

DESCRIPTION = (
    "幂等键 (idempotency key): 1-128 visible ASCII characters, e.g. a UUID. A retry with the same key returns "
    "the first result and records nothing new; the same key with a different body answers 409 "
    "`idempotency_key_reused`. Keys are per user and per kind of command."
)


def current_key() -> str | None:
    """The key of the request being served (None when the client sent none)."""
    return _key.get()


class IdempotencyKeyMiddleware:
    """Makes the request's `Idempotency-Key` visible to the route (and so to `Services.run`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key = None
        for name, value in scope.get("headers", ()):
            if name == b"idempotency-key":
                key = value.decode("latin-1")
                break
        token = _key.set(key)
        try:
            await self.app(scope, receive, send)
        finally:
            _key.reset(token)


def install(app: FastAPI) -> None:
    """Carry the header to the services and document it on every create route (POST answering 201)."""
    app.add_middleware(IdempotencyKeyMiddleware)
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        for path in document.get("paths", {}).values():
            operation = path.get("post")
            if operation is None or "201" not in operation.get("responses", {}):
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == HEADER for p in parameters):
                parameters.append({"name": HEADER, "in": "header", "required": False, "description": DESCRIPTION,
                                   "schema": {"type": "string", "minLength": 1, "maxLength": 128,
                                              "pattern": r"^[\x21-\x7e]+$"}})
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
