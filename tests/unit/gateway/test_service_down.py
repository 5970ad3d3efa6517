"""A service that is down, or whose store does not answer, gives the client 503 with Retry-After (never 500),
and the gateway's `/readyz` is not ready while a service does not answer."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

from bench.support import free_port
from gateway.clients import HttpClient
from runtime.server import create_service_app
from services.ledgers.application import LedgersApplication
from tests.api_helpers import embedded_api
from tests.unit.gateway.test_vertical_slice_embedded import DIRECTIVE

TOKEN = "the-service-token-0123456789"


def test_a_service_whose_store_does_not_answer_says_503_with_retry_after() -> None:
    app = LedgersApplication()

    def no_connection(*args: object, **kwargs: object) -> None:
        raise OperationalError("couldn't get a connection after 15.00 sec")

    app.execute = no_connection  # type: ignore[method-assign]  # what the pool raises during a database cut
    client = TestClient(create_service_app(app, TOKEN), raise_server_exceptions=False)
    answer = client.post("/operations/GetDirective", json={"directive_id": "00000000-0000-0000-0000-000000000001"},
                         headers={"x-paizhu-service-token": TOKEN})
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert answer.json()["error"]["code"] == "service_unavailable"


@contextmanager
def hanging_up_server() -> Iterator[str]:
    """Accepts connections and closes them without answering (a service dying mid-request)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.recv(65536)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        thread.join(timeout=5)
        listener.close()


def test_the_gateway_answers_503_with_retry_after_and_is_not_ready_while_a_service_is_down() -> None:
    with embedded_api() as api, hanging_up_server() as hanging_up:
        runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
        for url in (f"http://127.0.0.1:{free_port()}", hanging_up):  # nobody listens; the service hangs up
            client = HttpClient(url, TOKEN, timeout=5.0)
            runtime.services.clients["ledgers"] = client
            runtime.readiness["service:ledgers"] = client.position
            answer = api.post("zhang.wei", "/api/ledgers/directives", json=DIRECTIVE)
            assert answer.status_code == 503, answer.text
            assert answer.headers["retry-after"] == "5"
            assert answer.json()["error"]["code"] == "service_unavailable"
            ready = api.client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["status"] == "not_ready"
