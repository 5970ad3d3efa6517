"""Distributed mode: the clues policy parks a referral it refuses on the dead-letter topic once, with no
content in the reason or the logs, and goes on with the next events (real broker, real PostgreSQL)."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from kafka import KafkaProducer

from events.catalog import load_all
from events.inspections import ClueReferred
from events.sealed import seal
from events.topics import DEAD_LETTER_TOPIC, topic_for
from paizhu.keys import load_keys
from paizhu.services import build_app
from runtime.policy_runners import KafkaPolicyRunner
from tests.conftest import read_topic, settings_from
from tests.factories import make_envelope

pytestmark = pytest.mark.integration

MARK = "zz-MARKED-9b27d0"


def referral(public_key: str, position: int, categories: list[str]):  # type: ignore[no-untyped-def]
    content = {"subject_name": "王某某", "subject_unit": "某司", "subject_post": "副司长", "key_person": False,
               "categories": categories, "summary": f"摘要 {MARK}"}
    return make_envelope(
        ClueReferred(referral_id=f"ref-{position}", round_id="round-1", activity_id=None,
                     sealed_content=seal(content, public_key)),
        service="inspections", position=position, distribution="group")


def test_a_refused_referral_is_dead_lettered_once_and_the_policy_goes_on(
    distributed: dict[str, str], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    load_all()
    settings = settings_from(distributed)
    keys = load_keys(settings)
    clues = build_app(settings, keys, "clues")
    bad = referral(keys.clues_sealing_public, 3, [MARK])
    good = referral(keys.clues_sealing_public, 4, ["integrity"])
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    for envelope in (bad, bad, good):  # the bad one twice: the relay republished it after a crash
        producer.send(topic_for("inspections"), key=envelope.stream_id.encode(), value=envelope.to_bytes())
    producer.flush()
    producer.close()

    stop = threading.Event()
    runner = threading.Thread(
        target=KafkaPolicyRunner(clues, settings.kafka_bootstrap, ["inspections"]).run, args=(stop,))
    runner.start()
    try:
        deadline = time.monotonic() + 60
        while (clues.process_recorder.max_tracking_id("inspections") or 0) < 4:
            assert runner.is_alive(), "the policy thread died"
            assert time.monotonic() < deadline, "the policy did not go on past the refused referral"
            time.sleep(0.1)
    finally:
        stop.set()
        runner.join(30)
    envelopes, _ = clues.integration_events(0, 1000)
    registered = [e for e in envelopes if e.type == "clues.ClueRegistered"]
    assert len(registered) == 1 and "ref-4" in registered[0].to_bytes().decode()

    parked = [m for m in read_topic(settings.kafka_bootstrap, DEAD_LETTER_TOPIC)
              if dict(m.headers).get("projection") == b"policy:clues"]
    assert len(parked) == 1
    headers = dict(parked[0].headers)
    assert headers["reason"].decode().startswith("InvalidInputError: inspections.ClueReferred")
    assert bad.event_id in headers["reason"].decode()
    assert MARK.encode() not in headers["reason"]
    assert MARK not in caplog.text
    clues.close()
