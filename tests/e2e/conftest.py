"""Processes of the distributed mode and an OpenID Connect provider's JWKS, for end-to-end tests.

One cluster (its database, broker and eighteen processes) serves every end-to-end module of this package:
starting it is most of these tests' time. Each test therefore works on records of its own (ids it made, or an
organisation no other test writes to); the closed loop, which reconciles group-mee's whole ledger, runs first.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.support import free_port, run_cli
from gateway.accounts import ACCOUNTS
from tests.conftest import broker_with_topics, distributed_env, fresh_database

ISSUER = "https://idp.test.paizhu"
AUDIENCE = "paizhu-gateway"


@dataclass
class IdentityProvider:
    """A stand-in OpenID Connect provider: publishes a JWKS, signs RS256 tokens."""

    key: Any = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    kid: str = "test-key-1"
    url: str = ""

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def token(self, user_id: str) -> str:
        account = ACCOUNTS[user_id]
        now = int(time.time())
        claims = {"sub": user_id, "name": account.name, "org": account.org_id, "roles": list(account.roles),
                  "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})


@pytest.fixture(scope="package")
def identity_provider() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()
    body = json.dumps(provider.jwks()).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield provider
    server.shutdown()


def wait_http(url: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not come up")


def wait_member(base: str, token: str, timeout: float = 180.0) -> None:
    """Until the gateway's membership read model knows the user (the projector follows the units topic)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/session/me", headers={"Authorization": f"Bearer {token}"}, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError("the membership did not reach the gateway")


class Cluster:
    """Starts `paizhu` processes with one environment, each logging to a file of its own in `logs`; stops them
    all at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.processes: dict[str, subprocess.Popen] = {}  # type: ignore[type-arg]

    def start(self, name: str, *args: str) -> subprocess.Popen:  # type: ignore[type-arg]
        with (self.logs / f"{name}.log").open("wb") as out:
            process = run_cli(self.env, *args, stdout=out, stderr=subprocess.STDOUT)
        self.processes[name] = process
        return process

    def tails(self, size: int = 1500) -> str:
        """The end of every process's log (what a failed start-up shows)."""
        return "\n".join(f"--- {log.stem}\n{log.read_text(errors='replace')[-size:]}"
                         for log in sorted(self.logs.glob("*.log")))

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()

    def stop_all(self) -> None:
        """SIGTERM to every process at once, then wait for each: they shut down side by side, not one after
        another (eighteen stops in a row, up to 20 s each, outlasted the 300 s test timeout on a loaded
        machine)."""
        processes, self.processes = list(self.processes.values()), {}
        for process in processes:
            process.terminate()
        deadline = time.monotonic() + 20
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="package")
def distributed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of the package's cluster: a fresh database and broker (overrides the per-module one)."""
    with fresh_database() as dbname, contextmanager(broker_with_topics)(1) as bootstrap:
        yield distributed_env(dbname, bootstrap, tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="package")
def cluster(distributed: dict[str, str], identity_provider: IdentityProvider,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, str]]:
    """Every service, relay and projector, and the gateway, as separate processes: one cluster for the package,
    stopped after its last test (never left polling while the rest of the suite runs)."""
    from events.topics import SERVICES
    from projections.catalog import PROJECTIONS

    ports = {service: free_port() for service in SERVICES}
    gateway_port = free_port()
    env = {
        **distributed,
        **{f"PAIZHU_{s.upper()}_URL": f"http://127.0.0.1:{p}" for s, p in ports.items()},
        "PAIZHU_OIDC_JWKS_URL": identity_provider.url,
        "PAIZHU_OIDC_ISSUER": ISSUER,
        "PAIZHU_OIDC_AUDIENCE": AUDIENCE,
        "PAIZHU_SCHEDULER_INTERVAL_SECONDS": "2",
        "PAIZHU_LOG_LEVEL": "WARNING",
    }
    nodes = Cluster(env, tmp_path_factory.mktemp("logs"))
    started = False
    try:
        for service, port in ports.items():
            nodes.start(f"service-{service}", "service", service, "--port", str(port))
        for service in SERVICES:
            nodes.start(f"relay-{service}", "relay", service)
        for projection in PROJECTIONS:
            nodes.start(f"project-{projection}", "project", projection)
        nodes.start("gateway", "gateway", "--port", str(gateway_port))
        for port in ports.values():
            wait_http(f"http://127.0.0.1:{port}/healthz")
        base = f"http://127.0.0.1:{gateway_port}"
        wait_http(f"{base}/healthz")
        # the demo organisations and members are seed data: recorded in the units history, then projected
        # (resumable, so retried while the shared PostgreSQL has no connection slot free)
        deadline = time.monotonic() + 180
        while True:
            seeding = run_cli(env, "members", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, errors = seeding.communicate(timeout=180)
            if seeding.returncode == 0:
                break
            assert time.monotonic() < deadline, errors.decode()[-3000:]
            time.sleep(1)
        wait_member(base, identity_provider.token("li.na"))
        started = True
        yield nodes, base
    finally:
        if not started:
            print(nodes.tails())  # shown with the failed set-up
        nodes.stop_all()
