"""A reader that wants a few event types gets exactly those, without decoding the rest; the declared type of
every mapping is the type it publishes; a follower's projection position covers what it passed over."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from paizhu.demo import seed_demo
from paizhu.platform import Platform
from paizhu.settings import Settings
from projections.common.db import connect
from projections.hq_dashboard.projection import HqDashboard
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from services.common.clock import ManualClock


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Platform:
    platform = Platform(Settings(mode="embedded", data_dir=Path("unused"), demo=False),
                        clock=ManualClock(datetime(2025, 1, 6, tzinfo=UTC)), in_memory=True)
    assert seed_demo(platform)
    return platform


def test_every_declared_mapping_publishes_its_declared_type(platform: Platform) -> None:
    checked = 0
    for app in platform.apps.values():
        for notification in app.recorder.select_notifications(start=1, limit=1_000_000):
            declared = app.integration._types.get(notification.topic.rpartition(":")[2])
            if declared is None:
                continue
            envelope = app.integration.to_envelope(app.mapper.to_domain_event(notification), notification.id)
            assert envelope is None or envelope.type == declared
            checked += 1
    assert checked > 50


def test_a_filtered_read_returns_exactly_the_wanted_events_and_covers_the_same_positions(platform: Platform) -> None:
    app = platform.apps["ledgers"]
    wanted = HqDashboard().event_types
    everything, last = app.integration_events(0, 100_000)
    filtered, filtered_last = app.reader_for(wanted)(0, 100_000)
    assert filtered_last == last == app.max_position()
    assert [e.event_id for e in filtered] == [e.event_id for e in everything if e.type in wanted]
    assert 0 < len(filtered) < len(everything)


def test_a_rebuild_from_filtered_readers_gives_the_same_read_model_and_positions(platform: Platform) -> None:
    results = []
    for filtered in (False, True):
        runner = ProjectionRunner(HqDashboard(), connect("sqlite://:memory:"))
        runner.setup()
        readers = {name: (app.reader_for(runner.projection.event_types) if filtered else app.integration_events)
                   for name, app in platform.apps.items()}
        LogFollower(runner, readers, batch=50).run_once()
        results.append((runner.projection.checksum(runner.db), runner.positions()))
    assert results[0][0] == results[1][0]
    assert results[1][1] == {name: app.max_position() for name, app in platform.apps.items()}


def test_a_projection_in_the_process_gets_the_contract_the_envelope_was_made_from(platform: Platform) -> None:
    """`decode` of an envelope this process built returns the contract it was dumped from (not validated again):
    equal to what validating its payload gives, for every published event of the demo; an envelope read back from
    bytes, or a copy with another payload, is validated as before; equality of envelopes ignores the kept one."""
    from events.envelope import Envelope
    from events.registry import decode

    checked = 0
    for app in platform.apps.values():
        envelopes, _ = app.integration_events(0, 1_000_000)
        for envelope in envelopes:
            kept = decode(envelope)
            assert kept is envelope.kept_contract()
            again = Envelope.from_bytes(envelope.to_bytes())
            assert again.kept_contract() is None and again == envelope
            assert decode(again) == kept and decode(again) is not kept
            checked += 1
    assert checked > 50
    envelope = envelopes[0]
    changed = envelope.model_copy(update={"payload": {**envelope.payload}})
    assert changed.kept_contract() is None
