"""A commission's scale: a data generator for N groups up to M events in the distributed stores, and the
write-path figures at that scale (registration latency in a small vs a large group, conflicts among
concurrent registrations of different directives, rebuild vs raw inserts).

    python -m bench.scale --groups 100 --events 1000000     # the commission of issue 11's targets
    python -m bench.scale                                    # the default: small enough for a quick run

The generator writes through the services' applications and their domain models (every event hash-chained
and encoded by the service's own mapper, encrypted where the service's store is), saving aggregates in
batches with `app.save` rather than one command per request: the command path (authorisation, idempotency,
one transaction per command) is what the registration figures measure, the generator only has to fill the
stores in minutes. Figures are printed and saved to bench/results/scale.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.support import create_database, drop_database, pg_dsn
from events.catalog import load_all
from events.topics import SERVICES
from paizhu.keys import Keys
from paizhu.services import build_app
from paizhu.settings import Settings
from services.common.application import ServiceApplication
from services.common.context import CommandContext, command_context
from services.common.errors import ConflictError
from services.ledgers.domain.items import LedgerItem
from services.ledgers.domain.loop import ReferenceReservation, SchedulingRound
from services.ledgers.domainmodel import STAGES, Directive
from services.units.outbound import OutboundItem
from services.units.roster import Unit

RESULTS = Path(__file__).parent / "results" / "scale.json"
SYSTEM = CommandContext(actor={"user": "bench:scale", "org": "paizhu", "role": "system"})
STAFF = CommandContext(actor={"user": "bench", "org": "group-large", "role": "group_staff"})
UNITS_PER_GROUP = 3
EVENTS_PER_DIRECTIVE = 13
"""Registered, its reservation, three stages, two items each opened with two progress reports and one
outbound item to the unit (issued, delivered, acknowledged); rounds come on top, one per unit per 20."""
BATCH = 400
START = date(2025, 1, 2)


@dataclass
class Generated:
    groups: int = 0
    units: int = 0
    directives: int = 0
    items: int = 0
    rounds: int = 0
    outbound: int = 0
    events: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_events(self) -> int:
        return sum(self.events.values())


class Batches:
    """Aggregates saved together, BATCH at a time (one transaction each)."""

    def __init__(self, app: ServiceApplication) -> None:
        self.app = app
        self.pending: list[Any] = []

    def add(self, *aggregates: Any) -> None:
        self.pending.extend(aggregates)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.app.save(*self.pending)
            self.pending = []


def directive_with_history(group_id: str, unit_id: str, n: int) -> tuple[Directive, ReferenceReservation, list[Any]]:
    received = START + timedelta(days=n % 300)
    directive = Directive.register(
        group_id=group_id, unit_id=unit_id, reference_number=f"规模〔2025〕{n}号", issuer="中共中央办公厅",
        title=f"关于推进重点工作落实的通知（第{n}号）", issued_on=received - timedelta(days=1), received_on=received,
        lead_department="综合司", category=None, tied_to_duties=n % 3 == 0,
    )
    reservation = ReferenceReservation.reserve(group_id, unit_id, directive.reference_number, str(directive.id))
    for offset, stage in enumerate(STAGES[:3], start=1):
        directive.record_stage(stage=stage, done_on=received + timedelta(days=offset), summary="部党组会议传达学习",
                               meeting=None, document=None, done_by="部党组", skip_reason=None)
    items = []
    for kind in ("task", "problem"):
        item = LedgerItem.open(
            group_id=group_id, unit_id=unit_id, directive_id=str(directive.id), list_kind=kind, title="推进整改落实",
            owner="综合司", follower="zhang.wei", deadline_rule=None, due_on=received + timedelta(days=90), description="",
            problem_type="perfunctory" if kind == "problem" else None, source="group", source_ref=None,
            source_key=None, evidence_refs=(),
        )
        item.update_progress("in_progress", "已部署", reported_by="bench", report_ref=None)
        item.update_progress("in_progress", "持续推进", reported_by="bench", report_ref=None)
        items.append(item)
    return directive, reservation, items


def generate(ledgers: ServiceApplication, units: ServiceApplication, groups: int, events: int,
             prefix: str = "g") -> Generated:
    """Fill the stores with `groups` groups of UNITS_PER_GROUP units each, about `events` events in all."""
    started = time.perf_counter()
    done = Generated(groups=groups)
    per_group = max(1, events // (groups * EVENTS_PER_DIRECTIVE))
    ledger_batches, unit_batches = Batches(ledgers), Batches(units)
    with command_context(SYSTEM):
        for g in range(groups):
            group_id = f"group-{prefix}{g:03d}"
            unit_ids = [f"unit-{prefix}{g:03d}-{u}" for u in range(UNITS_PER_GROUP)]
            for unit_id in unit_ids:
                unit_batches.add(Unit.register(group_id, unit_id, f"部委 {unit_id}", f"{unit_id} 党组"))
                done.units += 1
            round_directives: dict[str, list[str]] = {u: [] for u in unit_ids}
            for n in range(per_group):
                unit_id = unit_ids[n % UNITS_PER_GROUP]
                directive, reservation, items = directive_with_history(group_id, unit_id, g * 1_000_000 + n)
                ledger_batches.add(directive, reservation, *items)
                done.directives += 1
                done.items += len(items)
                round_directives[unit_id].append(str(directive.id))
                outbound = OutboundItem.issue(
                    group_id=group_id, unit_id=unit_id, kind="document_request", title="请报送落实进展",
                    body="请于期限内报送", reference_number="", counterpart_id="party-group",
                    counterpart_name="党组", level="party_group", signed_by="bench", signer_role="group_leader",
                    deadline=directive.received_on + timedelta(days=30), issued_on=directive.received_on,
                )
                outbound.deliver(channel="portal", delivered_on=directive.received_on)
                outbound.acknowledge(by="liaison", acknowledged_on=directive.received_on + timedelta(days=1))
                unit_batches.add(outbound)
                done.outbound += 1
                if len(round_directives[unit_id]) == 20:
                    respond_by = directive.received_on + timedelta(days=10)
                    round_ = SchedulingRound.open(
                        group_id=group_id, unit_id=unit_id, subject="季度调度", directive_ids=round_directives[unit_id],
                        respond_by_rule={"basis": "calendar", "count": 10, "from_date": directive.received_on.isoformat()},
                        respond_by=respond_by, requested_on=directive.received_on,
                    )
                    for directive_id in round_directives[unit_id][:10]:
                        round_.record_response(directive_id, "in_progress", "推进中", respond_by)
                    ledger_batches.add(round_)
                    done.rounds += 1
                    round_directives[unit_id] = []
        ledger_batches.flush()
        unit_batches.flush()
    done.seconds = time.perf_counter() - started
    done.events = {"ledgers": ledgers.max_position(), "units": units.max_position()}
    return done


def seed_group(ledgers: ServiceApplication, group_id: str, unit_id: str, directives: int) -> None:
    """A group holding this many directives in one unit's master ledger (set-up, not measured)."""
    batches = Batches(ledgers)
    with command_context(SYSTEM):
        for n in range(directives):
            directive, reservation, _ = directive_with_history(group_id, unit_id, n)
            batches.add(directive, reservation)
        batches.flush()


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def registration_ms(ledgers: Any, groups: dict[str, tuple[str, str]], count: int, tag: str) -> dict[str, list[float]]:
    """Milliseconds of each registration through the command path, taking the groups in turn (so a pause of
    the machine or the database falls on every group alike)."""
    samples: dict[str, list[float]] = {name: [] for name in groups}
    with ledgers.acting(STAFF):
        for n in range(count):
            for name, (group_id, unit_id) in groups.items():
                started = time.perf_counter()
                ledgers.register_directive(
                    group_id=group_id, unit_id=unit_id, reference_number=f"新登〔2025〕{tag}{n}号", issuer="国务院",
                    title="新登记的批示件", issued_on=START, received_on=START, lead_department="综合司",
                )
                samples[name].append((time.perf_counter() - started) * 1000)
    return samples


