"""Read-model schema versions on PostgreSQL: the same cases as on SQLite, and a distributed projector that
rebuilds a changed read model from the beginning of the topics."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from bench.support import pg_dsn
from events.kafka import ensure_topics
from events.topics import topic_for
from projections.common.db import Database, PostgresDatabase
from projections.hq_dashboard.projection import HqDashboard
from runtime.projection_feeds import KafkaFeed
from runtime.projection_runner import ProjectionRunner
from tests.unit.observability import schema_cases

pytestmark = pytest.mark.integration


@pytest.fixture
def db(pg_database: str) -> Iterator[Database]:
    database = PostgresDatabase(pg_dsn(pg_database))
    with database.transaction() as tx:  # each case starts from an empty read-model schema
        tx.execute("DROP SCHEMA public CASCADE")
        tx.execute("CREATE SCHEMA public")
    try:
        yield database
    finally:
        database.close()


@pytest.mark.parametrize("case", schema_cases.CASES, ids=lambda c: c.__name__)
def test_schema_versions_on_postgres(case: Callable[[Database], None], db: Database) -> None:
    case(db)


def test_a_changed_version_rebuilds_from_the_history_on_postgres(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    schema_cases.a_changed_version_rebuilds_from_the_history_to_identical_tables(db, caplog)


def test_a_projector_rebuilds_a_changed_read_model_from_the_beginning_of_its_topic(
    db: Database, kafka_bootstrap: str
) -> None:
    from kafka import KafkaProducer

    topic = topic_for("ledgers")
    ensure_topics(kafka_bootstrap, [topic], partitions=1)
    events = schema_cases.history(4)
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    for envelope in events:
        producer.send(topic, key=envelope.stream_id.encode(), value=envelope.to_bytes())
    producer.flush()
    producer.close()

    old = ProjectionRunner(HqDashboard(), db)
    old.setup()
    assert KafkaFeed(old, kafka_bootstrap, [topic]).run(threading.Event(), max_events=4) == 4
    before = old.projection.checksum(db)
    assert schema_cases.rows(db) == 4

    new = ProjectionRunner(schema_cases.HqDashboardV2(), db)
    new.setup()  # as `paizhu project` does on start
    assert schema_cases.rows(db) == 0 and new.tracked_offsets() == {}
    assert KafkaFeed(new, kafka_bootstrap, [topic]).run(threading.Event(), max_events=4) == 4
    assert new.projection.checksum(db) == before
    assert schema_cases.stored_schema(db) == (schema_cases.HqDashboardV2.schema_version,
                                              schema_cases.HqDashboardV2.ddl_checksum())
