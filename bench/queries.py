"""Read-side query latency: the HQ dashboard, the group workbench and the directives list at 50 concurrent
readers through a running gateway, against the same SQL issued straight through psycopg in the same run.

Data: a mid-size commission generated through the ledgers application (embedded stores, read models in
PostgreSQL): GROUPS groups × DIRECTIVES directives each, every directive with 0–5 stages, a stage deadline
and two items (some with progress, some overdue once the scheduler ran). The commission-scale generator
(bench/scale.py, issue #11) replaces this generator once it is on main. The unit portal (its to-do list) is
measured too since it reached main.

`query_p99_ms`: p99 over every request of the reads (each reader loops over them) through the gateway
(uvicorn in its own process, httpx clients in threads). `raw_query_p99_ms`: the statements those routes
issue (captured from the same view functions, same principals), replayed by 50 threads through a psycopg
pool of the gateway's read-model pool size, one transaction per read like the route. Target: query_p99_ms
under 100 ms and within 5× of raw_query_p99_ms.

`python -m bench.queries` (also run by `python -m bench.run`); writes bench/results/queries.json.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg

from authz import Principal
from authz.filters import read_filter
from bench.support import create_database, drop_database, free_port, pg_dsn, run_cli, wait_port
from gateway.accounts import DEMO_PASSWORD
from projections.common.db import DEFAULT_POOL_SIZE, Database, Tx
from projections.common.query import PageRequest, positions
from projections.group_workbench import view as workbench
from projections.hq_dashboard import view as dashboard
from projections.unit_portal import view as portal
from services.common.clock import ManualClock, beijing_date
from services.common.context import CommandContext

RESULTS = Path(__file__).parent / "results" / "queries.json"
GROUPS = int(os.environ.get("PAIZHU_BENCH_QUERY_GROUPS", "100"))
DIRECTIVES = int(os.environ.get("PAIZHU_BENCH_QUERY_DIRECTIVES", "30"))
READERS = int(os.environ.get("PAIZHU_BENCH_QUERY_READERS", "50"))
SECONDS = float(os.environ.get("PAIZHU_BENCH_QUERY_SECONDS", "30"))
POOL = int(os.environ.get("PAIZHU_READ_MODEL_POOL_SIZE", DEFAULT_POOL_SIZE))
"""The gateway's read-model pool (the setting `read_model_pool_size`, given to the server); the raw replay uses
the same."""
LOAD: dict[str, list[float]] = {}
"""The load average (1, 5, 15 min) before and after the measured part."""
STAGES = ("relay_study", "deployment", "plan", "execution", "result_evaluation")
START = datetime(2025, 1, 2, 1, 0, tzinfo=UTC)

HQ = Principal(user_id="chen.hq", name="陈静", org_id="hq", org_kind="hq", roles=frozenset({"hq_staff"}))
UNIT_USER = Principal(user_id="zhao.unit", name="赵磊", org_id="unit-mee", org_kind="unit",
                      roles=frozenset({"unit_liaison"}), unit_id="unit-mee")
STAFF = Principal(user_id="zhang.wei", name="张伟", org_id="group-mee", org_kind="group",
                  roles=frozenset({"group_staff"}), group_id="group-mee",
                  supervised_unit_ids=frozenset({"unit-mee"}))

READS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "hq_dashboard": ("chen.hq", "/api/hq/dashboard", {}),
    "workbench": ("zhang.wei", "/api/ledgers/workbench", {}),
    "directives_hq": ("chen.hq", "/api/ledgers/directives", {"limit": 50}),
    "directives_group": ("zhang.wei", "/api/ledgers/directives", {"limit": 50}),
    "unit_portal": ("zhao.unit", "/api/units/portal/todo", {"limit": 50}),
}
"""What each reader asks, as (user, path, query): the HQ's dashboard and master ledger over every group, a group
member's workbench and master ledger, a unit's to-do list (unit portal)."""


def _groups() -> list[tuple[str, str]]:
    """(group, unit) pairs: the demo's two (so the demo accounts read them) and generated ones."""
    named = [("group-mee", "unit-mee"), ("group-mwr", "unit-mwr")]
    return (named + [(f"group-b{n:03d}", f"unit-b{n:03d}") for n in range(len(named), GROUPS)])[:GROUPS]


