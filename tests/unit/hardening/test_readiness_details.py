"""Public `/readyz` answers ready or not ready; its checks (every read model's and service's position, the
clues service's included, and the alarms) need the operator token (issue #14: anyone saw the positions move
when a leader read a clue)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from paizhu.platform import Platform
from paizhu.settings import Settings
from services.common.clock import ManualClock

TOKEN = "operator-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(mode="embedded", data_dir=Path("unused"), operator_token=TOKEN)
    platform = Platform(settings, clock=ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC)), in_memory=True)
    platform.start()
    try:
        with TestClient(create_app(platform.gateway_runtime())) as test_client:
            yield test_client
    finally:
        platform.stop()


def test_anyone_gets_only_the_status(client: TestClient) -> None:
    for headers in ({}, {"X-Paizhu-Operator-Token": "wrong"}, {"X-Paizhu-Operator-Token": TOKEN[:-1]},
                    {"X-Paizhu-Operator-Token": "令牌".encode()}):
        ready = client.get("/readyz", headers=headers)
        assert ready.status_code == 200, ready.text
        assert ready.json() == {"status": "ready", "checks": {}}


def test_the_operator_token_shows_every_check(client: TestClient) -> None:
    ready = client.get("/readyz", headers={"X-Paizhu-Operator-Token": TOKEN})
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    checks = ready.json()["checks"]
    assert {"service:clues", "service:units", "clue_queue", "hq_dashboard"} <= set(checks)
    assert isinstance(checks["service:clues"], int)


def test_without_a_configured_token_no_one_sees_the_checks() -> None:
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused")), in_memory=True)
    try:
        with TestClient(create_app(platform.gateway_runtime())) as test_client:
            assert test_client.get("/readyz", headers={"X-Paizhu-Operator-Token": ""}).json()["checks"] == {}
            assert test_client.get("/readyz", headers={"X-Paizhu-Operator-Token": "None"}).json()["checks"] == {}
    finally:
        platform.stop()