def concurrent_conflicts(ledgers: Any, group_id: str, unit_id: str, clients: int, each: int) -> tuple[int, int]:
    """(409s, registrations) among `clients` threads registering different directives in one unit at once."""
    conflicts = Counter[str]()
    barrier = threading.Barrier(clients)

    def client(c: int) -> None:
        with ledgers.acting(STAFF):
            barrier.wait()
            for n in range(each):
                try:
                    ledgers.register_directive(
                        group_id=group_id, unit_id=unit_id, reference_number=f"并发〔2025〕{c}-{n}号", issuer="国务院",
                        title="并发登记", issued_on=START, received_on=START, lead_department="综合司",
                    )
                except ConflictError as error:
                    conflicts[error.code] += 1

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(conflicts.values()), clients * each


def settings_for(dbname: str, data_dir: Path) -> tuple[Settings, Keys]:
    from bench.run import settings_for as base

    settings, keys = base(dbname, "127.0.0.1:9")  # no broker: the write path and the stores only
    return settings.model_copy(update={"data_dir": data_dir}), keys


def run(groups: int, events: int, samples: int = 200, rebuild: bool = True) -> dict[str, Any]:
    load_all()
    dbname = create_database("paizhu_scale_")
    figures: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            settings, keys = settings_for(dbname, Path(data_dir))
            ledgers, units = build_app(settings, keys, "ledgers"), build_app(settings, keys, "units")
            generated = generate(ledgers, units, groups, events)
            figures.update(
                groups=generated.groups, units=generated.units, directives=generated.directives,
                items=generated.items, scheduling_rounds=generated.rounds, outbound_items=generated.outbound,
                events=generated.total_events, events_by_service=generated.events,
                generate_events_per_s=round(generated.total_events / generated.seconds, 1),
            )
            print(f"generated {generated.total_events:,} events in {generated.seconds:.0f} s "
                  f"({figures['generate_events_per_s']:,.0f}/s): {generated}")
            stores = {k: v for k, v in schema_bytes(dbname).items() if k in SERVICES}  # a schema per service
            figures["store_bytes"] = sum(stores.values())
            figures["store_bytes_per_event"] = round(figures["store_bytes"] / generated.total_events)
            seed_group(ledgers, "group-small", "unit-small", 50)
            seed_group(ledgers, "group-large", "unit-large", 3000)
            groups_by_size = {"small": ("group-small", "unit-small"), "large": ("group-large", "unit-large")}
            registration_ms(ledgers, groups_by_size, 20, "warm")  # warm-up
            timed = registration_ms(ledgers, groups_by_size, samples, "t")
            small, large = timed["small"], timed["large"]
            figures.update(
                register_p50_ms_small=round(statistics.median(small), 2), register_p99_ms_small=round(p99(small), 2),
                register_p50_ms_large=round(statistics.median(large), 2), register_p99_ms_large=round(p99(large), 2),
            )
            figures["register_large_vs_small"] = round(figures["register_p99_ms_large"] /
                                                       figures["register_p99_ms_small"], 2)
            conflicts, attempts = concurrent_conflicts(ledgers, "group-large", "unit-large", clients=8, each=25)
            figures.update(concurrent_registrations=attempts, concurrent_registration_409s=conflicts)
            if rebuild:
                from bench import run as base

                base.bench_rebuild(ledgers, pg_dsn(dbname))
                for name in ("rebuild_events_per_s", "raw_insert_rows_per_s"):
                    figures[name] = base.metrics[name]["value"]
                figures["rebuild_vs_raw_insert"] = round(
                    figures["rebuild_events_per_s"] / figures["raw_insert_rows_per_s"], 2)
                read_models = {k: v for k, v in schema_bytes(dbname).items() if k not in SERVICES}
                figures["read_model_bytes"] = sum(read_models.values())
                figures["model_check"] = check_model(generated, figures)
            ledgers.close()
            units.close()
    finally:
        drop_database(dbname)
    return figures


