"""Deduplication by stream and version, and the covered service position on a partitioned topic (watermarks,
two projectors sharing it, a member fenced after losing a partition), on the runner alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from events import ledgers as c
from events.catalog import load_all
from events.envelope import Envelope
from projections.common.db import SqliteDatabase
from projections.hq_dashboard.projection import HqDashboard
from runtime.projection_runner import Item, PartitionMoved, ProjectionRunner
from tests.factories import make_envelope

load_all()

TOPIC = "paizhu.ledgers.v1"


def registered(directive_id: str, position: int) -> Envelope:
    payload = c.DirectiveRegistered(directive_id=directive_id, reference_number=f"文{directive_id}", issuer="中办",
                                    title=f"批示{directive_id}", issued_on=date(2025, 1, 1),
                                    received_on=date(2025, 1, 2), lead_department="办公厅", category=None,
                                    tied_to_duties=False)
    return make_envelope(payload, service="ledgers", position=position, stream_id=directive_id, stream_version=1)


def staged(directive_id: str, position: int, version: int) -> Envelope:
    payload = c.DirectiveStageRecorded(directive_id=directive_id, stage="relay_study", done_on=date(2025, 1, 3),
                                       skipped_with_reason=False)
    return make_envelope(payload, service="ledgers", position=position, stream_id=directive_id,
                         stream_version=version)


def at(partition: int, offset: int, envelope: Envelope) -> Item:
    return Item(TOPIC, partition, offset, envelope=envelope)


def mark(partition: int, offset: int, position: int) -> Item:
    return Item(TOPIC, partition, offset, watermark=position)


def runner_on(db: SqliteDatabase, partitions: int = 3) -> ProjectionRunner:
    runner = ProjectionRunner(HqDashboard(), db)
    runner.setup()
    runner.partition_counts[TOPIC] = partitions
    return runner


def stages(db: SqliteDatabase) -> dict[str, int]:
    with db.transaction() as tx:
        return {str(d): int(n) for d, n in tx.fetchall("SELECT directive_id, stages_done FROM hq_directives")}


@pytest.fixture
def db(tmp_path: Path) -> SqliteDatabase:
    return SqliteDatabase(tmp_path / "read.db")


def test_a_lower_position_from_another_partition_is_applied_and_a_redelivery_is_not(db: SqliteDatabase) -> None:
    runner = runner_on(db)
    # positions 1..5 of three streams; partition 1 is read ahead of partition 2
    runner.process([at(0, 0, registered("d-a", 1)), at(1, 0, registered("d-b", 2)), at(1, 1, staged("d-b", 5, 2))])
    runner.process([at(2, 0, registered("d-c", 3)), at(0, 1, staged("d-a", 4, 2))])
    assert stages(db) == {"d-a": 1, "d-b": 1, "d-c": 0}  # position 3 came after 5 and was applied
    # the relay republished after a crash: every event again, nothing counted twice
    assert runner.process([at(0, 2, registered("d-a", 1)), at(0, 3, staged("d-a", 4, 2)),
                           at(1, 2, staged("d-b", 5, 2))]) == 0
    assert stages(db) == {"d-a": 1, "d-b": 1, "d-c": 0}
    assert runner.dead_letter_count() == 0


def test_the_covered_position_is_the_lowest_every_partition_has_passed(db: SqliteDatabase) -> None:
    runner = runner_on(db)
    runner.process([at(0, 0, registered("d-a", 1)), at(0, 1, staged("d-a", 4, 2)), at(1, 0, registered("d-b", 2))])
    assert runner.positions().get("ledgers", 0) == 0  # partition 2 has passed nothing yet
    runner.process([mark(2, 0, 4)])
    assert runner.positions()["ledgers"] == 2  # partition 1 passed only 2: position 3 may still be on its way
    runner.process([mark(1, 1, 4), mark(0, 2, 4)])
    assert runner.positions()["ledgers"] == 4
    assert runner.wait_for("ledgers", 4, timeout=0.1) and not runner.wait_for("ledgers", 5, timeout=0.1)


def test_two_projectors_sharing_the_partitions_cover_what_both_have_passed(db: SqliteDatabase) -> None:
    first, second = runner_on(db), runner_on(db)
    first.claim([(TOPIC, 0), (TOPIC, 1)])
    second.claim([(TOPIC, 2)])
    first.process([at(0, 0, registered("d-a", 1)), at(1, 0, registered("d-b", 2)), mark(0, 1, 3), mark(1, 1, 3)])
    assert first.positions().get("ledgers", 0) == 0
    second.process([at(2, 0, registered("d-c", 3)), mark(2, 1, 3)])
    assert second.positions()["ledgers"] == 3
    assert stages(db) == {"d-a": 0, "d-b": 0, "d-c": 0}


def test_a_member_that_lost_its_partition_applies_nothing(db: SqliteDatabase) -> None:
    old, new = runner_on(db), runner_on(db)
    old.claim([(TOPIC, 0)])
    old.process([at(0, 0, registered("d-a", 1))])
    new.claim([(TOPIC, 0)])  # a rebalance gave partition 0 to another member, which goes on from offset 0
    new.process([at(0, 1, staged("d-a", 2, 2))])
    with pytest.raises(PartitionMoved):
        old.process([at(0, 1, staged("d-a", 2, 2))])  # the old member's batch in hand: refused
    with pytest.raises(PartitionMoved):
        new.process([at(1, 0, registered("d-b", 3))])  # a partition it does not hold
    assert stages(db) == {"d-a": 1}
