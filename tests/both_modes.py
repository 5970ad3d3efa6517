"""One service reached both ways: in-process (embedded) and over its HTTP interface (distributed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

import authz
from gateway.clients import HttpClient, LocalClient, ServiceClient
from runtime.server import create_service_app
from services.common.application import ServiceApplication
from services.common.errors import DomainError

TOKEN = "secret-service-token"


def both_modes(app: ServiceApplication) -> dict[str, ServiceClient]:
    """`{"embedded": …, "distributed": …}` clients of one application (its HTTP server in a TestClient)."""
    authz.load_rules()
    remote = HttpClient(f"http://{app.name}", token=TOKEN)
    remote.http = TestClient(create_service_app(app, token=TOKEN), base_url=f"http://{app.name}")
    return {"embedded": LocalClient(app), "distributed": remote}


def outcome(call: Callable[[], Any]) -> tuple[int, str]:
    """(status, code) of a refused call; (200, "ok") when it went through."""
    try:
        call()
    except DomainError as error:
        return getattr(error, "status", 0), error.code
    return 200, "ok"
