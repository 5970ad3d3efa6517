"""A transaction holding notification n open while n+1 waits: the relay and projections never skip n."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest

from events.catalog import load_all
from events.envelope import Envelope
from events.topics import topic_for
from paizhu.keys import load_keys
from paizhu.services import build_app
from projections.common.db import SqliteDatabase
from projections.hq_dashboard.projection import HqDashboard
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from runtime.relay import Relay, kafka_producer
from tests.conftest import read_topic, settings_from
from tests.factories import acting_as

pytestmark = pytest.mark.integration


def register(app: Any, n: int) -> None:
    """Directives of different units, so the two writes do not conflict on a shared aggregate."""
    with app.acting(acting_as()):
        app.register_directive(group_id="group-mee", unit_id=f"unit-{n}", reference_number=f"环发〔2025〕{n}号",
                               issuer="生态环境部", title=f"批示件{n}", issued_on=date(2025, 1, 2),
                               received_on=date(2025, 1, 3), lead_department="办公厅")


def test_relay_and_projection_do_not_skip_a_slow_commit(distributed: dict[str, str]) -> None:
    load_all()
    settings = settings_from(distributed)
    keys = load_keys(settings)
    slow, fast, reader = (build_app(settings, keys, "ledgers") for _ in range(3))

    inserted, release = threading.Event(), threading.Event()
    original = slow.recorder._fetch_ids_after_insert_events  # type: ignore[attr-defined]

    def hold_open(*args: Any, **kwargs: Any) -> Any:
        ids = original(*args, **kwargs)
        inserted.set()
        assert release.wait(30)
        return ids

    slow.recorder._fetch_ids_after_insert_events = hold_open  # type: ignore[attr-defined]

    relay = Relay(reader, kafka_producer(settings.kafka_bootstrap))
    runner = ProjectionRunner(HqDashboard(), SqliteDatabase(":memory:"))
    runner.setup()
    follower = LogFollower(runner, {"ledgers": reader.integration_events})
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            relay.run_once()
            follower.run_once()
            time.sleep(0.01)

    poller = threading.Thread(target=poll)
    poller.start()
    first = threading.Thread(target=register, args=(slow, 1))
    first.start()
    assert inserted.wait(30)  # notification n is assigned, its transaction still open
    second = threading.Thread(target=register, args=(fast, 2))
    second.start()
    time.sleep(1.0)  # the relay and the projection poll meanwhile
    assert second.is_alive(), "n+1 committed before n: the table lock on insert is gone"
    release.set()
    first.join(30)
    second.join(30)
    deadline = time.monotonic() + 30
    published = max(e.position for e in reader.integration_events(0, 100)[0])
    while relay.position() < reader.max_position() or runner.positions().get("ledgers", 0) < published:
        assert time.monotonic() < deadline, (relay.position(), runner.positions(), reader.max_position())
        time.sleep(0.05)
    stop.set()
    poller.join(10)
    relay.close()

    titles = {
        envelope.payload["title"]
        for envelope in (Envelope.from_bytes(m.value) for m in read_topic(settings.kafka_bootstrap, topic_for("ledgers")))
        if envelope.type == "ledgers.DirectiveRegistered"
    }
    assert {"批示件1", "批示件2"} <= titles
    with runner.db.transaction() as tx:
        rows = tx.fetchall("SELECT title FROM hq_directives")
    assert {r[0] for r in rows} == {"批示件1", "批示件2"}
    for app in (slow, fast, reader):
        app.close()
