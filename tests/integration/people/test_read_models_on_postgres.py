"""The clue queue and people read models on PostgreSQL, fed through a real Kafka-protocol broker: the same
rows, figures and checksums as on SQLite, authorised in the query, rebuilt identically."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from eventsourcing.cryptography import AESCipher

from events.catalog import load_all
from events.sealed import generate_keypair
from events.topics import topic_for
from projections.clue_queue import view as clue_view
from projections.clue_queue.projection import ClueQueue
from projections.common.db import Database, SqliteDatabase, connect
from projections.common.query import PageRequest
from projections.people import view as people_view
from projections.people.projection import People
from runtime.projection_feeds import KafkaFeed, LogFollower
from runtime.projection_runner import Item, ProjectionRunner
from runtime.relay import Relay
from services.clues.application import CluesApplication
from services.common.clock import ManualClock
from tests.conftest import settings_from
from tests.unit.clues.conftest import START, as_leader, decide, register
from tests.unit.projections.test_people import DEPUTY, HQ, LEADER, STAFF, history

pytestmark = pytest.mark.integration
PEOPLE = (LEADER, STAFF, DEPUTY, HQ)


@pytest.fixture(scope="module")
def clues(tmp_path_factory: pytest.TempPathFactory) -> CluesApplication:
    load_all()
    private, _ = generate_keypair()
    clock = ManualClock(START)
    app = CluesApplication(env={
        "PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path_factory.mktemp("c") / "clues.db"),
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": AESCipher.create_key(num_bytes=32),
        "CLUES_SEALING_PRIVATE_KEY": private,
    }, clock=clock)
    first = register(app)  # compartment li.na, zhang.wei (registrar), zhou.min
    decide(app, first, "close")
    second = register(app, assigned=[], received_on=date(2025, 3, 4), categories=["political"])
    with as_leader(app):
        app.add_member(second, "wang.qiang", "分管")
    register(app, group_id="group-mee", assigned=["zhou.min"], received_on=date(2025, 3, 5))
    return app


def sqlite_model(app: CluesApplication) -> tuple[SqliteDatabase, ProjectionRunner]:
    db = SqliteDatabase(":memory:")
    runner = ProjectionRunner(ClueQueue(), db)
    runner.setup()
    LogFollower(runner, {"clues": app.integration_events}).run_once()
    return db, runner


def kafka_model(distributed: dict[str, str], app: CluesApplication) -> tuple[Database, ProjectionRunner, int]:
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=distributed["PAIZHU_KAFKA_BOOTSTRAP"], acks="all")
    relay = Relay(app, producer)
    while relay.run_once():
        pass
    producer.close()
    db = connect(settings_from(distributed).read_models_url())
    runner = ProjectionRunner(ClueQueue(), db)
    runner.setup()
    published = len(app.integration_events(0, 10_000)[0])
    return db, runner, published


def consume(runner: ProjectionRunner, distributed: dict[str, str], events: int) -> None:
    feed = KafkaFeed(runner, distributed["PAIZHU_KAFKA_BOOTSTRAP"], [topic_for("clues")], batch=100)
    done = threading.Event()
    feed.run(done, max_events=events)


def test_clue_queue_through_the_broker_on_postgres(distributed: dict[str, str], clues: CluesApplication) -> None:
    lite, lite_runner = sqlite_model(clues)
    pg, runner, published = kafka_model(distributed, clues)
    consume(runner, distributed, published)
    assert runner.positions().get("clues") == clues.integration_events(0, 10_000)[0][-1].position
    for principal in PEOPLE:
        with pg.transaction() as tx, lite.transaction() as lt:
            sort = clue_view.CLUE_SORTS["-received_on"]
            rows = clue_view.list_clues(tx, principal, clue_view.ClueFilters(), sort, PageRequest(50)).rows
            assert rows == clue_view.list_clues(lt, principal, clue_view.ClueFilters(), sort, PageRequest(50)).rows
            assert clue_view.clue_figures(tx, principal) == clue_view.clue_figures(lt, principal)
    with pg.transaction() as tx:
        counts = {p.user_id: clue_view.clue_figures(tx, p).get("group-mee", {}).get("total", 0) for p in PEOPLE}
        listed = {p.user_id: len(clue_view.list_clues(tx, p, clue_view.ClueFilters(), clue_view.CLUE_SORTS["received_on"],
                                                      PageRequest(50)).rows) for p in PEOPLE}
    assert counts == {"li.na": 3, "zhang.wei": 3, "wang.qiang": 1, "chen.hq": 3}
    assert listed == {"li.na": 3, "zhang.wei": 3, "wang.qiang": 1, "chen.hq": 0}  # HQ counts, never lists
    checksum = runner.projection.checksum(pg)
    assert checksum == lite_runner.projection.checksum(lite)
    runner.reset()
    consume(runner, distributed, published)
    assert runner.projection.checksum(pg) == checksum


def test_people_model_on_postgres_matches_sqlite(distributed: dict[str, str], tmp_path: Path) -> None:
    events = history()
    found = {}
    for name, db in (("pg", connect(settings_from(distributed).read_models_url())), ("sqlite", SqliteDatabase(":memory:"))):
        runner = ProjectionRunner(People(), db)
        runner.setup()
        runner.process([Item("fixture", 0, n, e) for n, e in enumerate(events)])
        with db.transaction() as tx:
            found[name] = [people_view.portrait(tx, p, "unit-mee", 2025) for p in PEOPLE] + [
                people_view.quarterly(tx, p, None, 2025, 1) for p in PEOPLE] + [
                people_view.matters_of(tx, p, "p-wang", PageRequest(50)).rows for p in PEOPLE] + [
                people_view.persons(tx, p, "unit-mee", None, None, PageRequest(50)).rows for p in PEOPLE] + [
                people_view.person(tx, p, "p-wang") for p in PEOPLE] + [
                people_view.integrity_file(tx, p, "p-wang", PageRequest(50)).rows for p in PEOPLE]
        found[name + "-checksum"] = People().checksum(db)
    assert found["pg"] == found["sqlite"]
    assert found["pg-checksum"] == found["sqlite-checksum"]
    assert found["pg"][0]["indicators"]["relay_median_days"] == 5.0
    assert found["pg"][0]["indicators"]["inspection_findings"] == 1
