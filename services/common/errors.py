"""Domain error families; the gateway maps each to an HTTP status and a stable code."""

from __future__ import annotations

import sys
from typing import TypeVar

E = TypeVar("E", bound="DomainError")


class DomainError(Exception):
    """A command was refused. `code` is stable; the message is for people."""

    status = 422
    code = "invalid"

    @classmethod
    def kind(cls: type[E], name: str, code: str) -> type[E]:
        """A refusal of this family with its own stable code: `ItemClosedError = ConflictError.kind(...)`."""
        return type(name, (cls,), {"code": code, "__module__": sys._getframe(1).f_globals["__name__"]})

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class InvalidInputError(DomainError):
    status = 422
    code = "invalid_input"


class NotFoundError(DomainError):
    status = 404
    code = "not_found"


class ConflictError(DomainError):
    """The state does not allow this (invalid transition, concurrent write)."""

    status = 409
    code = "conflict"


class ForbiddenError(DomainError):
    status = 403
    code = "forbidden"


class UnavailableError(DomainError):
    """What the call needs (a service, the database, the broker) does not answer now; retry later."""

    status = 503
    code = "service_unavailable"
    retry_after = 5
