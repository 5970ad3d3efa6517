"""The context a command runs in: who acts, the clock, and how it correlates with other events."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from authz import Principal
from services.common.clock import Clock, SystemClock


@dataclass(frozen=True)
class CommandContext:
    actor: dict[str, str] = field(
        default_factory=lambda: {"user": "system", "org": "paizhu", "role": "system"}
    )
    correlation_id: str = ""
    causation_id: str = ""
    traceparent: str = ""
    clock: Clock = field(default_factory=SystemClock)
    principal: Principal | None = None
    """Who called through the gateway (None for policies, schedulers and scripts)."""
    action: str | None = None
    """The permission the call was made under: every record the service loads or creates for it is
    checked against it (`ServiceApplication.authorize`)."""
    idempotency_key: str | None = None
    """The client's `Idempotency-Key`: a command repeated with it returns its first result, recording nothing."""


_current: ContextVar[CommandContext] = ContextVar("paizhu_command_context", default=CommandContext())  # noqa: B039 (frozen)


def current() -> CommandContext:
    return _current.get()


@contextmanager
def command_context(context: CommandContext) -> Iterator[CommandContext]:
    """Run a command with this context; a missing correlation id gets a fresh one."""
    if not context.correlation_id:
        context = replace(context, correlation_id=str(uuid.uuid4()))
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