def schema_bytes(dbname: str) -> dict[str, int]:
    """Bytes (tables with their indexes and TOAST) per schema of the database."""
    import psycopg

    with psycopg.connect(pg_dsn(dbname)) as connection:
        rows = connection.execute(
            "SELECT n.nspname, SUM(pg_total_relation_size(c.oid)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND c.relname NOT LIKE 'bench%%' GROUP BY n.nspname").fetchall()  # not the benchmarks' own copies
    return {str(name): int(size) for name, size in rows}


def check_model(generated: Generated, figures: dict[str, Any]) -> dict[str, Any]:
    """The capacity model's predictions (bench/capacity.py, docs/capacity.md) for what was generated here, beside
    what was measured: the stores' size and the time to replay the ledgers events into the HQ dashboard."""
    from bench.capacity import READ_MODEL_SHARE, Throughput, predict_replay_s, predict_store_bytes

    events = generated.total_events
    ledgers = generated.events["ledgers"]
    check = {
        "store_bytes_predicted": predict_store_bytes(events), "store_bytes_measured": figures["store_bytes"],
        "read_model_share_predicted": READ_MODEL_SHARE,
        "read_model_share_measured": round(figures["read_model_bytes"] / figures["store_bytes"], 2),
        "replay_s_predicted": round(predict_replay_s(ledgers, Throughput.measured()), 1),
        "replay_s_measured": round(ledgers / figures["rebuild_events_per_s"], 1),
    }
    check["store_ratio"] = round(check["store_bytes_measured"] / check["store_bytes_predicted"], 2)
    check["replay_ratio"] = round(check["replay_s_measured"] / check["replay_s_predicted"], 2)
    print(f"capacity model at this size: store {check['store_bytes_measured']:,} B measured vs "
          f"{check['store_bytes_predicted']:,} B predicted ({check['store_ratio']}×); replay of {ledgers:,} "
          f"ledgers events {check['replay_s_measured']} s measured vs {check['replay_s_predicted']} s predicted "
          f"({check['replay_ratio']}×); read models {check['read_model_share_measured']} of the stores "
          f"(model {READ_MODEL_SHARE})")
    return check


def main() -> None:
    parser = argparse.ArgumentParser(description="A commission's scale: generate, then measure the write path.")
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--events", type=int, default=50_000, help="events to generate in all (about)")
    parser.add_argument("--samples", type=int, default=200, help="registrations timed per group size")
    arguments = parser.parse_args()
    figures = run(arguments.groups, arguments.events, arguments.samples)
    for name, value in figures.items():
        print(f"  {name}: {value}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"arguments": vars(arguments), "figures": figures}, indent=2) + "\n")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