def generate(platform: Any, clock: ManualClock) -> int:
    """Record the commission through the ledgers application; the number of events it published."""
    app = platform.apps["ledgers"]
    rng = random.Random(11)
    for g, (group_id, unit_id) in enumerate(_groups()):
        with app.acting(CommandContext(actor={"user": "bench", "org": group_id, "role": "group_staff"})):
            for n in range(DIRECTIVES):
                received = date(2025, 1, 2) + timedelta(days=(n * 11 + g) % 300)
                directive_id = app.register_directive(
                    group_id=group_id, unit_id=unit_id, reference_number=f"基准〔2025〕{g:03d}-{n:03d}号",
                    issuer="中共中央办公厅", title=f"关于第{n}项重点工作的批示（{group_id}）", issued_on=received,
                    received_on=received, lead_department="办公厅")["directive_id"]
                done = rng.randint(0, len(STAGES))
                for s, stage in enumerate(STAGES[:done]):
                    app.record_stage(directive_id, stage, received + timedelta(days=3 * (s + 1)), "记录", "部党组")
                if done < len(STAGES):
                    app.set_stage_deadline(directive_id=directive_id, stage=STAGES[done],
                                           deadline=received + timedelta(days=3 * (done + 1) + 20))
                for kind in ("task", "responsibility"):
                    item_id = app.add_item(directive_id=directive_id, list_kind=kind, title=f"{kind} {n}",
                                           owner="综合司", follower="zhou.min" if n % 3 == 0 else "zhang.wei",
                                           deadline=received + timedelta(days=rng.randint(20, 400)))["item_id"]
                    if rng.random() < 0.5:
                        app.update_item_progress(item_id=item_id, status="in_progress", summary="推进中")
    clock.set(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    app.run_scheduled()  # stage and item deadlines passed by now: Overdue events, as the scheduler records them
    platform.sync()
    return int(app.max_position())


class Recording(Tx):
    """A transaction that remembers the statements it is given (to replay them raw)."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.statements: list[tuple[str, tuple[Any, ...]]] = []

    def execute(self, sql: str, params: Any = ()) -> None:
        self.statements.append((sql, tuple(params)))
        self.tx.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> None:
        raise NotImplementedError

    def fetchall(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        self.statements.append((sql, tuple(params)))
        return self.tx.fetchall(sql, params)


def captured_sql(db: Database, today: date) -> dict[str, list[tuple[str, tuple[Any, ...]]]]:
    """The statements each read issues: the routes' view functions, their principals, their positions read."""
    reads: dict[str, tuple[str, Callable[[Tx], Any]]] = {
        "hq_dashboard": ("hq_dashboard", lambda tx: dashboard.figures(tx, HQ, None, None)),
        "workbench": ("group_workbench", lambda tx: [
            workbench.queue(tx, STAFF, name, today, PageRequest(limit=5)) for name in workbench.QUEUES]),
        "directives_hq": ("group_workbench", lambda tx: workbench.directives(
            tx, HQ, workbench.DirectiveFilters(), workbench.DIRECTIVE_SORTS["-received_on"], PageRequest(limit=50))),
        "directives_group": ("group_workbench", lambda tx: workbench.directives(
            tx, STAFF, workbench.DirectiveFilters(), workbench.DIRECTIVE_SORTS["-received_on"],
            PageRequest(limit=50))),
        "unit_portal": ("unit_portal", lambda tx: portal.todo_page(
            tx, read_filter(UNIT_USER, portal.TODO_COLUMNS_OF), PageRequest(limit=50), portal.TODO_SORTS["due_on"],
            statuses=portal.PENDING)),
    }
    found = {}
    for name, (projection, query) in reads.items():
        with db.transaction() as tx:
            recording = Recording(tx)
            query(recording)
            positions(recording, projection)
            found[name] = recording.statements
    return found


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0


def run_readers(read: Callable[[int, str], None], names: list[str]) -> tuple[dict[str, list[float]], int]:
    """READERS threads, each looping over the reads until SECONDS passed; latencies in ms per read."""
    latencies: dict[str, list[float]] = {name: [] for name in names}
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def reader(number: int) -> None:
        turn = number
        while time.monotonic() < stop:
            name = names[turn % len(names)]
            turn += 1
            started = time.perf_counter()
            try:
                read(number, name)
            except Exception:
                with lock:
                    errors[0] += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies[name].append(elapsed)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def through_gateway(base_url: str) -> tuple[dict[str, list[float]], int]:
    tokens = {}
    with httpx.Client(base_url=base_url, timeout=30) as login:
        for user in {user for user, _, _ in READS.values()}:
            answered = login.post("/api/session/login", json={"user_id": user, "password": DEMO_PASSWORD})
            answered.raise_for_status()
            tokens[user] = answered.json()["access_token"]
    clients = [httpx.Client(base_url=base_url, timeout=30) for _ in range(READERS)]

    def read(number: int, name: str) -> None:
        user, path, params = READS[name]
        answered = clients[number].get(path, params=params, headers={"Authorization": f"Bearer {tokens[user]}"})
        if answered.status_code != 200 or answered.headers.get("X-Paizhu-Stale") == "true":
            raise RuntimeError(f"{name}: {answered.status_code}")

    for name in READS:  # warm-up: one of each
        read(0, name)
    try:
        return run_readers(read, list(READS))
    finally:
        for client in clients:
            client.close()


def raw(dsn: str, statements: dict[str, list[tuple[str, tuple[Any, ...]]]]) -> tuple[dict[str, list[float]], int]:
    from psycopg_pool import ConnectionPool

    with ConnectionPool(dsn, min_size=POOL, max_size=POOL, open=True) as pool:
        def read(_number: int, name: str) -> None:
            with pool.connection() as connection, connection.transaction(), connection.cursor() as cursor:
                for sql, params in statements[name]:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        return run_readers(read, list(statements))


def summary(latencies: dict[str, list[float]]) -> dict[str, Any]:
    every = [v for values in latencies.values() for v in values]
    return {"p50_ms": round(statistics.median(every), 2) if every else None, "p99_ms": round(p99(every), 2),
            "requests": len(every),
            "per_read": {name: {"p50_ms": round(statistics.median(v), 2) if v else None, "p99_ms": round(p99(v), 2),
                                "requests": len(v)} for name, v in latencies.items()}}


def prepare(data_dir: Path, dsn: str) -> tuple[int, dict[str, list[tuple[str, tuple[Any, ...]]]]]:
    """Generate the commission into `data_dir` and the read models at `dsn`; the events, the captured SQL."""
    from paizhu.platform import Platform
    from paizhu.settings import Settings

    settings = Settings(mode="embedded", data_dir=data_dir, read_model_url=dsn, demo=False, log_level="WARNING")
    clock = ManualClock(START)
    platform = Platform(settings, clock=clock)
    try:
        if platform.apps["ledgers"].max_position() == 0:
            started = time.perf_counter()
            events = generate(platform, clock)
            print(f"generated {events} events ({GROUPS} groups × {DIRECTIVES} directives) in "
                  f"{time.perf_counter() - started:.0f} s")
        platform.gateway_runtime()  # records the built-in accounts once (the server then reads them)
        # the deadlines passed by today, recorded and projected now: the server, which checks them as it starts,
        # then has nothing left to catch up while it is measured
        clock.set(max(datetime.now(UTC), clock.now()))
        platform.run_schedulers()
        platform.sync()
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")  # what autovacuum does to a model built in one go (not measured)
        return int(platform.apps["ledgers"].max_position()), captured_sql(platform.read_db,
                                                                          beijing_date(datetime.now(UTC)))
    finally:
        platform.stop()


def measure(data_dir: Path, dsn: str, statements: dict[str, list[tuple[str, tuple[Any, ...]]]]
            ) -> tuple[tuple[dict[str, list[float]], int], tuple[dict[str, list[float]], int]]:
    LOAD["before"] = [round(v, 2) for v in os.getloadavg()]  # the machine may be shared: its load goes with them
    port = free_port()
    env = {"PAIZHU_READ_MODEL_URL": dsn, "PAIZHU_DEMO": "false", "PAIZHU_LOG_LEVEL": "WARNING",
           "PAIZHU_SCHEDULER_INTERVAL_SECONDS": "86400", "PAIZHU_CHECKPOINT_INTERVAL_SECONDS": "86400",
           "PAIZHU_READ_MODEL_POOL_SIZE": str(POOL)}
    server = run_cli(env, "serve", "--port", str(port), "--data-dir", str(data_dir))
    try:
        wait_port(port, timeout=120)
        ours = through_gateway(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    ceiling = raw(dsn, statements)
    LOAD["after"] = [round(v, 2) for v in os.getloadavg()]
    return ours, ceiling


def main(metric: Callable[[str, float, str], None] | None = None) -> dict[str, Any]:
    """`PAIZHU_BENCH_QUERY_KEEP=<dir>` keeps the generated data there (and its database) and reuses it next time."""
    kept = os.environ.get("PAIZHU_BENCH_QUERY_KEEP")
    if kept:
        data_dir = Path(kept)
        data_dir.mkdir(parents=True, exist_ok=True)
        named = data_dir / "dbname"
        if not named.exists():
            named.write_text(create_database("paizhu_bench_queries_"))
        dsn = pg_dsn(named.read_text().strip())
        events, statements = prepare(data_dir, dsn)
        (ours, our_errors), (ceiling, raw_errors) = measure(data_dir, dsn, statements)
    else:
        dbname = create_database("paizhu_bench_queries_")
        dsn = pg_dsn(dbname)
        try:
            with tempfile.TemporaryDirectory(prefix="paizhu-bench-queries-") as temporary:
                events, statements = prepare(Path(temporary), dsn)
                (ours, our_errors), (ceiling, raw_errors) = measure(Path(temporary), dsn, statements)
        finally:
            drop_database(dbname)
    result: dict[str, Any] = {
        "data": {"groups": GROUPS, "directives_per_group": DIRECTIVES, "events": events,
                 "generator": "bench/queries.py (through the ledgers application; bench/scale.py not on main)"},
        "readers": READERS, "seconds_per_side": SECONDS, "pool": POOL,
        "gateway": {"mode": "embedded", "workers": 1,
                    "note": "`paizhu serve`: one process (the embedded stores live in it), one event loop; the "
                            "distributed gateway's `gateway_workers` does not apply"},
        "load_average": LOAD,
        "reads": {name: {"user": user, "path": path, "params": params} for name, (user, path, params) in READS.items()},
        "query": summary(ours) | {"errors": our_errors},
        "raw_query": summary(ceiling) | {"errors": raw_errors},
    }
    result["ratio_p99"] = round(result["query"]["p99_ms"] / max(result["raw_query"]["p99_ms"], 0.001), 2)
    report = metric or (lambda name, value, unit: print(f"  {name}: {value:,.1f} {unit}"))
    report("query_p99_ms", result["query"]["p99_ms"], "ms")
    report("raw_query_p99_ms", result["raw_query"]["p99_ms"], "ms")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"written {RESULTS}")
    return result


if __name__ == "__main__":
    main()
