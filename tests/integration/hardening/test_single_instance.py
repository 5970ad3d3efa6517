"""One relay per service and one projector per read model: a second one waits as a standby (and says so), does
no work while the first runs, and takes over when the first stops."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.support import run_cli
from events.catalog import load_all
from events.envelope import Envelope
from events.topics import topic_for
from paizhu.keys import load_keys
from paizhu.services import build_app
from projections.common.db import connect
from projections.hq_dashboard.projection import HqDashboard
from projections.hq_dashboard.view import HqDashboardView
from runtime.projection_runner import ProjectionRunner
from runtime.relay import RELAY_TRACKING
from tests.conftest import last_published, read_topic, settings_from
from tests.factories import acting_as

pytestmark = pytest.mark.integration
STANDBY = "only one may run at a time; this one waits as a standby"


def register(app: Any, first: int, count: int) -> None:
    with app.acting(acting_as()):
        for n in range(first, first + count):
            directive_id = app.register_directive(
                group_id="group-mee", unit_id="unit-mee", reference_number=f"单例〔2025〕{n}号", issuer="生态环境部",
                title=f"单例{n}", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
                lead_department="办公厅")["directive_id"]
            app.record_stage(directive_id=directive_id, stage="relay_study", done_on=date(2025, 1, 4),
                             summary="传达", done_by="党组")


def wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def started(env: dict[str, str], log: Path, *args: str) -> Any:
    return run_cli(env, *args, stderr=log.open("w"), stdout=log.with_suffix(".out").open("w"))


def stop(*processes: Any) -> list[int]:
    """SIGTERM: each finishes its batch, commits and exits; their exit codes."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    return [process.wait(timeout=30) for process in processes]


def test_a_second_relay_and_a_second_projector_wait_and_take_over(
    distributed: dict[str, str], tmp_path: Path
) -> None:
    load_all()
    settings = settings_from(distributed)
    bootstrap = distributed["PAIZHU_KAFKA_BOOTSTRAP"]
    ledgers = build_app(settings, load_keys(settings), "ledgers")
    runner = ProjectionRunner(HqDashboard(), connect(settings.read_models_url()))
    runner.setup()
    relays = [started(distributed, tmp_path / f"relay{i}.log", "relay", "ledgers") for i in (1, 2)]
    projectors = [started(distributed, tmp_path / f"projector{i}.log", "project", "hq_dashboard") for i in (1, 2)]
    try:
        def waiting(kind: str) -> int:
            return sum(STANDBY in (tmp_path / f"{kind}{i}.log").read_text() for i in (1, 2))

        wait_until(lambda: waiting("relay") == 1, 60, "not exactly one relay says it waits")
        wait_until(lambda: waiting("projector") == 1, 60, "not exactly one projector says it waits")
        register(ledgers, 0, 20)
        wait_until(lambda: (ledgers.process_recorder.max_tracking_id(RELAY_TRACKING) or 0) == ledgers.max_position(),
                   60, "the relay did not publish")
        assert runner.wait_for("ledgers", last_published(ledgers), timeout=60)
        # only one relay published: every event once
        positions = Counter(Envelope.from_bytes(m.value).position for m in read_topic(bootstrap, topic_for("ledgers")))
        assert positions and max(positions.values()) == 1

        working_relay = 0 if STANDBY in (tmp_path / "relay2.log").read_text() else 1
        working_projector = 0 if STANDBY in (tmp_path / "projector2.log").read_text() else 1
        assert stop(relays[working_relay], projectors[working_projector]) == [0, 0]  # a clean stop on SIGTERM
        register(ledgers, 20, 5)  # the standbys take over
        wait_until(lambda: (ledgers.process_recorder.max_tracking_id(RELAY_TRACKING) or 0) == ledgers.max_position(),
                   60, "the standby relay did not take over")
        assert runner.wait_for("ledgers", last_published(ledgers), timeout=60), "the standby projector did not"
        rows = HqDashboardView(runner.db).directives(lambda row: row["title"].startswith("单例"))
        assert len(rows) == 25
        assert sum(row["stages_done"] for row in rows) == 25
        assert relays[1 - working_relay].poll() is None and projectors[1 - working_projector].poll() is None
        assert stop(relays[1 - working_relay], projectors[1 - working_projector]) == [0, 0]
        assert "stopped at position" in (tmp_path / f"relay{2 - working_relay}.log").read_text()
    finally:
        stop(*relays, *projectors)
        ledgers.close()
