"""The load run: concurrent clients mixing commands and reads against the distributed mode, for a bounded time.

Each client loops over a weighted mix of endpoints (a directive registered, a unit's notification, the HQ
dashboard, the group's directive list) through the gateway until the time is up. Reports p50/p99 latency per
endpoint, the error rate (any answer that is not 2xx, and no answer) and each process's resident memory at the
start and the end. Writes bench/results/load.json and prints a table.

`python -m bench.load --clients 50 --seconds 120` (make soak); `--seconds 10` is the short run of make reliability.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from bench.reliability import (
    GROUP,
    OTHER_STAFF,
    RESULTS,
    STAFF,
    UNIT,
    UNIT_USER,
    Cluster,
    cluster,
    directive_body,
    notification_body,
)

HQ = "chen.hq"


@dataclass(frozen=True)
class Endpoint:
    name: str
    weight: int
    request: Callable[[str], tuple[str, str, str, dict[str, Any]]]
    """reference -> (method, path, user, httpx keyword arguments)"""


ENDPOINTS = (
    Endpoint("POST /api/ledgers/directives", 3,
             lambda ref: ("POST", "/api/ledgers/directives", OTHER_STAFF, {"json": directive_body(ref)})),
    Endpoint("POST /api/units/units/{unit}/inbound/directive-notifications", 2,
             lambda ref: ("POST", f"/api/units/units/{UNIT}/inbound/directive-notifications", UNIT_USER,
                          {"json": notification_body(ref)})),
    Endpoint("GET /api/hq/dashboard", 3, lambda ref: ("GET", "/api/hq/dashboard", HQ, {})),
    Endpoint("GET /api/ledgers/directives", 2,
             lambda ref: ("GET", "/api/ledgers/directives", STAFF, {"params": {"group_id": GROUP}})),
)


@dataclass
class Samples:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {e.name: [] for e in ENDPOINTS})
    errors: dict[str, dict[str, int]] = field(default_factory=lambda: {e.name: {} for e in ENDPOINTS})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, endpoint: str, seconds: float, outcome: str | None) -> None:
        with self.lock:
            self.latencies[endpoint].append(seconds)
            if outcome is not None:
                self.errors[endpoint][outcome] = self.errors[endpoint].get(outcome, 0) + 1


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def client(nodes: Cluster, samples: Samples, until: float, seed: int, run_id: str, number: int) -> None:
    rng = random.Random(seed)
    http = httpx.Client(base_url=nodes.base, timeout=35)
    weights = [e.weight for e in ENDPOINTS]
    n = 0
    try:
        while time.monotonic() < until:
            endpoint = rng.choices(ENDPOINTS, weights)[0]
            n += 1
            method, path, user, kwargs = endpoint.request(f"负载〔{run_id}〕{number}-{n}号")
            headers = nodes.tokens.headers(user)
            if method == "POST":
                headers["Idempotency-Key"] = str(uuid.uuid4())
            started = time.monotonic()
            outcome: str | None
            try:
                response = http.request(method, path, headers=headers, **kwargs)
                outcome = None if 200 <= response.status_code < 300 else str(response.status_code)
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            samples.add(endpoint.name, time.monotonic() - started, outcome)
    finally:
        http.close()


def run(clients: int = 50, seconds: float = 10.0, seed: int | None = None, write: bool = True,
        deployment: Cluster | None = None) -> dict[str, Any]:
    """The load run on `deployment`, or on a deployment of its own (every process of the distributed mode)."""
    if deployment is None:
        with cluster() as nodes:
            return run(clients, seconds, seed, write, nodes)
    nodes = deployment
    seed = seed if seed is not None else random.randrange(1 << 30)
    samples = Samples()
    run_id = uuid.uuid4().hex[:6]
    exited_before = len(nodes.manual_restarts)
    rss_start = nodes.rss()
    until = time.monotonic() + seconds
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(nodes, samples, until, seed + i, run_id, i), daemon=True)
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.monotonic() - started
    rss_end = nodes.rss()
    exited = nodes.manual_restarts[exited_before:]
    endpoints: dict[str, dict[str, Any]] = {}
    for name, values in samples.latencies.items():
        failed = sum(samples.errors[name].values())
        endpoints[name] = {
            "requests": len(values),
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p99_ms": round(percentile(values, 99) * 1000, 1),
            "errors": failed,
            "error_kinds": samples.errors[name],
        }
    total = sum(e["requests"] for e in endpoints.values())
    failed_total = sum(e["errors"] for e in endpoints.values())
    report = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1) if elapsed else 0.0,
        "error_rate": round(failed_total / total, 4) if total else 0.0,
        "endpoints": endpoints,
        "rss_kib": {name: {"start": rss_start.get(name), "end": rss_end.get(name)} for name in rss_start},
        "processes_exited_by_themselves": exited,
        "seed": seed,
        "measured_on": date.today().isoformat(),
    }
    if write:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "load.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print_table(report)
    return report


def print_table(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=160)
    table = Table(title=f"{report['clients']} clients for {report['seconds']} s: {report['requests']} requests, "
                        f"{report['requests_per_second']}/s, error rate {report['error_rate']:.2%}")
    for column in ("endpoint", "requests", "p50 ms", "p99 ms", "errors"):
        table.add_column(column)
    for name, e in report["endpoints"].items():
        table.add_row(name, str(e["requests"]), str(e["p50_ms"]), str(e["p99_ms"]),
                      f"{e['errors']} {e['error_kinds'] or ''}")
    console.print(table)
    memory = Table(title="resident memory (MiB)")
    for column in ("process", "start", "end"):
        memory.add_column(column)
    for name, rss in report["rss_kib"].items():
        memory.add_row(name, f"{(rss['start'] or 0) / 1024:.0f}", f"{(rss['end'] or 0) / 1024:.0f}")
    console.print(memory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    report = run(args.clients, args.seconds, args.seed)
    print(json.dumps({k: report[k] for k in ("clients", "seconds", "requests", "error_rate")}))


if __name__ == "__main__":
    main()
