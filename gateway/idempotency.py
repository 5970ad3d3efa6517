"""The `Idempotency-Key` and `X-Command-ID` headers: read for each request and handed with the command to its
service.

The service keeps the key with the command's events (`services.common.idempotency`); here the headers are
only carried (`current_key` and `current_command_id`, which `gateway.clients` passes on) and documented on every
create route. A client-supplied command id (a UUID) names the command: its events' `correlation_id` (and so that of
what they cause in other services) is derived from it and from the user (`correlation_for`: one user's id can
never graft events into another's case history), and it is the command's idempotency key when the client sent no
`Idempotency-Key`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from services.common.errors import InvalidInputError

HEADER = "Idempotency-Key"
COMMAND_ID_HEADER = "X-Command-ID"
_key: ContextVar[str | None] = ContextVar("paizhu_idempotency_key", default=None)
_command_id: ContextVar[str | None] = ContextVar("paizhu_command_id", default=None)

DESCRIPTION = (
    "幂等键 (idempotency key): 1-128 visible ASCII characters, e.g. a UUID. A retry with the same key returns "
    "the first result and records nothing new; the same key with a different body answers 409 "
    "`idempotency_key_reused`. Keys are per user and per kind of command."
)

COMMAND_ID_DESCRIPTION = (
    "命令编号 (command id): a UUID the client chooses for this command. Its events' `correlation_id` is derived "
    "from it and the user (a UUIDv5); without an `Idempotency-Key` it is also the command's idempotency key (a retry with the "
    "same id returns the first result and records nothing new). Not a UUID: 422 `invalid_command_id`."
)


def current_key() -> str | None:
    """The idempotency key of the request being served: its `Idempotency-Key`, else its command id (None when
    the client sent neither)."""
    key = _key.get()
    return key if key is not None else current_command_id()


COMMAND_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://paizhu.example/command-id")


def correlation_for(user_id: str, command_id: str) -> str:
    """The correlation id of the events of `user_id`'s command `command_id`: derived, never the client's value
    itself, so a command id equal to another case's correlation id cannot join that case's history."""
    return str(uuid.uuid5(COMMAND_NAMESPACE, f"{user_id}\n{command_id}"))


def current_command_id() -> str | None:
    """The request's `X-Command-ID`, as a canonical UUID (None when the client sent none); a value that is not a
    UUID is refused (InvalidInputError, 422 `invalid_command_id`)."""
    given = _command_id.get()
    if given is None:
        return None
    try:
        return str(uuid.UUID(given.strip()))
    except ValueError:
        raise InvalidInputError("命令编号须为UUID (X-Command-ID must be a UUID)", code="invalid_command_id") from None


class IdempotencyKeyMiddleware:
    """Makes the request's `Idempotency-Key` and `X-Command-ID` visible to the route (and so to `Services.run`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key = command_id = None
        for name, value in scope.get("headers", ()):
            if name == b"idempotency-key" and key is None:
                key = value.decode("latin-1")
            elif name == b"x-command-id" and command_id is None:
                command_id = value.decode("latin-1")
        token, command_token = _key.set(key), _command_id.set(command_id)
        try:
            await self.app(scope, receive, send)
        finally:
            _key.reset(token)
            _command_id.reset(command_token)


def install(app: FastAPI) -> None:
    """Carry the headers to the services and document them on every create route (POST answering 201)."""
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
            if not any(p.get("name") == COMMAND_ID_HEADER for p in parameters):
                parameters.append({"name": COMMAND_ID_HEADER, "in": "header", "required": False,
                                   "description": COMMAND_ID_DESCRIPTION, "schema": {"type": "string", "format": "uuid"}})
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
