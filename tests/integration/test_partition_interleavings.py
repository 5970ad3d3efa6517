"""Every read model is safe on partitioned topics: the demo scenario's events (and an epilogue), delivered the way partitioned topics
deliver them (each stream's events in order, the streams of a service and the services interleaved in any way,
some events delivered again, batches of any size, a projector's cache lost between batches), give the same read
model (checksum) as a rebuild from zero in each service's order. Real PostgreSQL."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.support import pg_env
from events.envelope import Envelope
from events.topics import SERVICES, topic_for
from paizhu.demo import DEMO_START, Demo, seed_demo
from paizhu.platform import Platform
from paizhu.settings import Settings
from projections.catalog import PROJECTIONS, available
from projections.common.db import Database, connect
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import Item, ProjectionRunner
from services.common.clock import ManualClock
from tests.conftest import settings_from

pytestmark = pytest.mark.integration
PARTITIONS = 3
SEEDS = range(4)
"""Random interleavings per read model and partition count (besides two adversarial ones)."""


def first(platform: Platform, service: str, event_type: str, field: str,
          where: Callable[[Envelope], bool] = lambda e: True) -> str:
    """A field of the first published event of this type (that `where` accepts)."""
    envelopes, _ = platform.apps[service].integration_events(0, 1_000_000)
    return str(next(e.payload[field] for e in envelopes if e.type == event_type and where(e)))


def epilogue(platform: Platform, clock: ManualClock) -> None:
    """What the demo does not show, on its records: corrections that other streams' rows depend on (a directive
    under accountability renamed, one with items withdrawn), an item done, similar items linked, a submission
    reviewed, an item sent to the unit withdrawn, a scheduling round answered and closed, a recommendation
    reported rectified, and a year later every deadline the schedulers find passed."""
    demo = Demo(platform, clock)
    ledgers: Any = platform.apps["ledgers"]
    units: Any = platform.apps["units"]
    accountable = first(platform, "ledgers", "ledgers.AccountabilityProposed", "directive_id")
    envelopes, _ = ledgers.integration_events(0, 1_000_000)
    with_items = {e.payload.get("directive_id") for e in envelopes if e.type == "ledgers.ItemOpened"} - {accountable}
    items = [e.payload["item_id"] for e in envelopes if e.type == "ledgers.ItemOpened"]
    scheduling = next(e.payload for e in envelopes if e.type == "ledgers.SchedulingRoundOpened")
    with demo.acting("zhang.wei"):
        ledgers.amend_directive(directive_id=accountable, changes={"title": "关于长江经济带生态环境保护修复的重要批示（更正）"},
                                reason="更正标题")
        ledgers.update_item_progress(item_id=first(platform, "ledgers", "ledgers.ItemOpened", "item_id",
                                                   lambda e: e.distribution == "unit"),
                                     status="done", summary="已完成整改")
        ledgers.withdraw_directive(directive_id=first(platform, "ledgers", "ledgers.DirectiveRegistered",
                                                      "directive_id", lambda e: e.payload["directive_id"] in with_items),
                                   reason="重复登记")
        units.review_submission(submission_id=first(platform, "units", "units.InboundReceived", "submission_id"),
                                note="已阅")
        units.withdraw_item(item_id=first(platform, "units", "units.OutboundIssued", "item_id"), reason="误发")
        ledgers.link_similar(item_id=items[0], similar_item_ids=[items[1]], note="同类问题")
        ledgers.record_round_response(round_id=scheduling["round_id"], directive_id=scheduling["directive_ids"][0],
                                      status="in_progress", summary="正在落实")
        ledgers.close_scheduling_round(round_id=scheduling["round_id"], note="已收齐")
    with demo.acting("zhao.unit"):  # the unit reports a recommendation rectified (answers a to-do of two services)
        units.submit_rectification_report(
            unit_id="unit-mee", title="整改报告", summary="已整改完毕", completed=True,
            subject_ref=first(platform, "clues", "clues.RecommendationIssued", "recommendation_id"))
    demo.sync()
    clock.set(clock.now() + timedelta(days=400))
    platform.run_schedulers()
    demo.sync()


@pytest.fixture(scope="module")
def history() -> Iterator[Platform]:
    """The demo scenario and an epilogue, recorded in memory once for the module (then only read)."""
    clock = ManualClock(DEMO_START)
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused"), demo=True), clock=clock, in_memory=True)
    assert seed_demo(platform, clock)
    epilogue(platform, clock)
    try:
        yield platform
    finally:
        platform.stop()


@pytest.fixture(scope="module")
def db(pg_database: str) -> Iterator[Database]:
    database = connect(settings_from({"PAIZHU_MODE": "distributed", **pg_env(pg_database)}).read_models_url())
    try:
        yield database
    finally:
        database.close()


def logs_of(platform: Platform, wanted: frozenset[str]) -> dict[str, list[Envelope]]:
    """Each service's published events of these types, in position order."""
    return {service: app.reader_for(wanted)(0, 1_000_000)[0] for service, app in platform.apps.items()}


