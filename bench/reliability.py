"""`make reliability` / `make soak`: the distributed mode under a steady command load, then faults.

Every process of the distributed mode (services with their policy runners, relays, projectors, the gateway) runs
as its own `paizhu` process over a real PostgreSQL database made for the run, reached through a TCP proxy the
harness can cut, and a real Tansu broker the harness can stop, resume and restart. A supervisor restarts any
process that exits, as systemd's `Restart=always` would; a process it did not kill itself that exits, or one
that has to be restarted because it hangs after a fault, counts as a manual restart.

After each fault, once the load has stopped and the system has settled:
- every read model equals a from-zero rebuild from the services' stores (the projection checksum);
- every command that got a 2xx is in the history exactly once, and so is every unit notification's directive
  that the ledgers' policy opens (nothing lost, nothing doubled);
- `paizhu verify` exits 0;
- no process needed a hand.

Writes bench/results/reliability.json ({"faults", "survived", "lost", "duplicated", "manual_restarts", and the
detail of each fault}) and prints a table. `python -m bench.reliability --soak` runs every fault, longer.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import httpx

from bench.model_diff import describe
from bench.support import (
    PG_HOST,
    PG_PORT,
    create_database,
    drop_database,
    free_port,
    run_cli,
    tansu_binary,
    wait_port,
)

T = TypeVar("T")
RESULTS = Path(__file__).parent / "results"
GROUP, UNIT = "group-mee", "unit-mee"
STAFF, UNIT_USER, GROUP_LEADER = "zhang.wei", "zhao.unit", "li.na"
HEALTH_TIMEOUT = 90.0
START_TIMEOUT = float(os.environ.get("PAIZHU_RELIABILITY_START_TIMEOUT", "300"))
"""How long the deployment may take to start (every process at once, on a machine others share)."""


# -- the database cut: a TCP proxy between the processes and PostgreSQL --------------------------------------------
class _Pair:
    def __init__(self, client: socket.socket, upstream: socket.socket | None, generation: int) -> None:
        self.client, self.upstream, self.generation = client, upstream, generation

    def close(self) -> None:
        for s in (self.client, self.upstream):
            if s is None:
                continue
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


class PgProxy:
    """Forwards TCP to PostgreSQL. `cut()` turns it into a black hole (bytes are swallowed, new connections are
    accepted and never answered), as a network partition does; `restore()` resets every connection that lived
    through the cut (as TCP does when the partition ends) and forwards again."""

    def __init__(self, target_host: str = PG_HOST, target_port: int = PG_PORT) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(256)
        self.listener.settimeout(0.5)
        self.port = int(self.listener.getsockname()[1])
        self.generation = 0
        self.cutting = False
        self.pairs: set[_Pair] = set()
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, name="pg-proxy", daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                cutting, generation = self.cutting, self.generation
            upstream = None
            if not cutting:
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                    upstream.settimeout(None)
                except OSError:
                    client.close()
                    continue
            pair = _Pair(client, upstream, generation)
            with self.lock:
                self.pairs.add(pair)
            threading.Thread(target=self._pump, args=(pair, client, upstream), daemon=True).start()
            if upstream is not None:
                threading.Thread(target=self._pump, args=(pair, upstream, client), daemon=True).start()

    def _pump(self, pair: _Pair, source: socket.socket, sink: socket.socket | None) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if sink is None or self.cutting or pair.generation != self.generation:
                    continue  # the black hole swallows it
                sink.sendall(data)
        except OSError:
            pass
        finally:
            pair.close()
            with self.lock:
                self.pairs.discard(pair)

    def cut(self) -> None:
        with self.lock:
            self.cutting = True

    def restore(self) -> None:
        with self.lock:
            self.cutting = False
            self.generation += 1
            stale = [p for p in self.pairs if p.generation != self.generation]
        for pair in stale:
            pair.close()

    def close(self) -> None:
        self.closed = True
        self.listener.close()
        with self.lock:
            pairs = list(self.pairs)
        for pair in pairs:
            pair.close()


# -- the broker ------------------------------------------------------------------------------------------------------
class Broker:
    """A Tansu broker (memory storage) on a fixed port: stop (SIGSTOP), resume (SIGCONT), restart."""

    def __init__(self) -> None:
        self.port = free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        url = f"tcp://{self.bootstrap}"
        self.process = subprocess.Popen(
            [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "memory://tansu/", "--silent"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, timeout=30)
        self.provision()

    def provision(self) -> None:
        """The deployment's topics (one partition each), as the operator's provisioning creates them."""
        from events.kafka import ensure_topics
        from events.topics import DEAD_LETTER_TOPIC, SERVICES, topic_for

        ensure_topics(self.bootstrap, [*map(topic_for, SERVICES), DEAD_LETTER_TOPIC], partitions=1)

    def pause(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        self.stop()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the port is free again once the old process is gone
            with socket.socket() as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    s.bind(("127.0.0.1", self.port))
                    break
                except OSError:
                    time.sleep(0.2)
        self.start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


# -- an OpenID Connect provider's JWKS ----------------------------------------------------------------------------
class Tokens:
    """A stand-in identity provider (the end-to-end tests' one) serving its JWKS on a local port."""

    def __init__(self) -> None:
        from tests.e2e.conftest import IdentityProvider

        self.provider = IdentityProvider()
        body = json.dumps(self.provider.jwks()).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.provider.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def headers(self, user: str) -> dict[str, str]:
        with self._lock:
            made, token = self._cache.get(user, (0.0, ""))
            if time.monotonic() - made > 300:
                token = self.provider.token(user)
                self._cache[user] = (time.monotonic(), token)
        return {"Authorization": f"Bearer {token}"}

    def close(self) -> None:
        self.server.shutdown()


# -- the processes and their supervisor -----------------------------------------------------------------------------
@dataclass
class Node:
    name: str
    args: tuple[str, ...]
    process: subprocess.Popen[bytes] | None = None
    expected_exit: bool = False
    health_url: str | None = None
    log: Path | None = None


class Cluster:
    """Every process of the distributed mode, each restarted when it exits (systemd's `Restart=always`)."""

    def __init__(self, workdir: Path, log_level: str = "WARNING", services: tuple[str, ...] | None = None) -> None:
        from events.topics import SERVICES
        from projections.catalog import PROJECTIONS

        self.services = services or tuple(SERVICES)
        from tests.conftest import distributed_env
        from tests.e2e.conftest import AUDIENCE, ISSUER

        self.workdir = workdir
        self.dbname = patiently(lambda: create_database("paizhu_rel_"))
        self.rebuild_db = patiently(lambda: create_database("paizhu_rb_"))
        self.broker = Broker()
        self.broker.start()
        self.proxy = PgProxy()
        self.tokens = Tokens()
        ports = {service: free_port() for service in SERVICES}  # every service has an address; some may not run
        self.gateway_port = free_port()
        self.base = f"http://127.0.0.1:{self.gateway_port}"
        self.env = {
            **distributed_env(self.dbname, self.broker.bootstrap, workdir / "data"),
            **{f"PAIZHU_{s.upper()}_URL": f"http://127.0.0.1:{p}" for s, p in ports.items()},
            "PAIZHU_OIDC_JWKS_URL": self.tokens.provider.url,
            "PAIZHU_OIDC_ISSUER": ISSUER,
            "PAIZHU_OIDC_AUDIENCE": AUDIENCE,
            "PAIZHU_SCHEDULER_INTERVAL_SECONDS": "5",
            "PAIZHU_CHECKPOINT_INTERVAL_SECONDS": "5",
            "PAIZHU_LOG_LEVEL": log_level,
        }
        # the processes reach PostgreSQL through the proxy; the harness's own checks go straight to it
        # Each store's connection pool keeps its 5 connections and may not grow past them (the library's default
        # lets each grow to 15): eight stores and three read-model pools then fit the machine's PostgreSQL
        # (max_connections 100), which other users share.
        self.process_env = {**self.env, "PAIZHU_PG_PORT": str(self.proxy.port), "POSTGRES_MAX_OVERFLOW": "0"}
        self.direct_env = {**self.env, "PAIZHU_PG_PORT": str(PG_PORT)}
        self.nodes: dict[str, Node] = {}
        for service in self.services:
            self._add(f"service-{service}", ("service", service, "--port", str(ports[service])),
                      f"http://127.0.0.1:{ports[service]}/healthz")
        for service in self.services:
            self._add(f"relay-{service}", ("relay", service))
        for projection in PROJECTIONS:
            self._add(f"project-{projection}", ("project", projection))
        self._add("gateway", ("gateway", "--port", str(self.gateway_port)), f"{self.base}/healthz")
        self.lock = threading.Lock()
        self.manual_restarts: list[str] = []
        self.supervised_restarts: list[str] = []
        self.stopping = threading.Event()
        self._stopped = False
        self.rng = random.Random()  # which process a random kill hits (run_fault seeds it)
        self.killed: list[str] = []  # the processes the faults killed, in order

    def _add(self, name: str, args: tuple[str, ...], health_url: str | None = None) -> None:
        self.nodes[name] = Node(name, args, health_url=health_url, log=self.workdir / f"{name}.log")

    def _spawn(self, node: Node) -> None:
        assert node.log is not None
        with node.log.open("ab") as out:
            node.process = run_cli(self.process_env, *node.args, stdout=out, stderr=subprocess.STDOUT)
        node.expected_exit = False

    def start(self) -> None:
        for node in self.nodes.values():
            self._spawn(node)
        threading.Thread(target=self._supervise, name="supervisor", daemon=True).start()
        for node in self.nodes.values():
            if node.health_url:
                wait_healthy(node.health_url, START_TIMEOUT)
        self.api = Api(self.base, self.tokens)
        self._seed_members()
        # the group registers the unit it is resident in (a fresh database has no roster)
        self.api.call("POST", "/api/units/units", GROUP_LEADER, expect=201, json={
            "group_id": GROUP, "unit_id": UNIT, "name": "生态环境部", "party_group_name": "生态环境部党组"})

    def _seed_members(self, timeout: float = 180.0) -> None:
        """The demo organisations and members are seed data: recorded in the units history (`paizhu members`,
        resumable), then projected; wait until the gateway knows the group leader."""
        deadline = time.monotonic() + timeout
        while True:
            seeding = run_cli(self.direct_env, "members", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, errors = seeding.communicate(timeout=timeout)
            if seeding.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"paizhu members failed: {errors.decode()[-2000:]}")
            time.sleep(1)
        while True:
            try:
                self.api.call("GET", "/api/session/me", GROUP_LEADER, expect=200)
                return
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _supervise(self) -> None:
        while not self.stopping.wait(0.1):
            for node in self.nodes.values():
                with self.lock:
                    process = node.process
                    if process is None or process.poll() is None or self.stopping.is_set():
                        continue
                    if node.expected_exit:
                        self.supervised_restarts.append(node.name)
                    else:
                        self.manual_restarts.append(f"{node.name} exited by itself (code {process.returncode})")
                    self._spawn(node)

    def kill(self, name: str) -> None:
        """kill -9; the supervisor restarts it."""
        with self.lock:
            node = self.nodes[name]
            assert node.process is not None
            node.expected_exit = True
            node.process.send_signal(signal.SIGKILL)

    def restart_by_hand(self, name: str, why: str) -> None:
        with self.lock:
            node = self.nodes[name]
            self.manual_restarts.append(f"{name}: {why}")
            node.expected_exit = True
            assert node.process is not None
            node.process.kill()
        wait_for(lambda: node.process is not None and node.process.poll() is None and not node.expected_exit,
                 30, f"{name} restarted")

    def hung(self) -> list[str]:
        """Processes that do not answer their health check."""
        stuck = []
        for node in self.nodes.values():
            if node.health_url:
                try:  # one just restarted by the supervisor needs its start-up time
                    wait_healthy(node.health_url, HEALTH_TIMEOUT)
                except TimeoutError:
                    stuck.append(node.name)
        return stuck

    def rss(self) -> dict[str, int]:
        """Each process's resident memory, in KiB."""
        sizes = {}
        for node in self.nodes.values():
            if node.process is None:
                continue
            try:
                for line in Path(f"/proc/{node.process.pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes[node.name] = int(line.split()[1])
            except OSError:
                continue
        return sizes

    def logs(self, name: str, tail: int = 4000) -> str:
        log = self.nodes[name].log
        return log.read_text(errors="replace")[-tail:] if log and log.exists() else ""

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.stopping.set()
        with self.lock:
            for node in self.nodes.values():
                if node.process is not None and node.process.poll() is None:
                    node.process.terminate()
            for node in self.nodes.values():
                if node.process is None:
                    continue
                try:
                    node.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    node.process.kill()
                    node.process.wait(timeout=10)
        self.broker.stop()
        self.proxy.close()
        self.tokens.close()
        for name in (self.dbname, self.rebuild_db):
            patiently(lambda name=name: drop_database(name))  # type: ignore[misc]


def patiently(action: Callable[[], T], timeout: float = 180.0) -> T:
    """`action()`, tried again while the machine's PostgreSQL (shared with others) has no connection slot left
    for the harness itself."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            return action()
        except psycopg.OperationalError as error:
            crowded = "remaining connection slots" in str(error) or "too many clients" in str(error)
            if not crowded or time.monotonic() > deadline:
                raise
            time.sleep(2.0)


def wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy within {timeout:.0f}s")


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f}s")
        time.sleep(0.1)


@contextmanager
def cluster(workdir: Path | None = None, log_level: str = "WARNING",
            services: tuple[str, ...] | None = None) -> Iterator[Cluster]:
    """A deployment of `services` (default: all four), each with its relay; every projector; the gateway."""
    with tempfile.TemporaryDirectory(prefix="paizhu-rel-") as tmp:
        Path(workdir or tmp).mkdir(parents=True, exist_ok=True)
        nodes = Cluster(Path(workdir or tmp), log_level, services)
        try:
            nodes.start()
            yield nodes
        finally:
            nodes.stop()


# -- the gateway as clients see it ----------------------------------------------------------------------------------
class Api:
    def __init__(self, base: str, tokens: Tokens, timeout: float = 35.0) -> None:
        self.base = base
        self.tokens = tokens
        self.http = httpx.Client(base_url=base, timeout=timeout)

    def call(self, method: str, path: str, user: str, expect: int | None = None,
             headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        response = self.http.request(method, path, headers={**self.tokens.headers(user), **(headers or {})},
                                     **kwargs)
        if expect is not None and response.status_code != expect:
            raise AssertionError(f"{method} {path} as {user}: {response.status_code} {response.text[:300]}")
        return response


OTHER_GROUP, OTHER_UNIT, OTHER_STAFF = "group-mwr", "unit-mwr", "zhou.other"


def directive_body(reference: str, group: str = OTHER_GROUP, unit: str = OTHER_UNIT) -> dict[str, Any]:
    return {"group_id": group, "unit_id": unit, "reference_number": reference, "issuer": "中共中央",
            "title": f"关于全面推进美丽中国建设的意见 {reference}", "issued_on": "2025-01-02",
            "received_on": "2025-01-03", "lead_department": "综合司"}


def notification_body(reference: str) -> dict[str, Any]:
    return {"title": f"关于加强督察整改工作的通知 {reference}", "reference_number": reference,
            "issuer": "生态环境部办公厅", "issued_on": "2025-03-01", "received_on": "2025-03-03",
            "lead_department": "督察办"}


def commands(same_ledger: bool) -> dict[str, tuple[str, str, Callable[[str], dict[str, Any]]]]:
    """kind: (user, path, body). A directive a group registers; a notification the unit of group-mee sends,
    which the ledgers' policy (fed from Kafka) turns into a directive in group-mee's ledger. The directives go
    to the other group's ledger, unless `same_ledger`: then both kinds write to one master ledger at once."""
    directive = (STAFF, "/api/ledgers/directives", lambda ref: directive_body(ref, GROUP, UNIT)) if same_ledger \
        else (OTHER_STAFF, "/api/ledgers/directives", directive_body)
    return {"directive": directive,
            "notification": (UNIT_USER, f"/api/units/units/{UNIT}/inbound/directive-notifications",
                              notification_body)}


@dataclass
class Outcomes:
    """What the load's clients were told: references whose command got a 2xx, and the rest."""

    accepted: dict[str, list[str]] = field(default_factory=lambda: {"directive": [], "notification": []})
    unanswered: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    run_id: str = ""
    attempts: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Load:
    """One client thread per command kind, each posting commands one after the other through the gateway.

    A client that gets no answer, a 5xx or a 429 tries again with the same `Idempotency-Key` (as a client told
    503 / Retry-After does) until it gets an answer or gives up after `give_up` seconds."""

    def __init__(self, api: Api, outcomes: Outcomes, run_id: str, give_up: float = 90.0,
                 same_ledger: bool = False) -> None:
        self.commands = commands(same_ledger)
        self.api = api
        self.outcomes = outcomes
        self.run_id = run_id
        self.give_up = give_up
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(kind,), name=f"load-{kind}", daemon=True)
                        for kind in self.commands]
        self.counter = 0
        self.counter_lock = threading.Lock()

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=self.give_up + 60)

    def _reference(self, kind: str) -> str:
        with self.counter_lock:
            self.counter += 1
            n = self.counter
        return f"压测〔{self.run_id}〕{kind[0]}{n}号"

    def _client(self, kind: str) -> None:
        user, path, body = self.commands[kind]
        while not self.stop.is_set():
            reference = self._reference(kind)
            key = str(uuid.uuid4())
            started = time.monotonic()
            answer: int | None = None
            tries = 0
            while True:
                tries += 1
                try:
                    response = self.api.call("POST", path, user, headers={"Idempotency-Key": key},
                                             json=body(reference))
                    answer = response.status_code
                    # told to reload and retry (a concurrent write): the client does, with the same key
                    retry = answer == 409 and response.json().get("error", {}).get("code") == "concurrent_write"
                except (httpx.HTTPError, ValueError):
                    answer, retry = None, True
                if answer is not None and answer < 500 and answer != 429 and not retry:
                    break
                if time.monotonic() - started > self.give_up:
                    break
                time.sleep(0.5)
            with self.outcomes.lock:
                self.outcomes.attempts += 1
                self.outcomes.retries += tries - 1
                if answer is not None and 200 <= answer < 300:
                    self.outcomes.accepted[kind].append(reference)
                elif answer is None or answer >= 500:
                    self.outcomes.unanswered.append(f"{kind} {reference}: {answer}")
                else:
                    self.outcomes.refused.append(f"{kind} {reference}: {answer}")
            time.sleep(0.02)


