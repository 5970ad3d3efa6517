"""Three projector processes of one read model on three-partition topics form a consumer group; under a steady
command load one is killed (SIGKILL), the others take over its partitions, and the read model equals a rebuild
from zero (checksum) with nothing lost or doubled. Real PostgreSQL, a real Tansu broker, real processes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bench.support import create_database, drop_database, run_cli
from events.catalog import load_all
from events.topics import topic_for
from paizhu.keys import load_keys
from paizhu.services import build_app
from projections.common.db import connect
from projections.hq_dashboard.projection import HqDashboard
from runtime.policy_runners import KafkaPolicyRunner
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from runtime.relay import RELAY_TRACKING, Relay, kafka_producer
from runtime.topic_guard import TopicGuard, TopicMisconfigured, check_partitions
from tests.conftest import broker_with_topics, last_published, settings_from
from tests.factories import acting_as
from tests.integration.group_members import held as held_by
from tests.integration.group_members import wait

pytestmark = pytest.mark.integration
PARTITIONS = 3
LEDGERS = topic_for("ledgers")


@pytest.fixture(scope="module")
def kafka_bootstrap() -> Iterator[str]:
    """A fresh broker whose service topics have three partitions (the shared fixture makes them with one)."""
    yield from broker_with_topics(PARTITIONS)


@pytest.fixture(scope="module")
def env(distributed: dict[str, str]) -> dict[str, str]:
    return {**distributed, "PAIZHU_KAFKA_PARTITIONS": str(PARTITIONS), "PAIZHU_LOG_LEVEL": "INFO"}


class Load:
    """Directives registered and staged at a steady pace by one thread; the relay publishes them (in-process)."""

    def __init__(self, env: dict[str, str]) -> None:
        load_all()
        settings = settings_from(env)
        keys = load_keys(settings)
        self.app = build_app(settings, keys, "ledgers")
        self.relay_app = build_app(settings, keys, "ledgers")
        self.relay = Relay(self.relay_app, kafka_producer(env["PAIZHU_KAFKA_BOOTSTRAP"]),
                           guard=TopicGuard(env["PAIZHU_KAFKA_BOOTSTRAP"], LEDGERS, PARTITIONS),
                           partitions=PARTITIONS)
        self.stop = threading.Event()  # the relay's
        self.halt = threading.Event()  # the commands'
        self.directives = 0
        self.threads = [threading.Thread(target=self._commands, daemon=True),
                        threading.Thread(target=self.relay.run, args=(self.stop,), daemon=True)]

    def _commands(self) -> None:
        with self.app.acting(acting_as()):
            while not self.halt.is_set():
                directive_id = self.app.register_directive(
                    group_id="group-mee", unit_id="unit-mee", reference_number=f"环发〔2026〕{self.directives}号",
                    issuer="生态环境部", title=f"批示件{self.directives}", issued_on=date(2026, 1, 2),
                    received_on=date(2026, 1, 3), lead_department="办公厅")["directive_id"]
                self.app.record_stage(directive_id=directive_id, stage="relay_study", done_on=date(2026, 1, 4),
                                      summary="传达", done_by="党组")
                self.directives += 1
                time.sleep(0.05)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def close(self) -> None:
        self.halt.set()
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)
        self.relay.close()  # the producer and the guard's consumer
        self.app.close()
        self.relay_app.close()


def held(log: Path) -> set[int]:
    """The partitions of the ledgers topic the projector's last assignment gave it (from its log)."""
    return held_by(log, LEDGERS)


