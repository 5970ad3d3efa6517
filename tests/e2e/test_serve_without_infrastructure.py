"""`paizhu serve` (what `make run` starts) needs neither PostgreSQL nor a broker."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx

from bench.support import free_port
from gateway.accounts import DEMO_PASSWORD
from tests.e2e.conftest import wait_http


def test_serve_starts_the_embedded_platform_with_demo_data_and_private_keys(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PAIZHU_PG_PORT": "1", "PAIZHU_KAFKA_BOOTSTRAP": "127.0.0.1:1", "PAIZHU_MODE": "embedded"}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "paizhu.cli", "serve", "--port", str(port), "--data-dir", str(tmp_path / "data")],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=120)
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        token = http.post("/api/session/login", json={"user_id": "chen.hq", "password": DEMO_PASSWORD}).json()
        dashboard = http.get("/api/hq/dashboard", headers={"Authorization": f"Bearer {token['access_token']}"})
        assert dashboard.status_code == 200
        assert dashboard.json()["total_directives"] > 0  # the demo scenario was seeded
        assert http.get("/readyz").status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    keys = tmp_path / "data" / "keys"
    for key_file in keys.iterdir():
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600, key_file
        secret = key_file.read_text().strip()
        if key_file.suffix == ".key":
            assert secret not in log.read_text()  # keys are never logged
    assert (tmp_path / "data" / "stores" / "ledgers.db").exists()
