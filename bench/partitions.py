"""Projection throughput on one partition and on three (three projector processes in one consumer group), and
the relay per partition, in the same run. Part of `make bench` (bench/run.py); alone:
`python -m bench.partitions` (its own broker and database; PAIZHU_BENCH_EVENTS events).

A projector here is a process of its own (`python -m bench.partitions worker …`: the feed and runner of
`paizhu project`, and a clock): three threads in one process would share one interpreter lock. Each worker
imports everything, waits for the go file, joins the group and projects until the read model covers the last
event; it prints when it applied its first and its last batch. The aggregate throughput is the events over the
time from the first batch of any worker to the last batch of all (the group's joins and rebalances count).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from events.topics import topic_for

TOPIC = topic_for("ledgers")


def worker(dsn: str, bootstrap: str, partitions: int, target: int, go: str) -> None:
    """One projector of the hq_dashboard read model; prints {"first", "last", "events"} (wall clock)."""
    from events.catalog import load_all
    from projections.common.db import PostgresDatabase
    from projections.hq_dashboard.projection import HqDashboard
    from runtime.projection_feeds import KafkaFeed
    from runtime.projection_runner import ProjectionRunner

    load_all()
    runner = ProjectionRunner(HqDashboard(), PostgresDatabase(dsn))
    runner.setup()
    while not os.path.exists(go):
        time.sleep(0.01)
    times: list[float] = []
    events = [0]
    process = runner.process

    def timed(items: Any, *args: Any, **kwargs: Any) -> int:
        applied = process(items, *args, **kwargs)
        times.append(time.time())
        events[0] += len(items)
        return applied

    runner.process = timed  # type: ignore[method-assign]
    feed = KafkaFeed(runner, bootstrap, [TOPIC], partitions=partitions,
                     group="bench.projector" if partitions > 1 else None)
    stop = threading.Event()
    thread = threading.Thread(target=feed.run, args=(stop,), daemon=True)
    thread.start()
    while runner.positions().get("ledgers", 0) < target and thread.is_alive():
        time.sleep(0.02)
    stop.set()
    thread.join(timeout=30)
    print(json.dumps({"first": times[0] if times else None, "last": times[-1] if times else None,
                      "events": events[0]}), flush=True)


def project(dsn: str, bootstrap: str, partitions: int, processes: int, target: int, events: int,
            tmp: Path) -> float:
    """Events per second of `processes` projectors on a topic of `partitions`, from a reset read model."""
    from projections.common.db import PostgresDatabase
    from projections.hq_dashboard.projection import HqDashboard
    from runtime.projection_runner import ProjectionRunner

    runner = ProjectionRunner(HqDashboard(), PostgresDatabase(dsn))
    runner.reset()
    runner.db.close()
    go = tmp / f"go-{partitions}-{processes}"
    go.unlink(missing_ok=True)
    workers = [subprocess.Popen([sys.executable, "-m", "bench.partitions", "worker", dsn, bootstrap,
                                 str(partitions), str(target), str(go)], stdout=subprocess.PIPE,
                                env={**os.environ, "PAIZHU_LOG_LEVEL": "WARNING"})
               for _ in range(processes)]
    time.sleep(8.0)  # every worker has imported what it needs (the machine is shared: generously)
    go.touch()
    reports = []
    for process in workers:
        out, _ = process.communicate(timeout=600)
        reports.append(json.loads(out.decode().strip().splitlines()[-1]))
    firsts = [r["first"] for r in reports if r["first"] is not None]
    lasts = [r["last"] for r in reports if r["last"] is not None]
    return events / (max(lasts) - min(firsts))


def relay_all(app: Any, bootstrap: str, partitions: int) -> float:
    """Publish the whole log to a topic of `partitions` (made here) with the relay; events per second."""
    from events.kafka import ensure_topics
    from runtime.relay import Relay, kafka_producer

    class FromZero(Relay):  # the store's saved relay position belongs to the other broker's topic
        saved = 0

        def position(self) -> int:
            return self.saved

        def save_position(self, position: int) -> None:
            self.saved = position

    ensure_topics(bootstrap, [TOPIC], partitions)
    relay = FromZero(app, kafka_producer(bootstrap), batch=5000, partitions=partitions)
    started = time.perf_counter()
    published = 0
    while count := relay.run_once():
        published += count
    elapsed = time.perf_counter() - started
    relay.producer.close()
    return published / elapsed


def bench_partitions(app: Any, dsn: str, events: int, metric: Callable[[str, float, str], None]) -> None:
    """The store `app` holds `events` published events (seeded by bench/run.py)."""
    import tempfile

    from bench.support import start_broker

    envelopes, _ = app.integration_events(0, events + 10)
    target = envelopes[-1].position  # what the read model covers once it has applied every event
    tmp = Path(tempfile.mkdtemp(prefix="paizhu-bench-partitions-"))
    load = os.getloadavg()
    rates = {}
    for partitions, processes in ((1, 1), (3, 3)):
        broker, bootstrap = start_broker()
        try:
            relayed = relay_all(app, bootstrap, partitions)
            metric(f"relay_events_per_s_{partitions}p", relayed, "events/s")
            rate = project(dsn, bootstrap, partitions, processes, target, events, tmp)
            metric(f"projection_events_per_s_{partitions}p", rate, "events/s")
            rates[partitions] = rate
        finally:
            broker.terminate()
            broker.wait(timeout=10)
    metric("projection_scale_3p_over_1p", rates[3] / rates[1], "x")
    metric("load_average_1m_at_start", load[0], "")


def main() -> None:
    """Alone: a broker, a database and PAIZHU_BENCH_EVENTS events; prints and writes bench/results/partitions.json."""
    from bench.run import EVENTS, seed_directives, settings_for
    from bench.support import create_database, drop_database, pg_dsn, start_broker
    from events.catalog import load_all
    from paizhu.services import build_app

    load_all()
    results: dict[str, dict[str, Any]] = {}

    def metric(name: str, value: float, unit: str) -> None:
        results[name] = {"value": round(value, 2), "unit": unit}
        print(f"  {name}: {value:,.2f} {unit}", flush=True)

    dbname = create_database("paizhu_bench_")
    broker, bootstrap = start_broker()  # unused by the measures; the settings need one
    try:
        settings, keys = settings_for(dbname, bootstrap)
        app = build_app(settings, keys, "ledgers")
        print(f"seeding {EVENTS} events into PostgreSQL …", flush=True)
        seed_directives(app, EVENTS)
        bench_partitions(app, pg_dsn(dbname), EVENTS, metric)
        app.close()
    finally:
        broker.terminate()
        drop_database(dbname)
    path = Path(__file__).parent / "results" / "partitions.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"metrics": results, "events": EVENTS, "cpus": os.cpu_count()}, indent=2) + "\n")
    print(f"written {path}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        dsn, bootstrap, partitions, target, go = sys.argv[2:7]
        worker(dsn, bootstrap, int(partitions), int(target), go)
    else:
        main()