def test_a_projector_killed_under_load_its_partitions_taken_over_nothing_lost_or_doubled(
    env: dict[str, str], tmp_path: Path
) -> None:
    runner = ProjectionRunner(HqDashboard(), connect(settings_from(env).read_models_url()))
    runner.setup()
    logs = [tmp_path / f"projector-{n}.log" for n in range(3)]
    projectors: list[subprocess.Popen[bytes]] = []
    load = Load(env)
    try:
        for log in logs:
            with log.open("wb") as out:
                projectors.append(run_cli(env, "project", "hq_dashboard", stdout=out, stderr=subprocess.STDOUT))
        load.start()
        # the group settles: each of the three holds one partition of the ledgers topic
        wait(lambda: sorted(p for log in logs for p in held(log)) == [0, 1, 2] and all(held(log) for log in logs),
             150, "the three projectors share the three partitions")
        wait(lambda: runner.positions().get("ledgers", 0) > 0, 30, "the read model covers some events")
        victim = 1
        lost = held(logs[victim])
        os.kill(projectors[victim].pid, signal.SIGKILL)  # mid-batch or between batches: no goodbye to the group
        projectors[victim].wait(timeout=10)
        survivors = [n for n in range(3) if n != victim]
        wait(lambda: lost <= held(logs[survivors[0]]) | held(logs[survivors[1]]), 45,
             "the survivors take over the killed projector's partitions")
        time.sleep(2.0)  # the load goes on a little after the takeover
        load.halt.set()
        load.threads[0].join(timeout=30)
        wait(lambda: (load.relay_app.process_recorder.max_tracking_id(RELAY_TRACKING) or 0)
             >= load.app.max_position(), 60, "the relay published everything")
        newest = last_published(load.app)
        assert runner.wait_for("ledgers", newest, timeout=60), "the read model does not cover every event"
        for n in survivors:
            projectors[n].send_signal(signal.SIGTERM)
            assert projectors[n].wait(timeout=30) == 0
        directives = load.directives
        checksum = runner.projection.checksum(runner.db)
        with runner.db.transaction() as tx:
            rows = tx.fetchall("SELECT COUNT(*), SUM(stages_done) FROM hq_directives")
        assert (int(rows[0][0]), int(rows[0][1])) == (directives, directives)  # nothing lost, nothing doubled
        assert runner.dead_letter_count() == 0

        # the same history projected from zero by one runner straight from the service's store
        fresh = create_database("paizhu_t_rebuild_")
        try:
            db = connect(settings_from({**env, "PAIZHU_PG_DBNAME": fresh}).read_models_url())
            rebuilt = ProjectionRunner(HqDashboard(), db)
            rebuilt.setup()
            LogFollower(rebuilt, {"ledgers": load.app.reader_for(rebuilt.projection.event_types)}).run_once()
            assert rebuilt.projection.checksum(db) == checksum
            db.close()
        finally:
            drop_database(fresh)
    finally:
        for process in projectors:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        load.close()
        runner.db.close()
        for log in logs:
            print(log.name, log.read_text(errors="replace")[-3000:])


def test_a_process_configured_for_other_partitions_than_the_topics_refuses_to_start(env: dict[str, str]) -> None:
    with pytest.raises(TopicMisconfigured, match=re.escape(f"{LEDGERS} has {PARTITIONS}")):
        check_partitions(env["PAIZHU_KAFKA_BOOTSTRAP"], [LEDGERS], 1)
    check_partitions(env["PAIZHU_KAFKA_BOOTSTRAP"], [LEDGERS], PARTITIONS)  # as configured: no complaint
    policies = KafkaPolicyRunner(None, env["PAIZHU_KAFKA_BOOTSTRAP"], ["ledgers"], partitions=1)  # type: ignore[arg-type]
    with pytest.raises(TopicMisconfigured):  # before consuming anything (it would track by position)
        policies._consume(threading.Event())
    relay = run_cli({**env, "PAIZHU_KAFKA_PARTITIONS": "1"}, "relay", "ledgers", stderr=subprocess.PIPE)
    _, err = relay.communicate(timeout=180)
    assert relay.returncode == 3  # a refusal, not a crash (and never a relay publishing one partition's order)
    assert "PAIZHU_KAFKA_PARTITIONS=1" in err.decode() and "Traceback" not in err.decode()
