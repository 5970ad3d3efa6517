"""Two instances of the ledgers service on three-partition topics share its policy's consumer group; under a steady
stream of unit notifications one is killed (SIGKILL), the other takes over its partitions, and every notification
becomes exactly one directive (or one link, when its reference number is already in the ledger): nothing lost,
nothing doubled. Real PostgreSQL, a real Tansu broker, real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaProducer

from bench.support import free_port, run_cli
from events.catalog import load_all
from events.registry import decode
from events.topics import topic_for
from events.units import DirectiveNotified
from paizhu.keys import load_keys
from paizhu.services import build_app
from services.common.application import ServiceApplication
from tests.conftest import broker_with_topics, settings_from
from tests.factories import make_envelope
from tests.integration.group_members import held, wait

pytestmark = pytest.mark.integration
PARTITIONS = 3
UNITS = topic_for("units")


@pytest.fixture(scope="module")
def kafka_bootstrap() -> Iterator[str]:
    yield from broker_with_topics(PARTITIONS)


@pytest.fixture(scope="module")
def env(distributed: dict[str, str]) -> dict[str, str]:
    return {**distributed, "PAIZHU_KAFKA_PARTITIONS": str(PARTITIONS), "PAIZHU_LOG_LEVEL": "INFO"}


@pytest.fixture
def ledgers(env: dict[str, str]) -> Iterator[ServiceApplication]:
    """The ledgers service's store, read (and, in the race test, written) in-process."""
    load_all()
    settings = settings_from(env)
    app = build_app(settings, load_keys(settings), "ledgers")
    try:
        yield app
    finally:
        app.close()


def notification(position: int, reference: str) -> Any:
    """A unit's notification as the units relay publishes it: each on a stream of its own (so they spread over
    the partitions), positions rising."""
    return make_envelope(
        DirectiveNotified(notification_id=f"n-{position}", reference_number=reference, issuer="国务院办公厅",
                          title=f"关于落实{reference}的通知", issued_on=date(2025, 3, 1), received_on=date(2025, 3, 3),
                          lead_department="办公厅"),
        service="units", position=position, distribution="unit", stream_id=str(uuid.uuid4()))


class Notifications:
    """Publishes notifications at a steady pace: every fourth repeats the previous reference number (the same
    directive notified twice: a link, not a second directive), every seventh is published twice (a relay that
    republished after a crash)."""

    def __init__(self, bootstrap: str) -> None:
        self.producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
        self.sent: list[Any] = []
        self.halt = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        reference = ""
        while not self.halt.is_set():
            n = len(self.sent) + 1
            if n % 4 != 0:
                reference = f"国办发〔2026〕{n}号"
            envelope = notification(n, reference)
            for _ in range(2 if n % 7 == 0 else 1):
                self.producer.send(UNITS, key=envelope.stream_id.encode(), value=envelope.to_bytes())
            self.producer.flush()
            self.sent.append(envelope)
            time.sleep(0.04)

    def stop(self) -> None:
        self.halt.set()
        self.thread.join(timeout=30)
        self.producer.close()


def effects(app: ServiceApplication) -> tuple[Counter[str], Counter[str]]:
    """Directives registered by reference number, and notifications linked by id, in the ledgers' log."""
    envelopes, _ = app.integration_events(0, 1_000_000)
    registered = Counter(e.payload["reference_number"] for e in envelopes if e.type == "ledgers.DirectiveRegistered")
    linked = Counter(e.payload["notification_id"] for e in envelopes if e.type == "ledgers.DirectiveNotificationLinked")
    return registered, linked


def test_a_policy_instance_killed_under_load_the_other_takes_over_nothing_lost_or_doubled(
    env: dict[str, str], ledgers: ServiceApplication, tmp_path: Path
) -> None:
    logs = [tmp_path / f"ledgers-{n}.log" for n in range(2)]
    instances: list[subprocess.Popen[bytes]] = []
    load = Notifications(env["PAIZHU_KAFKA_BOOTSTRAP"])
    try:
        for log in logs:
            with log.open("wb") as out:
                instances.append(run_cli(env, "service", "ledgers", "--port", str(free_port()), stdout=out,
                                         stderr=subprocess.STDOUT))
        load.thread.start()
        wait(lambda: all(held(log, UNITS) for log in logs)
             and sorted(p for log in logs for p in held(log, UNITS)) == list(range(PARTITIONS)), 150,
             "the two instances share the units topic's partitions")
        wait(lambda: sum(effects(ledgers)[1].values()) > 10, 60, "the policy opens directives")
        victim, survivor = 0, 1
        os.kill(instances[victim].pid, signal.SIGKILL)  # mid-batch or between: no goodbye to the group
        instances[victim].wait(timeout=10)
        wait(lambda: held(logs[survivor], UNITS) == set(range(PARTITIONS)), 45,
             "the survivor takes over the killed instance's partitions")
        time.sleep(2.0)  # the notifications go on a little after the takeover
        load.stop()
        ids = {e.payload["notification_id"] for e in load.sent}
        wait(lambda: set(effects(ledgers)[1]) >= ids, 60, "every notification has its effect")
        time.sleep(1.0)  # a doubled effect would come now
        instances[survivor].send_signal(signal.SIGTERM)
        assert instances[survivor].wait(timeout=30) == 0
        registered, linked = effects(ledgers)
        references = {e.payload["reference_number"] for e in load.sent}
        assert +Counter({r: registered[r] for r in references}) == Counter(references), \
            "a directive per reference number, none twice"
        assert +Counter({i: linked[i] for i in ids}) == Counter(ids), "each notification linked once"
        assert len(references) < len(ids)  # some notifications were links to a directive already open
    finally:
        for process in instances:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        if not load.halt.is_set():
            load.stop()
        for log in logs:
            print(log.name, log.read_text(errors="replace")[-3000:])


def test_two_instances_racing_for_one_reference_number_open_one_directive_and_link_both(
    env: dict[str, str], ledgers: ServiceApplication
) -> None:
    """Two notifications of one reference number on two partitions, handled by two instances at the same moment:
    both find the number free; the second to commit collides with the first's reservation and runs its policy
    again, which now links its notification to the directive the first opened (nothing silently dropped)."""
    settings = settings_from(env)
    other = build_app(settings, load_keys(settings), "ledgers")
    first, second = notification(10_001, "国办发〔2026〕竞1号"), notification(10_002, "国办发〔2026〕竞1号")
    policy = ledgers._policies[first.type]
    raced = []

    def racing(envelope: Any, payload: Any, processing: Any) -> None:
        policy(envelope, payload, processing)  # found the number free; not recorded yet
        if not raced:
            raced.append(other.process_integration_event(first, decode(first), True))  # the other instance wins

    ledgers._policies[first.type] = racing
    try:
        assert ledgers.process_integration_event(second, decode(second), True)
    finally:
        ledgers._policies[first.type] = policy
        other.close()
    assert raced == [True]
    registered, linked = effects(ledgers)
    assert registered["国办发〔2026〕竞1号"] == 1
    assert linked[first.payload["notification_id"]] == linked[second.payload["notification_id"]] == 1
    assert ledgers.already_processed(first, True) and ledgers.already_processed(second, True)