# -- the checks -----------------------------------------------------------------------------------------------------
class History:
    """The services' stores, read directly (not through the proxy) by the harness."""

    def __init__(self, env: dict[str, str], rebuild_db: str) -> None:
        from events.catalog import load_all
        from paizhu.keys import load_keys
        from paizhu.services import app_class, available_services, service_env
        from projections.catalog import available
        from projections.common.db import PostgresDatabase
        from tests.conftest import settings_from

        load_all()
        self.settings = settings_from(env)
        keys = load_keys(self.settings)
        # one connection per store: the harness reads one thing at a time, and the machine's PostgreSQL is shared
        self.apps = {s: patiently(lambda s=s: app_class(s)(env={  # type: ignore[misc]
            **service_env(self.settings, keys, s), "POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "0"}))
            for s in available_services()}
        self.live = patiently(lambda: PostgresDatabase(self.settings.read_models_url(), max_size=1))
        self.scratch = patiently(lambda: PostgresDatabase(
            self.settings.model_copy(update={"pg_dbname": rebuild_db}).read_models_url(), max_size=1))
        self.projections = available()

    def events(self, service: str) -> list[Any]:
        app = self.apps[service]
        found: list[Any] = []
        after = 0
        while True:
            envelopes, last = app.integration_events(after, 5000)
            if last <= after:
                return found
            found.extend(envelopes)
            after = last

    def references(self, service: str, event_type: str) -> Counter[str]:
        return Counter(e.payload["reference_number"] for e in self.events(service) if e.type == event_type)

    def checksums(self) -> dict[str, tuple[str, str]]:
        """Per read model: (the live checksum, the checksum of a from-zero rebuild from the stores)."""
        from runtime.projection_feeds import LogFollower
        from runtime.projection_runner import ProjectionRunner

        sums = {}
        for name, projection_class in self.projections.items():
            projection = projection_class()
            runner = ProjectionRunner(projection, self.scratch)
            runner.reset()
            sources = {s: a.integration_events for s, a in self.apps.items()}
            LogFollower(runner, sources, batch=5000).run_once()  # type: ignore[arg-type]
            sums[name] = (projection.checksum(self.live), projection.checksum(self.scratch))
        return sums

    def differences(self, name: str) -> dict[str, dict[str, list[Any]]]:
        """After `checksums()`: the rows in which read model `name` and its rebuild differ (bench/model_diff.py)."""
        from bench.model_diff import differences

        return differences(self.projections[name](), self.live, self.scratch)

    def close(self) -> None:
        for app in self.apps.values():
            app.close()
        self.live.close()
        self.scratch.close()


@dataclass
class Verdict:
    fault: str
    survived: bool
    accepted: int
    lost: int
    duplicated: int
    manual_restarts: int
    unanswered: int
    settle_seconds: float
    problems: list[str]


def check(nodes: Cluster, history: History, outcomes: Outcomes, settle_timeout: float) -> tuple[int, int, list[str],
                                                                                                   float]:
    """Wait (up to `settle_timeout`) for the system to settle; (lost, duplicated, problems, seconds taken)."""
    started = time.monotonic()
    problems: list[str] = []
    while True:
        # this fault's commands only (their references carry its run id); earlier faults had their verdicts
        mine = f"〔{outcomes.run_id}〕"
        registered = Counter({r: n for r, n in history.references("ledgers", "ledgers.DirectiveRegistered").items()
                              if mine in r})
        notified = Counter({r: n for r, n in history.references("units", "units.DirectiveNotified").items()
                            if mine in r})
        lost_directives = [r for r in outcomes.accepted["directive"] if registered[r] == 0]
        lost_notifications = [r for r in outcomes.accepted["notification"] if notified[r] == 0]
        # the ledgers' policy opens one directive for every notification the units service recorded
        unopened = [r for r in notified if registered[r] == 0]
        doubled = {r: n for counts in (registered, notified) for r, n in counts.items() if n > 1}
        sums = history.checksums()
        behind = [name for name, (live, rebuilt) in sums.items() if live != rebuilt]
        settled = not (lost_directives or lost_notifications or unopened or behind)
        elapsed = time.monotonic() - started
        if settled or elapsed > settle_timeout:
            break
        time.sleep(1.0)
    lost = len(lost_directives) + len(lost_notifications) + len(unopened)
    duplicated = sum(n - 1 for n in doubled.values())
    if lost_directives:
        problems.append(f"{len(lost_directives)} directives answered 2xx are not in the history, "
                        f"e.g. {lost_directives[:3]}")
    if lost_notifications:
        problems.append(f"{len(lost_notifications)} notifications answered 2xx are not in the history, "
                        f"e.g. {lost_notifications[:3]}")
    if unopened:
        problems.append(f"{len(unopened)} notifications never became a directive (ledgers' policy), "
                        f"e.g. {unopened[:3]}")
    if doubled:
        problems.append(f"{duplicated} commands recorded more than once, e.g. {list(doubled.items())[:3]}")
    for name in behind:
        found = history.differences(name)
        (nodes.workdir / f"diff-{outcomes.run_id}-{name}.json").write_text(
            json.dumps(found, ensure_ascii=False, indent=1, default=str))
        problems.append(f"read model {name} differs from a from-zero rebuild after {elapsed:.0f}s "
                        f"({describe(found)[:300]})")
    return lost, duplicated, problems, elapsed


def verify(nodes: Cluster, timeout: float = 120.0) -> tuple[int, str]:
    """`paizhu verify` over the deployment's stores: (exit code, the end of its output).

    The machine's PostgreSQL is shared; when it has no connection slot left for verify itself (not the system
    under test), verify is tried again until `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = subprocess.run([sys.executable, "-m", "paizhu.cli", "verify"],
                                env={**os.environ, **nodes.direct_env}, capture_output=True, text=True, timeout=300)
        output = result.stdout + result.stderr
        crowded = "remaining connection slots" in output or "too many clients" in output
        if result.returncode == 0 or not crowded or time.monotonic() > deadline:
            return result.returncode, output[-2000:]
        time.sleep(2.0)


# -- the faults -----------------------------------------------------------------------------------------------------
def _kill(name: str) -> Callable[[Cluster, float], None]:
    def fault(nodes: Cluster, hold: float) -> None:
        nodes.killed.append(name)
        nodes.kill(name)

    return fault


KINDS = {"service": "service-", "relay": "relay-", "projector": "project-", "gateway": "gateway"}
"""Each process kind and the prefix of its processes' names (the policy runners run inside their service)."""


def _kill_any(*kinds: str) -> Callable[[Cluster, float], None]:
    """kill -9 of one process of each of `kinds`, chosen at random among those running, all at once."""
    def fault(nodes: Cluster, hold: float) -> None:
        for kind in kinds:
            name = nodes.rng.choice(sorted(n for n in nodes.nodes if n.startswith(KINDS[kind])))
            nodes.killed.append(name)
            nodes.kill(name)

    return fault


def _db_cut(nodes: Cluster, hold: float) -> None:
    nodes.proxy.cut()
    time.sleep(hold)  # the outage itself lasts this long
    nodes.proxy.restore()


def _broker_pause(nodes: Cluster, hold: float) -> None:
    nodes.broker.pause()
    time.sleep(hold)  # the outage itself lasts this long
    nodes.broker.resume()


def _no_fault(nodes: Cluster, hold: float) -> None:
    return None


def _broker_restart(nodes: Cluster, hold: float) -> None:
    nodes.broker.restart()


@dataclass(frozen=True)
class Fault:
    name: str
    what: str
    apply: Callable[[Cluster, float], None]
    hold: float = 0.0
    same_ledger: bool = False


FAULTS = {
    f.name: f for f in (
        Fault("concurrent-ledger-writes", "no process fault: a group's staff and the ledgers' policy (opening "
              "directives from the unit's notifications) write to one master ledger at once", _no_fault,
              same_ledger=True),
        Fault("kill-service", "kill -9 of the units service (commands' target), restarted", _kill("service-units")),
        Fault("kill-policy-runner", "kill -9 of the ledgers service, whose policy runner turns notifications "
              "into directives", _kill("service-ledgers")),
        Fault("kill-relay", "kill -9 of the units relay, restarted", _kill("relay-units")),
        Fault("kill-relay-ledgers", "kill -9 of the ledgers relay, restarted", _kill("relay-ledgers")),
        Fault("kill-projector", "kill -9 of the HQ dashboard projector, restarted", _kill("project-hq_dashboard")),
        Fault("kill-gateway", "kill -9 of the gateway, restarted", _kill("gateway")),
        Fault("kill-any-service", "kill -9 of a service chosen at random (with its policy runner), restarted",
              _kill_any("service")),
        Fault("kill-any-relay", "kill -9 of a relay chosen at random, restarted", _kill_any("relay")),
        Fault("kill-any-projector", "kill -9 of a projector chosen at random, restarted", _kill_any("projector")),
        Fault("kill-every-kind", "kill -9 at once of one process of every kind (a service, a relay, a projector, "
              "the gateway), each chosen at random, restarted", _kill_any(*KINDS)),
        Fault("db-cut-5s", "PostgreSQL unreachable for 5 s (black hole), then restored", _db_cut, 5.0),
        Fault("db-cut-20s", "PostgreSQL unreachable for 20 s (black hole), then restored", _db_cut, 20.0),
        Fault("db-cut-60s", "PostgreSQL unreachable for 60 s (black hole), then restored", _db_cut, 60.0),
        Fault("broker-pause", "the broker stopped (SIGSTOP) for 10 s, then resumed (SIGCONT)", _broker_pause, 10.0),
        Fault("broker-restart", "the broker killed and started again (memory storage: its topics start empty)",
              _broker_restart),
    )
}
FAST_SERVICES = ("ledgers", "units")
"""The fast part's deployment: the two services the load uses (and their relays); soak runs all four."""
FAST = ("kill-service", "kill-policy-runner", "kill-relay", "kill-projector", "kill-gateway")
SOAK = ("db-cut-20s", "broker-pause", "broker-restart", "db-cut-5s", "kill-relay-ledgers", "kill-service",
        "kill-policy-runner", "kill-relay", "kill-projector", "kill-gateway", "db-cut-60s", "concurrent-ledger-writes",
        "kill-any-service", "kill-any-relay", "kill-any-projector", "kill-every-kind")
"""The long run: the database cuts and broker faults, and kill -9 of every process kind (named and at random)."""
KILLS = tuple(name for name in SOAK if name.startswith("kill-"))


def run_fault(nodes: Cluster, history: History, fault: Fault, rng: random.Random, load_before: tuple[float, float],
              load_after: float, settle_timeout: float) -> Verdict:
    """Load; the fault at a random moment; more load; settle; check."""
    run_id = uuid.uuid4().hex[:6]
    outcomes = Outcomes(run_id=run_id)
    manual_before, killed_before = len(nodes.manual_restarts), len(nodes.killed)
    nodes.rng.seed(rng.random())
    with Load(nodes.api, outcomes, run_id, same_ledger=fault.same_ledger):
        time.sleep(rng.uniform(*load_before))  # a random moment under load
        fault.apply(nodes, fault.hold)
        time.sleep(load_after)
    problems: list[str] = []
    lost, duplicated, settle_problems, settled_in = check(nodes, history, outcomes, settle_timeout)
    for name in nodes.hung():
        problems.append(f"{name} does not answer its health check")
        nodes.restart_by_hand(name, f"hung after {fault.name}")
    if duplicated:
        problems += [p for p in settle_problems if "more than once" in p]
        settle_problems = [p for p in settle_problems if "more than once" not in p]
    if settle_problems:
        # something did not move by itself: the operator restarts what carries events (relays, projectors, the
        # service whose policy runner opens directives), then looks again; what is still missing is lost
        problems += [f"within {settle_timeout:.0f}s: {p}" for p in settle_problems]
        for name in [n for n in nodes.nodes if n.startswith(("relay-", "project-"))] + ["service-ledgers"]:
            nodes.restart_by_hand(name, f"{fault.name} left the system unsettled")
        wait_healthy(f"{nodes.base}/healthz", 120)
        lost, duplicated, after_restart, _ = check(nodes, history, outcomes, settle_timeout)
        problems += [f"after restarting by hand: {p}" for p in after_restart if "more than once" not in p]
    code, report = verify(nodes)
    if code != 0:
        problems.append(f"paizhu verify exited {code}: {report[-500:]}")
    manual = nodes.manual_restarts[manual_before:]
    if not settle_problems:
        problems += [f"manual restart: {m}" for m in manual]
    survived = not problems
    killed = nodes.killed[killed_before:]
    return Verdict(f"{fault.name} ({', '.join(killed)})" if killed else fault.name, survived, sum(map(len, outcomes.accepted.values())), lost, duplicated, len(manual),
                   len(outcomes.unanswered), round(settled_in, 1), problems)


def run(faults: tuple[str, ...], load_before: tuple[float, float] = (1.0, 3.0), load_after: float = 4.0,
        settle_timeout: float = 60.0, seed: int | None = None, write: bool = True,
        services: tuple[str, ...] | None = None, workdir: Path | None = None,
        on_verdict: Callable[[Verdict], None] | None = None) -> dict[str, Any]:
    seed = seed if seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    verdicts: list[Verdict] = []
    with cluster(workdir=workdir, services=services) as nodes:
        history = History(nodes.direct_env, nodes.rebuild_db)
        try:
            for name in faults:
                verdict = run_fault(nodes, history, FAULTS[name], rng, load_before, load_after, settle_timeout)
                verdicts.append(verdict)
                print(f"{verdict.fault}: {'survived' if verdict.survived else 'NOT survived'} "
                      f"({verdict.accepted} commands answered 2xx) {'; '.join(verdict.problems)[:400]}", flush=True)
                if write:  # as it goes, so that a run cut short still leaves its figures
                    write_report(summary(verdicts, seed))
                if on_verdict:
                    on_verdict(verdict)
        finally:
            history.close()
    report = summary(verdicts, seed)
    if write:
        write_report(report)
    print_table(verdicts)
    return report


def summary(verdicts: list[Verdict], seed: int | None = None) -> dict[str, Any]:
    return {
        "faults": len(verdicts),
        "survived": sum(v.survived for v in verdicts),
        "lost": sum(v.lost for v in verdicts),
        "duplicated": sum(v.duplicated for v in verdicts),
        "manual_restarts": sum(v.manual_restarts for v in verdicts),
        "seed": seed,
        "measured_on": date.today().isoformat(),
        "detail": [asdict(v) for v in verdicts],
    }


def write_report(report: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reliability.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def print_table(verdicts: list[Verdict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Paizhu under faults (distributed mode, steady command load)")
    for column in ("fault", "survived", "2xx", "lost", "doubled", "manual", "no answer", "settled s", "problems"):
        table.add_column(column)
    for v in verdicts:
        table.add_row(v.fault, "yes" if v.survived else "NO", str(v.accepted), str(v.lost), str(v.duplicated),
                      str(v.manual_restarts), str(v.unanswered), str(v.settle_seconds), "; ".join(v.problems)[:300])
    Console(width=200).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--soak", action="store_true", help="every fault, with longer load around each")
    parser.add_argument("--faults", nargs="*", choices=sorted(FAULTS), help="these faults, in this order")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--workdir", type=Path, help="keep each process's log here (default: a temporary directory)")
    args = parser.parse_args()
    if args.soak:
        report = run(tuple(args.faults or SOAK), load_before=(2.0, 8.0), load_after=10.0, settle_timeout=45.0,
                     seed=args.seed, workdir=args.workdir)
    else:
        report = run(tuple(args.faults or FAST), seed=args.seed, services=FAST_SERVICES, workdir=args.workdir)
    print(json.dumps({k: report[k] for k in ("faults", "survived", "lost", "duplicated", "manual_restarts")}))
    sys.exit(0 if report["survived"] == report["faults"] else 1)


if __name__ == "__main__":
    main()