def partition_of(stream_id: str, partitions: int) -> int:
    return zlib.crc32(stream_id.encode()) % partitions


Partition = tuple[str, int]


def published(logs: dict[str, list[Envelope]], partitions: int, rng: random.Random) -> dict[Partition, list[Item]]:
    """What the relays leave on topics of `partitions` partitions: each service's events in position order,
    each on its stream's partition, in batches of random size; after each batch a watermark on every partition;
    now and then a batch published twice (a relay that crashed before recording it published it again)."""
    topics: dict[Partition, list[Item]] = {}
    for service, envelopes in logs.items():
        topic = topic_for(service)
        for part in range(partitions):
            topics[(topic, part)] = []
        start = 0
        while start < len(envelopes):
            batch = envelopes[start:start + rng.randint(1, 20)]
            start += len(batch)
            for _ in range(2 if rng.random() < 0.15 else 1):
                for envelope in batch:
                    key = (topic, partition_of(envelope.stream_id, partitions))
                    topics[key].append(Item(topic, key[1], len(topics[key]), envelope))
            for part in range(partitions):
                topics[(topic, part)].append(Item(topic, part, len(topics[(topic, part)]),
                                                  watermark=batch[-1].position))
    return topics


def interleaved(topics: dict[Partition, list[Item]], rng: random.Random, mode: str) -> list[Item]:
    """One delivery order of the partitions' messages (each partition's order kept, the partitions interleaved):
    `random` takes the next message of a random partition; `reversed` reads the partitions one after the other,
    the last first (the newest streams before the oldest); `shuffled` one after the other in a random order."""
    queues = {key: list(items) for key, items in topics.items() if items}
    if mode == "reversed":
        return [item for key in reversed(list(queues)) for item in queues[key]]
    if mode == "shuffled":
        keys = list(queues)
        rng.shuffle(keys)
        return [item for key in keys for item in queues[key]]
    order: list[Item] = []
    while queues:
        key = rng.choice(list(queues))
        order.append(queues[key].pop(0))
        if not queues[key]:
            del queues[key]
    return order


def contents(runner: ProjectionRunner) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the read model's tables (to show where a read model differs from its rebuild)."""
    with runner.db.transaction() as tx:
        return {table: sorted(tx.fetchall(f"SELECT * FROM {table}"), key=repr) for table in runner.projection.tables}


def difference(expected: dict[str, list[tuple[object, ...]]], got: dict[str, list[tuple[object, ...]]]) -> str:
    lines = []
    for table, rows in expected.items():
        missing = [r for r in rows if r not in got[table]]
        extra = [r for r in got[table] if r not in rows]
        if missing or extra:
            lines.append(f"{table}: rebuild only {missing[:3]}; interleaving only {extra[:3]}")
    return "\n".join(lines)


def project_in_order(runner: ProjectionRunner, platform: Platform) -> str:
    """The reference: a rebuild from zero reading each service's log in position order."""
    runner.reset()
    runner.partition_counts.clear()
    readers = {service: app.reader_for(runner.projection.event_types) for service, app in platform.apps.items()}
    LogFollower(runner, readers).run_once()
    return runner.projection.checksum(runner.db)


def project_partitioned(runner: ProjectionRunner, order: list[Item], partitions: int, rng: random.Random) -> str:
    """`order` applied in batches of random size; the runner's caches are lost now and then (another
    projector's turn, a restart)."""
    runner.reset()
    runner.partition_counts.update({topic_for(service): partitions for service in SERVICES})
    start = 0
    while start < len(order):
        size = rng.choice((1, 2, 5, 17, 60))
        runner.process(order[start:start + size])
        start += size
        if rng.random() < 0.2:
            runner.reload()
    assert runner.dead_letter_count() == 0
    return runner.projection.checksum(runner.db)


def test_the_catalogue_is_covered() -> None:
    assert set(available()) == set(PROJECTIONS)


@pytest.mark.parametrize("name", sorted(PROJECTIONS))
def test_any_interleaving_keeping_each_streams_order_gives_the_rebuilds_read_model(
    name: str, history: Platform, db: Database
) -> None:
    runner = ProjectionRunner(available()[name](), db)
    runner.setup()
    logs = logs_of(history, runner.projection.event_types)
    assert sum(map(len, logs.values())) > 0
    expected = project_in_order(runner, history)
    rebuilt = contents(runner)
    # 64 partitions: nearly every stream on one of its own, the streams of a service in any order
    orders = [(mode, partitions, 0) for partitions in (3, 64) for mode in ("reversed", "shuffled")]
    orders += [("random", partitions, seed) for partitions in (3, 64) for seed in SEEDS]
    diverged = []
    for mode, partitions, seed in orders:
        rng = random.Random(f"{name}/{mode}/{partitions}/{seed}")
        order = interleaved(published(logs, partitions, rng), rng, mode)
        if project_partitioned(runner, order, partitions, rng) != expected:
            diverged.append(f"{mode}/{partitions}/{seed}:\n{difference(rebuilt, contents(runner))}")
    assert not diverged, f"{name} differs from its rebuild after the interleavings " + "\n".join(diverged)
