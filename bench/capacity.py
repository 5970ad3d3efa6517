"""The capacity model of docs/capacity.md: from events per group per year and the throughput measured per
partition, the partitions, processes and PostgreSQL size a commission of N groups needs.

    python -m bench.capacity                 # the table for 30, 300 and 3,000 groups (as in docs/capacity.md)
    python -m bench.capacity --measure-demo  # count the demo scenario's events per group per year again

Inputs are measurements (where each comes from is said beside it); `bench/scale.py` checks the model's
predictions (store size, replay time) against what it measures at its reduced size.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"

DEMO_EVENTS_PER_GROUP_YEAR = 216
"""`--measure-demo`: the demo scenario publishes 267 events of group-mee over 452 days (2025-01-06 to
2026-04-03), 216 a year (and 15 more of other or no group)."""

PLANNING_FACTOR = 10
"""The demo shows each kind of record a few times; a group that keeps every ledger in Paizhu records more. The
model plans with ten times the demo's rate (2,160 events per group per year); scale it with what a pilot group
measures."""

WORKING_SECONDS_PER_YEAR = 250 * 8 * 3600
"""Events come in working hours (250 working days of 8 hours)."""

PEAK_FACTOR = 20
"""The busiest minute against the working-hours average (imports of ledgers, mornings before deadlines)."""

RETENTION_YEARS = 5
"""Topics and stores keep the whole history (deploy/kafka.md: topics are kept forever); the model sizes five
years."""

REBUILD_BUDGET_S = 3600
"""A read model rebuilt from the beginning of its topics (a schema change, a new projection) within an hour."""

STORE_BYTES_PER_EVENT = 930
"""PostgreSQL bytes per event of the services' stores with their indexes: `python -m bench.scale --groups 10
--events 20000` measured 20,512,768 bytes for 22,110 events (`store_bytes_per_event`: 928)."""

READ_MODEL_SHARE = 0.5
"""Read-model tables (rows, tracking, stream versions) against the stores' size. The same run measured 0.89 with
the benchmark's raw-insert copy of the HQ dashboard's table counted in (about half of it); bench/scale.py now
leaves `bench_*` tables out. Only the HQ dashboard was built there: with every read model, measure again."""


@dataclass(frozen=True)
class Throughput:
    """Events per second per partition, measured by `python -m bench.partitions` on this machine."""

    projection_1p: float
    projection_3p: float
    relay: float

    @classmethod
    def measured(cls) -> Throughput:
        path = RESULTS / "partitions.json"
        figures = json.loads(path.read_text())["metrics"] if path.exists() else {}

        def value(name: str, default: float) -> float:
            return float(figures.get(name, {}).get("value", default))

        return cls(projection_1p=value("projection_events_per_s_1p", 1500.0),
                   projection_3p=value("projection_events_per_s_3p", 2250.0),
                   relay=value("relay_events_per_s_1p", 3000.0))

    @property
    def per_partition(self) -> float:
        """What one more partition (and projector) adds on a machine whose cores are shared: the 3-partition
        aggregate over three (conservative: with a core per projector it approaches `projection_1p`)."""
        return self.projection_3p / 3


@dataclass(frozen=True)
class Plan:
    groups: int
    events_per_year: int
    history_events: int
    peak_events_per_s: float
    partitions: int
    projector_processes_per_read_model: int
    relay_processes: int
    rebuild_s: float
    postgres_gb: float


def plan(groups: int, throughput: Throughput, events_per_group_year: float | None = None) -> Plan:
    """The commission of `groups` groups after RETENTION_YEARS."""
    per_group = events_per_group_year or DEMO_EVENTS_PER_GROUP_YEAR * PLANNING_FACTOR
    yearly = groups * per_group
    history = yearly * RETENTION_YEARS
    peak = yearly / WORKING_SECONDS_PER_YEAR * PEAK_FACTOR
    per_partition = throughput.per_partition
    # steady load at half a partition's throughput, and a replay of the history within the budget
    partitions = max(1, math.ceil(peak / (0.5 * per_partition)), math.ceil(history / (per_partition * REBUILD_BUDGET_S)))
    if partitions > 1:
        partitions = max(3, partitions)  # several: at least three, so one projector's loss is shared by two
    return Plan(
        groups=groups, events_per_year=int(yearly), history_events=int(history), peak_events_per_s=round(peak, 2),
        partitions=partitions, projector_processes_per_read_model=partitions, relay_processes=1,
        rebuild_s=round(predict_replay_s(int(history), throughput, partitions), 1),
        postgres_gb=round(history * STORE_BYTES_PER_EVENT * (1 + READ_MODEL_SHARE) / 1e9, 2),
    )


def predict_store_bytes(events: int) -> int:
    return int(events * STORE_BYTES_PER_EVENT)


def predict_replay_s(events: int, throughput: Throughput, partitions: int = 1) -> float:
    rate = throughput.projection_1p if partitions == 1 else throughput.per_partition * partitions
    return events / rate


def measure_demo() -> dict[str, Any]:
    """Seed the demo scenario in a temporary embedded data directory; count its published events by group."""
    from collections import Counter

    os.environ["PAIZHU_DATA_DIR"] = tempfile.mkdtemp(prefix="paizhu-demo-count-")
    from paizhu.demo import seed_demo
    from paizhu.platform import Platform
    from paizhu.settings import Settings

    platform = Platform(Settings(mode="embedded"))
    by_group: Counter[str] = Counter()
    first = last = None
    try:
        seed_demo(platform)
        for app in platform.apps.values():
            envelopes, _ = app.integration_events(0, 10_000_000)
            for envelope in envelopes:
                by_group[envelope.group_id or "-"] += 1
                first = envelope.occurred_at if first is None else min(first, envelope.occurred_at)
                last = envelope.occurred_at if last is None else max(last, envelope.occurred_at)
    finally:
        platform.stop()
    assert first is not None and last is not None
    days = (last - first).days or 1
    group, events = by_group.most_common(1)[0]
    return {"events_by_group": dict(by_group), "days": days, "group": group,
            "events_per_group_year": round(events * 365 / days)}


def main() -> None:
    parser = argparse.ArgumentParser(description="Paizhu's capacity model (docs/capacity.md).")
    parser.add_argument("--measure-demo", action="store_true", help="count the demo scenario's events again")
    parser.add_argument("--projection-1p", type=float, help="instead of the latest run: one projector's events/s "
                        "(the 3-partition figure is scaled by the latest run's ratio)")
    arguments = parser.parse_args()
    if arguments.measure_demo:
        print(json.dumps(measure_demo(), ensure_ascii=False, indent=2))
        return
    throughput = Throughput.measured()
    if arguments.projection_1p:
        ratio = throughput.projection_3p / throughput.projection_1p
        throughput = Throughput(arguments.projection_1p, arguments.projection_1p * ratio, throughput.relay)
    print(f"throughput (events/s): {throughput}; per added partition {throughput.per_partition:,.0f}")
    rows = [plan(groups, throughput) for groups in (30, 300, 3000)]
    for row in rows:
        print(json.dumps(asdict(row)))
    if not arguments.projection_1p:
        (RESULTS / "capacity.json").write_text(json.dumps({"throughput": asdict(throughput),
                                                           "plans": [asdict(r) for r in rows]}, indent=2) + "\n")


if __name__ == "__main__":
    main()
