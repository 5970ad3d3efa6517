"""SIGTERM (what systemd, Docker and Kubernetes send) stops `paizhu serve` cleanly: the final checkpoint covers
everything recorded and every store is closed (issue #14: SIGTERM skipped both). A kill -9 of the same
platform, for contrast, leaves the last events unsigned and the stores' write-ahead logs behind, so the checks
below can tell a clean stop from a crash.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bench.support import free_port
from gateway.accounts import DEMO_PASSWORD
from paizhu.keys import load_keys
from paizhu.services import build_app
from paizhu.settings import Settings
from services.common.integrity import Checkpointer
from tests.e2e.conftest import wait_http

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]
SERVICES = ("units", "ledgers", "clues", "inspections")


def serve_then(sig: signal.Signals, data_dir: Path) -> int:
    """Start `paizhu serve` (checkpoints only at the end: the interval is an hour), record a directive, send
    `sig`; its exit code."""
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PAIZHU_")}, "PAIZHU_MODE": "embedded",
           "PAIZHU_CHECKPOINT_INTERVAL_SECONDS": "3600", "PYTHONPATH": os.getcwd()}
    with (data_dir.parent / f"serve-{sig.name}.log").open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "paizhu.cli", "serve", "--no-demo", "--port", str(port), "--data-dir", str(data_dir)],
            env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=240)
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        token = http.post("/api/session/login", json={"user_id": "zhang.wei", "password": DEMO_PASSWORD})
        registered = http.post("/api/ledgers/directives", headers={
            "Authorization": f"Bearer {token.json()['access_token']}"}, json={
            "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "中发〔2025〕1号",
            "issuer": "中共中央", "title": "关于全面推进美丽中国建设的意见", "issued_on": "2025-01-02",
            "received_on": "2025-01-03", "lead_department": "综合司"})
        assert registered.status_code == 201, registered.text
    finally:
        process.send_signal(sig)
        code = process.wait(timeout=120)
    return code


def unsigned(data_dir: Path) -> dict[str, int | None]:
    """Per store: the position a checkpoint signed now would cover (None: the last one covers everything)."""
    settings = Settings(mode="embedded", data_dir=data_dir)
    keys = load_keys(settings)
    found = {}
    for service in SERVICES:
        app = build_app(settings, keys, service)
        try:
            found[service] = Checkpointer(keys.checkpoint_private_key()).checkpoint(app)
        finally:
            app.close()
    return found


def left_open(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "stores").glob("*.db-wal"))


def test_sigterm_signs_the_final_checkpoint_and_closes_the_stores(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert serve_then(signal.SIGTERM, data_dir) == 0
    assert left_open(data_dir) == []  # every store closed (SQLite removes its write-ahead log on the last close)
    assert unsigned(data_dir) == dict.fromkeys(SERVICES)  # the final checkpoint covers every event recorded


def test_a_kill_9_for_contrast_leaves_events_unsigned_and_stores_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert serve_then(signal.SIGKILL, data_dir) == -signal.SIGKILL
    assert "ledgers.db-wal" in left_open(data_dir)
    assert unsigned(data_dir)["ledgers"]  # the directive recorded was never signed
