from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from events.envelope import GENESIS_HASH
from services.common.aggregate import compute_hash
from services.common.clock import ManualClock
from services.common.errors import NotFoundError
from services.ledgers.application import LedgersApplication
from tests.factories import acting_as


def register(app: LedgersApplication) -> dict:
    return app.register_directive(
        group_id="group-mee", unit_id="unit-mee", reference_number="环发〔2025〕1号", issuer="生态环境部",
        title="关于推进长江保护修复的通知", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
        lead_department="水生态环境司",
    )


def test_every_event_records_actor_time_distribution_and_chains_its_hash() -> None:
    clock = ManualClock(datetime(2025, 1, 6, 2, 0, tzinfo=UTC))
    app = LedgersApplication(clock=clock)
    with app.acting(acting_as("zhang.wei")):
        directive_id = register(app)["directive_id"]
        clock.set(datetime(2025, 1, 7, 2, 0, tzinfo=UTC))
        app.record_stage(directive_id=directive_id, stage="relay_study", done_on=date(2025, 1, 6),
                         summary="党组会传达学习", done_by="部党组")
    events = list(app.events.get(directive_id and __import__("uuid").UUID(directive_id)))
    first, second = events
    assert first.actor == {"user": "zhang.wei", "org": "group-mee", "role": "staff"}
    assert first.timestamp == datetime(2025, 1, 6, 2, 0, tzinfo=UTC)
    assert second.timestamp == datetime(2025, 1, 7, 2, 0, tzinfo=UTC)
    assert first.distribution == "hq" and first.group_id == "group-mee" and second.unit_id == "unit-mee"
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    assert compute_hash(first) == first.hash and compute_hash(second) == second.hash
    assert first.correlation_id and first.correlation_id == second.correlation_id  # one context


def test_commands_of_one_context_share_a_correlation_id() -> None:
    app = LedgersApplication()
    context = acting_as("zhang.wei")
    from dataclasses import replace

    with app.acting(replace(context, correlation_id="corr-1")):
        directive_id = register(app)["directive_id"]
    envelopes, _ = app.integration_events(0, 10)
    assert envelopes[0].correlation_id == "corr-1"
    assert envelopes[0].stream_id == directive_id


def test_loading_an_unknown_or_malformed_id_is_not_found() -> None:
    app = LedgersApplication()
    with pytest.raises(NotFoundError):
        app.get_directive("not-a-uuid")
    with pytest.raises(NotFoundError):
        app.get_directive("6f1c2a4e-6a41-4f43-9a53-70616970687a")
