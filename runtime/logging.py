"""One log format for every Paizhu process: JSON lines when not on a terminal, readable lines on one.

Every line written while a request is handled carries that request's id, trace id, user and route
template (from `request_context`); lines outside a request carry the current trace id when there is one.
Configured once per process by `configure_logging`, called from each process entry.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from opentelemetry import trace


@dataclass
class RequestContext:
    """What every log line of one request carries. Mutable: the authentication dependency (which may run
    in another thread with a copy of the context) fills in the user on the same object."""

    request_id: str
    trace_id: str = ""
    method: str = ""
    user: str = ""
    scope: MutableMapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def route(self) -> str:
        """The matched route's template (known once the request is routed), never the raw path."""
        return str(getattr(self.scope.get("route"), "path", "") or "")


request_context: ContextVar[RequestContext | None] = ContextVar("paizhu_request_context", default=None)


def bind_user(user_id: str) -> None:
    """Record the authenticated user on the current request's log context (no-op outside a request)."""
    current = request_context.get()
    if current is not None:
        current.user = user_id


_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}


def _context_fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    current = request_context.get()
    if current is not None:
        fields["request_id"] = current.request_id
        fields["trace_id"] = current.trace_id
        if current.user:
            fields["user"] = current.user
        if current.route:
            fields["method"] = current.method
            fields["route"] = current.route
    else:
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            fields["trace_id"] = format(span_context.trace_id, "032x")
    for key, value in vars(record).items():
        if key not in _STANDARD and not key.startswith("_"):
            fields[key] = value
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, process, message, the request's fields, exception."""

    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "process": self.process,
            "message": record.getMessage(),
            **_context_fields(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class ConsoleFormatter(logging.Formatter):
    """A readable line for a person at a terminal: the same fields as `key=value` after the message."""

    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        time = datetime.fromtimestamp(record.created).strftime("%H:%M:%S.%f")[:-3]
        fields = " ".join(f"{k}={v}" for k, v in _context_fields(record).items() if v not in ("", None))
        text = f"{time} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if fields:
            text = f"{text}  [{fields}]"
        if record.exc_info:
            text = f"{text}\n{self.formatException(record.exc_info)}"
        return text


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a line is logged (a test runner may swap it and close it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _: IO[str]) -> None:
        return None


def configure_logging(level: str = "INFO", process: str = "paizhu", json_lines: bool | None = None,
                      stream: IO[str] | None = None) -> None:
    """Send every logger (uvicorn's included) through one handler in one format. `json_lines` defaults to
    JSON unless the stream is a terminal."""
    stream = stream if stream is not None else sys.stderr
    if json_lines is None:
        json_lines = not (hasattr(stream, "isatty") and stream.isatty())
    handler = logging.StreamHandler(stream) if stream is not sys.stderr else _StderrHandler()
    handler.setFormatter(JsonFormatter(process) if json_lines else ConsoleFormatter(process))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # the gateway writes its own access line per request (with route template, user, latency)
    logging.getLogger("uvicorn.access").disabled = True
