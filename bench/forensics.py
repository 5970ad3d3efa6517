"""`python -m bench.forensics`: whole-store verification, as-of state and evidence export on embedded stores.

Prints the figures and writes bench/results/forensics.json ({"metrics": {name: {"value", "unit"}}}):
verify_events_per_s (targets >= 100,000), asof_p99_ms (a case of 10,000 events, target < 1,000),
evidence_export_s (the bundle of that case, target < 5).

PAIZHU_BENCH_DATA_DIR=<dir> keeps the seeded stores there and re-uses them on the next run (for profiling).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

RESULTS = Path(__file__).parent / "results" / "forensics.json"
STORE_EVENTS = int(os.environ.get("PAIZHU_BENCH_VERIFY_EVENTS", "100000"))
CASE_EVENTS = int(os.environ.get("PAIZHU_BENCH_CASE_EVENTS", "10000"))
console = Console()
metrics: dict[str, dict[str, Any]] = {}


def metric(name: str, value: float, unit: str) -> None:
    metrics[name] = {"value": round(value, 2), "unit": unit}
    console.print(f"  {name}: {value:,.1f} {unit}")


def seed_case(app: Any, amendments: int) -> str:
    """One directive with `amendments` corrections: a case of amendments + 1 events (set-up, not measured)."""
    from services.common.context import CommandContext, command_context
    from services.ledgers.domainmodel import Directive

    context = CommandContext(actor={"user": "bench", "org": "group-mee", "role": "group_staff"})
    with command_context(context):
        directive = Directive.register(
            group_id="group-mee", unit_id="unit-mee", reference_number="环发〔2025〕1号", issuer="生态环境部",
            title="关于推进生态环境保护重点工作的通知", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
            lead_department="综合司")
        for n in range(amendments):
            directive.amend(changes={"title": f"关于推进生态环境保护重点工作的通知（第{n}次修改）"},
                            reason=f"更正 {n}")
            if len(directive.pending_events) >= 500:
                app.save(directive)
        app.save(directive)
    return str(directive.id)


def seed(data_dir: Path) -> str:
    from bench.run import seed_directives
    from paizhu.platform import Platform
    from paizhu.settings import Settings

    platform = Platform(Settings(mode="embedded", data_dir=data_dir, demo=False))
    try:
        ledgers = platform.apps["ledgers"]
        seed_directives(ledgers, STORE_EVENTS - CASE_EVENTS)
        case = seed_case(ledgers, CASE_EVENTS - 1)
        platform.checkpoint()
    finally:
        platform.stop()
    return case


def cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the verifier's worker processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def bench_verify(data_dir: Path) -> None:
    from paizhu.settings import Settings
    from paizhu.stored_logs import open_logs
    from paizhu.verify import idle_cores, verify_logs

    metric("load_average_1m", os.getloadavg()[0], "load")  # the machine is shared: figures depend on it
    metric("verify_processes", idle_cores(), "processes")  # one per idle core (paizhu.verify)
    started, cpu = time.perf_counter(), cpu_seconds()
    logs, keys = open_logs(Settings(mode="embedded", data_dir=data_dir))
    reports = verify_logs(logs, keys.checkpoint_public_key_b64(), as_json=True)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    for log in logs.values():
        log.close()
    events = sum(r.events for r in reports)
    assert all(r.intact for r in reports), [r.findings[:3] for r in reports]
    metric("verify_events", events, "events")
    metric("verify_events_per_s", events / elapsed, "events/s")
    metric("verify_events_per_cpu_s", events / cpu, "events/s")  # per CPU-second of every process (workers too)


def bench_case(data_dir: Path, case_id: str, samples: int = 60) -> None:
    import random
    import statistics

    from paizhu.forensics.asof import Moment, rebuild_as_of
    from paizhu.forensics.evidence import export_bundle
    from paizhu.forensics.history import collect_case
    from paizhu.forensics.reviewer import RecordKind, Reviewer
    from paizhu.settings import Settings

    reviewer = Reviewer(Settings(mode="embedded", data_dir=data_dir))
    try:
        started, cpu = time.perf_counter(), time.process_time()
        case = reviewer.case(RecordKind.directive, case_id)
        metric("case_collect_s", time.perf_counter() - started, "s")
        metric("case_collect_cpu_s", time.process_time() - cpu, "s")
        own = [e for e in case.events if e.stream_id == case.record_id]
        assert len(own) == CASE_EVENTS, len(own)
        app = reviewer.app(case.service)
        rebuild_as_of(app, case, Moment(version=1))  # builds the service's application once (not measured)
        rng = random.Random(1)
        timings, cpu_timings = [], []
        for _ in range(samples):
            moment = Moment(version=rng.randint(1, len(own)))
            started, cpu = time.perf_counter(), time.process_time()
            rebuild_as_of(app, case, moment)  # the state only (the replay adds the history's descriptions)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu) * 1000)
        metric("asof_p50_ms", statistics.median(timings), "ms")
        metric("asof_p99_ms", statistics.quantiles(timings, n=100)[98], "ms")
        metric("asof_cpu_p99_ms", statistics.quantiles(cpu_timings, n=100)[98], "ms")
        started, cpu = time.perf_counter(), time.process_time()
        exported = collect_case(reviewer.logs, case_id)
        data, summary = export_bundle(exported, reviewer.logs, reviewer.keys.checkpoint_private_key(), "bench",
                                      "benchmark")
        metric("evidence_export_s", time.perf_counter() - started, "s")
        metric("evidence_export_cpu_s", time.process_time() - cpu, "s")
        metric("evidence_bundle_mb", len(data) / 1e6, "MB")
        assert summary["intact"]
    finally:
        reviewer.close()


def measure(data_dir: Path) -> None:
    """Seed the stores (unless `data_dir` already holds the seeded stores of an earlier run), then measure."""
    case_file = data_dir / "bench-case.txt"
    if case_file.is_file():
        case_id = case_file.read_text().strip()
        console.print(f"re-using the stores seeded in {data_dir}")
    else:
        console.print(f"seeding {STORE_EVENTS} events into embedded stores …")
        case_id = seed(data_dir)
        case_file.write_text(case_id)
    console.print("[bold]forensics[/]")
    bench_verify(data_dir)
    bench_case(data_dir, case_id)


def main() -> None:
    kept = os.environ.get("PAIZHU_BENCH_DATA_DIR")  # to profile or repeat without seeding again
    if kept:
        Path(kept).mkdir(parents=True, exist_ok=True)
        measure(Path(kept))
    else:
        with tempfile.TemporaryDirectory(prefix="paizhu-bench-forensics-") as tmp:
            measure(Path(tmp))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"metrics": metrics}, indent=2) + "\n")
    console.print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
