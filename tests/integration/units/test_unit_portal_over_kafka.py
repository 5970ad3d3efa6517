"""The unit portal read model on PostgreSQL, fed through the real broker: the hand-computed to-do list, no
clue trace, and a rebuild from the topics giving the same checksum (the same as the embedded SQLite one)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from kafka import KafkaProducer

from authz import Principal
from authz.filters import read_filter
from events import inspections
from events.catalog import load_all
from events.envelope import Envelope
from events.topics import topic_for
from projections.common.db import SqliteDatabase, connect
from projections.common.projection import Projection
from projections.common.query import PageRequest
from projections.inspection_handoff.projection import InspectionHandoff
from projections.unit_channel.projection import UnitChannel
from projections.unit_portal import view
from projections.unit_portal.projection import UnitPortal
from runtime.projection_feeds import KafkaFeed
from runtime.projection_runner import ProjectionRunner
from tests.conftest import settings_from
from tests.factories import make_envelope
from tests.unit.projections.portal_history import TODO_MEE_ALL, as_items, history, serial

pytestmark = pytest.mark.integration

UNIT_MEE = Principal("zhao.unit", "赵磊", "unit-mee", "unit", frozenset({"unit_liaison"}), unit_id="unit-mee")


def consume(runner: ProjectionRunner, bootstrap: str, count: int) -> None:
    stop = threading.Event()
    feed = KafkaFeed(runner, bootstrap, [topic_for(s) for s in ("clues", "ledgers", "units")])
    worker = threading.Thread(target=feed.run, args=(stop, count))
    worker.start()
    worker.join(120)
    stop.set()
    worker.join(10)
    assert not worker.is_alive()


def test_the_portal_over_kafka_on_postgresql_matches_the_fixed_history(distributed: dict[str, str]) -> None:
    load_all()
    settings = settings_from(distributed)
    streams = STREAMS
    envelopes = serial(streams)
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    for envelope in envelopes:
        producer.send(topic_for(envelope.service), key=envelope.stream_id.encode(), value=envelope.to_bytes())
    producer.flush()
    producer.close()

    runner = ProjectionRunner(UnitPortal(), connect(settings.read_models_url()))
    runner.setup()
    consume(runner, settings.kafka_bootstrap, len(envelopes))
    assert runner.positions() == {service: len(events) for service, events in streams.items()}
    assert runner.dead_letter_count() == 0
    with runner.db.transaction() as tx:
        rows = view.todo_page(tx, read_filter(UNIT_MEE, view.TODO_COLUMNS_OF), PageRequest(limit=200),
                              view.TODO_SORTS["due_on"], statuses=("open", "overdue", "answered", "closed")).rows
        clue_rows = tx.fetchone("SELECT COUNT(*) FROM unit_portal_sources WHERE source_id LIKE 'clue-%%'")
    assert {r["todo_key"]: (r["kind"], r["status"], r["due_on"], r["source_count"]) for r in rows} == TODO_MEE_ALL
    assert clue_rows == (0,)
    checksum = runner.projection.checksum(runner.db)

    embedded = ProjectionRunner(UnitPortal(), SqliteDatabase(":memory:"))
    embedded.setup()
    embedded.process(as_items(envelopes))
    assert embedded.projection.checksum(embedded.db) == checksum

    for _ in range(2):  # rebuilt from the topics, twice
        runner.reset()
        consume(runner, settings.kafka_bootstrap, len(envelopes))
        assert runner.projection.checksum(runner.db) == checksum


@pytest.mark.parametrize("projection", [UnitChannel, InspectionHandoff])
def test_the_other_read_models_on_postgresql_equal_their_embedded_twins(
        distributed: dict[str, str], projection: type[Projection]) -> None:
    """The same topics (the first test published them; inspections events added here) into PostgreSQL and into
    SQLite give the same checksum: the SQL of every handler means the same in both dialects."""
    load_all()
    settings = settings_from(distributed)
    extra = EXTRA
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    if projection is UnitChannel:
        for envelope in extra:
            producer.send(topic_for("inspections"), key=envelope.stream_id.encode(), value=envelope.to_bytes())
    producer.flush()
    producer.close()
    envelopes = serial(STREAMS) + extra
    runner = ProjectionRunner(projection(), connect(settings.read_models_url()))
    runner.setup()
    topics = [topic_for(s) for s in ("clues", "ledgers", "units", "inspections")]
    stop = threading.Event()
    worker = threading.Thread(target=KafkaFeed(runner, settings.kafka_bootstrap, topics).run,
                              args=(stop, len(envelopes)))
    worker.start()
    worker.join(120)
    stop.set()
    worker.join(10)
    assert runner.dead_letter_count() == 0
    embedded = ProjectionRunner(projection(), SqliteDatabase(":memory:"))
    embedded.setup()
    embedded.process(as_items(envelopes))
    with runner.db.transaction() as tx:
        rows = sum(int(tx.fetchone(f"SELECT COUNT(*) FROM {t}")[0]) for t in runner.projection.tables)  # type: ignore[index]
    assert rows > 0
    assert runner.projection.checksum(runner.db) == embedded.projection.checksum(embedded.db)


def inspection_events() -> list[Envelope]:
    where = {"group_id": "group-mee", "unit_id": "unit-mee"}
    return [  # published once per module: the envelopes carry random correlation ids
        make_envelope(payload, service="inspections", position=n, distribution=distribution,
                      stream_id=f"inspections-{n}", **where)
        for n, (payload, distribution) in enumerate([
            (inspections.RoundRecorded(round_id="r-1", title="巡视", team_id="team-3", member_ids=["xu.team"],
                                       before_start=date(2025, 3, 1), before_end=date(2025, 3, 2),
                                       during_start=date(2025, 3, 3), during_end=date(2025, 4, 1),
                                       after_start=date(2025, 4, 2), after_end=date(2025, 8, 1)), "inspection:r-1"),
            (inspections.RoundOpened(round_id="r-1"), "inspection:r-1"),
            (inspections.RectificationItemHandedOver(item_id="i-1", round_id="r-1", activity_id=None, title="问题",
                                                     description="描述", problem_type="other",
                                                     responsible_department="办公厅", deadline=date(2025, 6, 30)),
             "unit"),
            (inspections.RectificationProgressRecorded(item_id="i-1", round_id="r-1", completed=True,
                                                       source="group"), "unit"),
            (inspections.RoundClosed(round_id="r-1"), "inspection:r-1"),
        ], start=1)
    ]


STREAMS = history()
EXTRA = inspection_events()
