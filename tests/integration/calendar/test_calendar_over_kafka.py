"""The arrangement recorded in the ledgers service (PostgreSQL) reaches the clues service (PostgreSQL, encrypted)
through the real relay and broker; the clues' provisional deadline is recomputed once, also when delivered twice.

2026 stands for the year without official data (the library is made to stop at 2025): no 2027 notice exists.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest
from kafka import KafkaAdminClient, TopicPartition

from events.catalog import load_all
from events.topics import topic_for
from paizhu.keys import load_keys
from paizhu.services import build_app
from runtime.policy_runners import KafkaPolicyRunner
from runtime.relay import Relay, kafka_producer
from services.common import workdays
from services.common.clock import ManualClock
from services.common.workdays import Arrangement
from tests.conftest import settings_from
from tests.factories import acting_as

pytestmark = pytest.mark.integration
EXAMPLE = Path(__file__).resolve().parents[3] / "calendar" / "2026.toml"


def test_the_clues_learn_the_arrangement_over_the_bus_and_recompute(
    distributed: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_all()
    monkeypatch.setattr(workdays, "LAST_YEAR", 2025)
    monkeypatch.setenv("CLUES_LIMIT_DISPOSITION", "20w")
    settings = settings_from(distributed)
    keys = load_keys(settings)
    clock = ManualClock(datetime(2025, 12, 10, 1, 0, tzinfo=UTC))
    ledgers = build_app(settings, keys, "ledgers", clock=clock)
    clues = build_app(settings, keys, "clues", clock=clock)
    with clues.acting(acting_as("zhang.wei", role="group_staff")):
        clue_id = str(clues.register_clue(  # type: ignore[attr-defined]
            group_id="group-mee", unit_id="unit-mee", source="petition", subject_name="甄晓岚",
            subject_unit="环境影响评价司", subject_post="副司长", key_person=False, categories=["integrity"],
            summary="反映其违规干预项目评审", leader="li.na", assigned=["zhou.min"], received_on=date(2025, 12, 15),
        )["clue_id"])
    assert clues.repository.get(UUID(clue_id)).deadlines["disposition"]["due_on"] == date(2026, 1, 12)

    with ledgers.acting(acting_as("chen.hq", "hq", "hq_staff")):
        ledgers.record_calendar_arrangement(**Arrangement.from_file(EXAMPLE).as_dict())  # type: ignore[attr-defined]
    producer = kafka_producer(settings.kafka_bootstrap)
    assert Relay(ledgers, producer).run_once() >= 1
    envelopes, _ = ledgers.integration_events(0, 1000)
    (arrangement,) = [e for e in envelopes if e.type == "ledgers.CalendarArrangementRecorded"]
    # the relay crashed before saving its position: the arrangement is delivered a second time
    duplicate = producer.send(topic_for("ledgers"), key=arrangement.stream_id.encode(),
                              value=arrangement.to_bytes()).get(timeout=30)
    producer.close()

    stop = threading.Event()
    runner = threading.Thread(target=KafkaPolicyRunner(clues, settings.kafka_bootstrap, ["ledgers"]).run,
                              args=(stop,))
    runner.start()
    try:
        deadline = time.monotonic() + 60
        while clues.working_calendar().provisional(2026):  # type: ignore[attr-defined]
            assert time.monotonic() < deadline, "the clues service did not receive the arrangement"
            time.sleep(0.1)
        # the second delivery arrives too: the policy's consumer group commits past it
        admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
        try:
            group = f"paizhu.policy.{clues.name}"
            while True:
                committed = admin.list_group_offsets(group).get(group, {}).get(TopicPartition(topic_for("ledgers"), 0))
                if committed is not None and committed.offset > duplicate.offset:
                    break
                assert time.monotonic() < deadline, "the clues service did not consume the second delivery"
                time.sleep(0.1)
        finally:
            admin.close()
    finally:
        stop.set()
        runner.join(30)
    clue = clues.repository.get(UUID(clue_id))
    assert clue.deadlines["disposition"]["due_on"] == date(2026, 1, 13)
    recomputed = [e for e in clues.repository.event_store.get(UUID(clue_id))
                  if type(e).__name__ == "DeadlineRecomputed"]
    assert [(e.old_due_on, e.new_due_on) for e in recomputed] == [(date(2026, 1, 12), date(2026, 1, 13))]
    ledgers.close()
    clues.close()
