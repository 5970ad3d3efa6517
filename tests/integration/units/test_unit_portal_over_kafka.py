"""The unit portal read model on PostgreSQL, fed through the real broker: the hand-computed to-do list, no
clue trace, and a rebuild from the topics giving the same checksum (the same as the embedded SQLite one)."""

from __future__ import annotations

import threading

import pytest
from kafka import KafkaProducer

from authz import Principal
from authz.filters import read_filter
from events.catalog import load_all
from events.topics import topic_for
from projections.common.db import SqliteDatabase, connect
from projections.common.query import PageRequest
from projections.unit_portal import view
from projections.unit_portal.projection import UnitPortal
from runtime.projection_feeds import KafkaFeed
from runtime.projection_runner import ProjectionRunner
from tests.conftest import settings_from
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
    streams = history()
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
