"""`make bench`: Paizhu's hot paths against their raw ceilings, measured in the same run.

Prints a table and writes bench/results/latest.json ({"metrics": {name: {"value", "unit"}}}).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import statistics
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table

from bench import queries as bench_queries
from bench import support
from bench.partitions import bench_partitions
from bench.support import create_database, drop_database, pg_dsn, pg_env, run_cli, start_broker
from events.catalog import load_all
from events.kafka import PRODUCER_SETTINGS, ensure_topics
from events.topics import topic_for
from paizhu.keys import Keys
from paizhu.services import build_app
from paizhu.settings import Settings
from projections.common.db import PostgresDatabase
from projections.hq_dashboard.projection import HqDashboard
from runtime.projection_feeds import KafkaFeed, LogFollower
from runtime.projection_runner import ProjectionRunner
from runtime.relay import Relay, kafka_producer
from services.common.context import CommandContext, command_context
from services.ledgers.domainmodel import Directive

RESULTS = Path(__file__).parent / "results" / "latest.json"
EVENTS = int(os.environ.get("PAIZHU_BENCH_EVENTS", "20000"))
console = Console()
metrics: dict[str, dict[str, Any]] = {}


def metric(name: str, value: float, unit: str) -> None:
    metrics[name] = {"value": round(value, 2), "unit": unit}
    console.print(f"  {name}: {value:,.1f} {unit}")


def settings_for(dbname: str, bootstrap: str) -> tuple[Settings, Keys]:
    from events.sealed import generate_keypair
    from paizhu.keys import _new_ed25519

    settings = Settings(mode="distributed", pg_host=support.PG_HOST, pg_port=support.PG_PORT,
                        pg_user=support.PG_USER, pg_password=support.PG_PASSWORD, pg_dbname=dbname,
                        kafka_bootstrap=bootstrap)
    keys = Keys(cipher={"clues": base64.b64encode(secrets.token_bytes(32)).decode()},
                checkpoint_signing=_new_ed25519(), token_signing=secrets.token_urlsafe(32),
                clues_sealing_private=generate_keypair()[0])
    return settings, keys


def bench_env(dbname: str, bootstrap: str, keys: Keys) -> dict[str, str]:
    """The environment of the relay and projector processes (same database, broker and keys)."""
    return {
        "PAIZHU_MODE": "distributed", **pg_env(dbname),
        "PAIZHU_KAFKA_BOOTSTRAP": bootstrap, "PAIZHU_CIPHER_KEYS": json.dumps(keys.cipher),
        "PAIZHU_CHECKPOINT_SIGNING_KEY": keys.checkpoint_signing, "PAIZHU_TOKEN_SIGNING_KEY": keys.token_signing,
        "PAIZHU_CLUES_SEALING_PRIVATE_KEY": keys.clues_sealing_private, "PAIZHU_LOG_LEVEL": "WARNING",
        "PAIZHU_CHECKPOINT_INTERVAL_SECONDS": "3600",
    }


def seed_directives(app: Any, count: int) -> None:
    """Directives recorded straight through the domain model in batches (set-up, not measured)."""
    context = CommandContext(actor={"user": "bench", "org": "group-mee", "role": "group_staff"})
    with command_context(context):
        batch = []
        for n in range(count):
            batch.append(Directive(
                group_id=f"group-{n % 7}", unit_id=f"unit-{n % 13}", reference_number=f"环发〔2025〕{n}号",
                issuer="生态环境部", title=f"关于推进生态环境保护重点工作的通知（第{n}号）" + "。" * 40,
                issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3), lead_department="综合司",
                category=None, tied_to_duties=False))
            if len(batch) == 500:
                app.save(*batch)
                batch = []
        if batch:
            app.save(*batch)


def bench_relay(app: Any, bootstrap: str) -> list[bytes]:
    console.print("[bold]relay vs raw producer[/]")
    topic = topic_for("ledgers")
    ensure_topics(bootstrap, [topic, "bench.raw.v1"])
    relay = Relay(app, kafka_producer(bootstrap), batch=5000)
    started = time.perf_counter()
    while relay.run_once():
        pass
    elapsed = time.perf_counter() - started
    metric("relay_events_per_s", EVENTS / elapsed, "events/s")
    relay.producer.close()
    envelopes, _ = app.integration_events(0, EVENTS + 10)
    messages = [(e.stream_id.encode(), e.to_bytes()) for e in envelopes]
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=bootstrap, **PRODUCER_SETTINGS)
    started = time.perf_counter()
    futures = [producer.send("bench.raw.v1", key=k, value=v, headers=[("traceparent", b"")]) for k, v in messages]
    producer.flush()
    for future in futures:
        future.get(timeout=30)
    elapsed = time.perf_counter() - started
    producer.close()
    metric("raw_producer_events_per_s", len(messages) / elapsed, "events/s")
    console.print(f"  average message: {sum(len(v) for _, v in messages) / len(messages):.0f} bytes")
    return [v for _, v in messages]


def bench_projection(bootstrap: str, dsn: str) -> None:
    console.print("[bold]Kafka projection vs raw consumer[/]")
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                             max_partition_fetch_bytes=8 * 1024 * 1024, fetch_max_bytes=64 * 1024 * 1024)
    tp = TopicPartition(topic_for("ledgers"), 0)
    consumer.assign([tp])
    consumer.seek_to_beginning(tp)
    count = 0
    started = time.perf_counter()
    while count < EVENTS:
        for batch in consumer.poll(timeout_ms=500, max_records=5000).values():
            for message in batch:
                json.loads(message.value)
                count += 1
    elapsed = time.perf_counter() - started
    consumer.close()
    metric("raw_consumer_events_per_s", count / elapsed, "events/s")

    runner = ProjectionRunner(HqDashboard(), PostgresDatabase(dsn))
    runner.reset()
    started = time.perf_counter()
    processed = KafkaFeed(runner, bootstrap, [topic_for("ledgers")]).run(threading.Event(), max_events=EVENTS)
    elapsed = time.perf_counter() - started
    metric("projection_events_per_s", processed / elapsed, "events/s")
    runner.db.close()


def bench_rebuild(app: Any, dsn: str) -> None:
    console.print("[bold]rebuild from the store vs raw batched inserts[/]")
    db = PostgresDatabase(dsn)
    runner = ProjectionRunner(HqDashboard(), db)
    runner.reset()
    started = time.perf_counter()
    count = LogFollower(runner, {"ledgers": app.reader_for(runner.projection.event_types)}, batch=5000).run_once()
    elapsed = time.perf_counter() - started
    metric("rebuild_events_per_s", count / elapsed, "events/s")
    with db.transaction() as tx:
        rows = tx.fetchall("SELECT * FROM hq_directives")
        tx.execute("CREATE TABLE IF NOT EXISTS bench_raw (LIKE hq_directives INCLUDING ALL)")
        tx.execute("TRUNCATE bench_raw")
    placeholders = ", ".join(["%s"] * len(rows[0]))
    with psycopg.connect(dsn) as connection:
        started = time.perf_counter()
        for i in range(0, len(rows), 5000):
            with connection.transaction(), connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO bench_raw VALUES ({placeholders})", rows[i:i + 5000])
        elapsed = time.perf_counter() - started
    metric("raw_insert_rows_per_s", len(rows) / elapsed, "rows/s")
    db.close()


def bench_lag(settings: Settings, keys: Keys, dsn: str, env: dict[str, str], rate: int = 200,
              seconds: float = 15.0) -> None:
    """Commands at a steady rate; the relay and the projector run as their own processes, as deployed.
    Lag = from the command's commit to the read model's commit reflecting its position."""
    console.print(f"[bold]end-to-end lag at {rate} events/s for {seconds:.0f} s[/]")
    app = build_app(settings, keys, "ledgers")
    db = PostgresDatabase(dsn)
    runner = ProjectionRunner(HqDashboard(), db)
    runner.setup()
    processes = [run_cli(env, "relay", "ledgers"), run_cli(env, "project", "hq_dashboard")]
    try:
        # measure a warm system: the relay has published everything, the projector has read it all
        from kafka import KafkaConsumer, TopicPartition

        deadline = time.monotonic() + 120
        while (app.process_recorder.max_tracking_id("relay:kafka") or 0) < app.max_position():
            if time.monotonic() > deadline:
                raise TimeoutError("relay did not start")
            time.sleep(0.1)

        consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=None)
        tp = TopicPartition(topic_for("ledgers"), 0)
        end = consumer.end_offsets([tp])[tp]
        consumer.close()
        deadline = time.monotonic() + 120
        while runner.tracked_offsets().get((tp.topic, 0), -1) < end - 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        done: dict[int, float] = {}
        seen: dict[int, float] = {}
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                position = runner.positions().get("ledgers", 0)
                now = time.perf_counter()
                for pos in [p for p in done if p <= position and p not in seen]:
                    seen[pos] = now
                time.sleep(0.002)

        watcher = threading.Thread(target=watch)
        watcher.start()
        context = CommandContext(actor={"user": "bench", "org": "group-mee", "role": "group_staff"})
        workers = 2
        sent = [0]
        lock = threading.Lock()
        started = time.perf_counter()

        def load(worker: int) -> None:
            with app.acting(context):
                n = 0
                while time.perf_counter() - started < seconds:
                    result = app.register_directive(
                        group_id="group-mee", unit_id=f"unit-{uuid.uuid4().hex[:6]}",
                        reference_number=f"负载〔2025〕{worker}-{n}号", issuer="生态环境部", title="负载测试",
                        issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3), lead_department="综合司")
                    done[result["position"]] = time.perf_counter()
                    n += 1
                    with lock:
                        sent[0] += 1
                        total = sent[0]
                    delay = started + total / rate - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)

        loaders = [threading.Thread(target=load, args=(w,)) for w in range(workers)]
        for thread in loaders:
            thread.start()
        for thread in loaders:
            thread.join()
        achieved = sent[0] / (time.perf_counter() - started)
        runner.wait_for("ledgers", max(done), timeout=60)
        time.sleep(0.05)
        stop.set()
        watcher.join()
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    series = [(seen[p] - done[p]) * 1000 for p in sorted(done) if p in seen]
    if os.environ.get("PAIZHU_BENCH_DEBUG"):
        console.print([round(x) for x in series[::25]])
    lags = sorted(series)
    console.print(f"  commands: {sent[0]} at {achieved:.0f}/s; lags measured: {len(lags)}")
    metric("e2e_load_events_per_s", achieved, "events/s")
    metric("e2e_lag_p50_ms", statistics.median(lags), "ms")
    metric("e2e_lag_p99_ms", lags[max(0, int(len(lags) * 0.99) - 1)], "ms")
    app.close()
    db.close()


def bench_tracing_overhead(count: int = 1500) -> None:
    console.print("[bold]tracing overhead on the command path (embedded SQLite store, default sampler)[/]")
    import tempfile

    from opentelemetry import trace
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

    from services.ledgers.application import LedgersApplication

    def run() -> float:
        store = tempfile.NamedTemporaryFile(suffix=".db", delete=False).name
        app = LedgersApplication(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": store})
        context = CommandContext(actor={"user": "bench", "org": "group-mee", "role": "group_staff"})
        # this process's CPU time (the span exporter's thread included): the machine's other load does not
        # fall on one side of the comparison more than on the other, as it does with the wall clock
        started = time.process_time()
        with app.acting(context):
            for n in range(count):
                app.register_directive(group_id="group-mee", unit_id=f"unit-{n}", reference_number=f"追踪〔2025〕{n}号",
                                       issuer="生态环境部", title="追踪开销", issued_on=date(2025, 1, 2),
                                       received_on=date(2025, 1, 3), lead_department="综合司")
        rate = count / (time.process_time() - started)
        app.close()
        os.unlink(store)
        return rate

    class Discard(SpanExporter):
        def export(self, spans: Any) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    run()  # warm-up
    without = statistics.median(run() for _ in range(5))
    from runtime.telemetry import build_tracer_provider

    provider = build_tracer_provider()  # Paizhu's default sampling (parent-based, 10% of new traces)
    provider.add_span_processor(BatchSpanProcessor(Discard()))
    trace.set_tracer_provider(provider)
    with_tracing = statistics.median(run() for _ in range(5))
    metric("commands_per_s_untraced", without, "commands/cpu-s")
    metric("commands_per_s_traced", with_tracing, "commands/cpu-s")
    metric("tracing_overhead_pct", (1 - with_tracing / without) * 100, "%")



def main() -> None:
    load_all()
    broker, bootstrap = start_broker()
    dbname = create_database("paizhu_bench_")
    try:
        settings, keys = settings_for(dbname, bootstrap)
        dsn = pg_dsn(dbname)
        app = build_app(settings, keys, "ledgers")
        console.print(f"seeding {EVENTS} events into PostgreSQL …")
        seed_directives(app, EVENTS)
        bench_relay(app, bootstrap)
        bench_projection(bootstrap, dsn)
        bench_rebuild(app, dsn)
        bench_partitions(app, dsn, EVENTS, metric)
        app.close()
        bench_lag(settings, keys, dsn, bench_env(dbname, bootstrap, keys))
        bench_tracing_overhead()
        bench_queries.main(metric)
    finally:
        broker.terminate()
        drop_database(dbname)
    v = {k: m["value"] for k, m in metrics.items()}
    table = Table(title="Paizhu benchmarks (this machine, this run)")
    for column in ("measure", "Paizhu", "ceiling", "ratio", "target"):
        table.add_column(column)
    table.add_row("relay events/s", f"{v['relay_events_per_s']:,.0f}", f"{v['raw_producer_events_per_s']:,.0f}",
                  f"{v['relay_events_per_s'] / v['raw_producer_events_per_s']:.2f}", "≥ 0.70")
    table.add_row("Kafka projection events/s", f"{v['projection_events_per_s']:,.0f}",
                  f"{v['raw_consumer_events_per_s']:,.0f}",
                  f"{v['projection_events_per_s'] / v['raw_consumer_events_per_s']:.2f}", "≥ 0.70")
    table.add_row("projection events/s, 3 projectors on 3 partitions vs 1 on 1",
                  f"{v['projection_events_per_s_3p']:,.0f}", f"{v['projection_events_per_s_1p']:,.0f}",
                  f"{v['projection_scale_3p_over_1p']:.2f}", "≥ 1.5")
    table.add_row("rebuild events/s", f"{v['rebuild_events_per_s']:,.0f}", f"{v['raw_insert_rows_per_s']:,.0f}",
                  f"{v['rebuild_events_per_s'] / v['raw_insert_rows_per_s']:.2f}", "≥ 0.40")
    table.add_row("end-to-end lag p50 / p99 ms", f"{v['e2e_lag_p50_ms']:.0f} / {v['e2e_lag_p99_ms']:.0f}", "",
                  "", "p99 < 500")
    table.add_row("tracing overhead", f"{v['tracing_overhead_pct']:.1f} %", "", "", "≤ 15 %")
    table.add_row("read p99 ms, 50 readers", f"{v['query_p99_ms']:.1f}", f"{v['raw_query_p99_ms']:.1f}",
                  f"{v['query_p99_ms'] / max(v['raw_query_p99_ms'], 0.001):.1f}", "< 100, ≤ 5×")
    console.print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"metrics": metrics}, indent=2) + "\n")
    console.print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
