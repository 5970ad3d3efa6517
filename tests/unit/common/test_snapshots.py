"""Aggregates that can grow without bound are snapshotted: loading one reads its latest snapshot and the events
after it; a snapshot of every such record of the demo restores exactly the state its events give."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.domain import Snapshot

from paizhu.demo import seed_demo
from paizhu.platform import Platform
from paizhu.settings import Settings
from services.common.application import SNAPSHOT_EVERY, ServiceApplication
from services.common.clock import ManualClock
from services.ledgers.application import LedgersApplication
from services.ledgers.domainmodel import Directive
from tests.factories import acting_as


class ReadsSpy:
    """Records the `gt` of every read of the event store (which version loading started after)."""

    def __init__(self, app: ServiceApplication) -> None:
        self.starts: list[int | None] = []
        original = app.repository.event_store.get

        def get(originator_id: UUID, *args: Any, **kwargs: Any) -> Any:
            self.starts.append(kwargs.get("gt"))
            return original(originator_id, *args, **kwargs)

        app.repository.event_store.get = get  # type: ignore[method-assign]


def grown_directive(app: LedgersApplication, amendments: int) -> str:
    directive_id: str = app.register_directive(
        group_id="group-mee", unit_id="unit-mee", reference_number="环办〔2025〕1号", issuer="国务院",
        title="标题 0", issued_on=date(2025, 2, 20), received_on=date(2025, 2, 24), lead_department="综合司",
    )["directive_id"]
    for n in range(1, amendments + 1):
        app.amend_directive(directive_id, {"title": f"标题 {n}"}, reason="更正")
    return directive_id


def check_loading_reads_a_snapshot(env: dict[str, str]) -> None:
    app = LedgersApplication(env=env, clock=ManualClock(datetime(2025, 3, 3, 1, 0, tzinfo=UTC)))
    with app.acting(acting_as("zhang.wei", "group-mee", "group_staff")):
        directive_id = grown_directive(app, SNAPSHOT_EVERY + 7)
    assert app.snapshots is not None
    [snapshot] = list(app.snapshots.get(UUID(directive_id), desc=True, limit=1))
    assert snapshot.originator_version == SNAPSHOT_EVERY
    spy = ReadsSpy(app)
    directive: Directive = app.repository.get(UUID(directive_id))
    assert spy.starts == [SNAPSHOT_EVERY]  # only the events after the snapshot were read
    assert directive.version == SNAPSHOT_EVERY + 8 and directive.title == f"标题 {SNAPSHOT_EVERY + 7}"
    assert directive.chain_head == list(app.events.get(UUID(directive_id)))[-1].hash


def test_loading_a_long_history_reads_its_snapshot_in_sqlite(tmp_path: Path) -> None:
    check_loading_reads_a_snapshot(
        {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "ledgers.db")}
    )


def replayed(app: ServiceApplication, aggregate_id: UUID) -> Any:
    aggregate = None
    for event in app.events.get(aggregate_id):
        aggregate = event.mutate(aggregate)
    return aggregate


def as_json_shapes(value: Any) -> Any:
    """Tuples become lists in a snapshot (JSON has no tuples); everything else must come back as it was."""
    if isinstance(value, tuple | list):
        return [as_json_shapes(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json_shapes(v) for k, v in value.items()}
    return value


def test_a_snapshot_of_every_snapshotted_record_of_the_demo_restores_its_state(tmp_path: Path) -> None:
    platform = Platform(Settings(mode="embedded", data_dir=tmp_path, demo=False))
    assert seed_demo(platform)
    platform.checkpoint()
    checked: dict[str, int] = {}
    for app in platform.apps.values():
        kinds = set(app.snapshotting_intervals)
        ids = {n.originator_id for n in app.recorder.select_notifications(start=1, limit=1_000_000)}
        for aggregate_id in ids:
            state = replayed(app, aggregate_id)  # type: ignore[arg-type]
            if type(state) not in kinds:
                continue
            app.take_snapshot(aggregate_id)  # type: ignore[arg-type]
            assert app.snapshots is not None
            [snapshot] = list(app.snapshots.get(aggregate_id, desc=True, limit=1))  # type: ignore[arg-type]
            assert isinstance(snapshot, Snapshot) and snapshot.originator_version == state.version
            restored = snapshot.mutate(None)
            expected = vars(state) | {"_pending_events": []}
            assert as_json_shapes(vars(restored)) == as_json_shapes(expected), type(state).__name__
            checked[type(state).__name__] = checked.get(type(state).__name__, 0) + 1
    assert {"Directive", "LedgerItem", "Clue", "Disclosure", "Unit", "InspectionRound", "CheckpointLog"} <= set(
        checked
    ), checked
