"""An embedded platform in memory behind a TestClient, with the demo users logged in on demand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from gateway.accounts import DEMO_PASSWORD
from gateway.main import create_app
from paizhu.platform import Platform
from paizhu.settings import Settings
from services.common.clock import ManualClock


class Api:
    """Call the gateway as a demo user: `api.as_user("zhang.wei").post(...)`."""

    def __init__(self, platform: Platform, client: TestClient) -> None:
        self.platform = platform
        self.client = client
        self._tokens: dict[str, str] = {}

    def token(self, user_id: str) -> str:
        if user_id not in self._tokens:
            response = self.client.post("/api/session/login", json={"user_id": user_id, "password": DEMO_PASSWORD})
            assert response.status_code == 200, response.text
            self._tokens[user_id] = response.json()["access_token"]
        return self._tokens[user_id]

    def headers(self, user_id: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user_id)}"}

    def request(self, method: str, user_id: str | None, path: str, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if user_id:
            headers.update(self.headers(user_id))
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, user_id: str | None, path: str, **kwargs: Any) -> Any:
        return self.request("GET", user_id, path, **kwargs)

    def post(self, user_id: str | None, path: str, **kwargs: Any) -> Any:
        return self.request("POST", user_id, path, **kwargs)

    def sync(self) -> None:
        """Let policies and projections catch up (embedded mode)."""
        self.platform.sync()


@contextmanager
def embedded_api(
    clock: ManualClock | None = None, data_dir: Path | None = None, demo: bool = False
) -> Iterator[Api]:
    clock = clock or ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC))
    settings = Settings(mode="embedded", data_dir=data_dir or Path("unused"), demo=demo)
    platform = Platform(settings, clock=clock, in_memory=data_dir is None)
    if demo:
        from paizhu.demo import seed_demo

        seed_demo(platform, clock)
    platform.start()
    try:
        with TestClient(create_app(platform.gateway_runtime()), raise_server_exceptions=False) as client:
            yield Api(platform, client)
    finally:
        platform.stop()
