"""A 20 s database cut: the relay and the projector reconnect by themselves and lose or double nothing.

Both processes reach PostgreSQL through a TCP proxy the test cuts (a black hole, as a network partition) and
restores; the test's own writes and checks go straight to the database.
"""

from __future__ import annotations

import time
from datetime import date

import pytest

from bench.reliability import PgProxy
from bench.support import PG_HOST, PG_PORT, run_cli
from events.catalog import load_all
from paizhu.keys import load_keys
from paizhu.services import build_app
from projections.common.db import connect
from projections.hq_dashboard.projection import HqDashboard
from projections.hq_dashboard.view import HqDashboardView
from runtime.projection_runner import ProjectionRunner
from runtime.relay import RELAY_TRACKING
from tests.conftest import last_published, settings_from
from tests.factories import acting_as

pytestmark = pytest.mark.integration
CUT_SECONDS = 20.0


def register(app, first: int, count: int) -> None:  # type: ignore[no-untyped-def]
    with app.acting(acting_as()):
        for n in range(first, first + count):
            directive_id = app.register_directive(
                group_id="group-mee", unit_id="unit-mee", reference_number=f"断库〔2025〕{n}号", issuer="生态环境部",
                title=f"断库{n}", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
                lead_department="办公厅")["directive_id"]
            app.record_stage(directive_id=directive_id, stage="relay_study", done_on=date(2025, 1, 4),
                             summary="传达", done_by="党组")


def test_relay_and_projector_survive_a_database_cut(distributed: dict[str, str]) -> None:
    load_all()
    settings = settings_from(distributed)
    ledgers = build_app(settings, load_keys(settings), "ledgers")
    runner = ProjectionRunner(HqDashboard(), connect(settings.read_models_url()))
    runner.setup()
    proxy = PgProxy(PG_HOST, PG_PORT)
    through_proxy = {**distributed, "PAIZHU_PG_PORT": str(proxy.port)}
    relay = run_cli(through_proxy, "relay", "ledgers")
    projector = run_cli(through_proxy, "project", "hq_dashboard")
    try:
        register(ledgers, 0, 10)
        assert runner.wait_for("ledgers", last_published(ledgers), timeout=60), "not caught up before the cut"

        proxy.cut()
        register(ledgers, 10, 10)  # recorded while the relay and the projector cannot reach the database
        time.sleep(CUT_SECONDS)
        assert relay.poll() is None and projector.poll() is None, "a process died during the cut"
        proxy.restore()

        started = time.monotonic()
        assert runner.wait_for("ledgers", last_published(ledgers), timeout=90), "not caught up after the cut"
        recovered = time.monotonic() - started
        assert relay.poll() is None and projector.poll() is None, "a process died after the cut"
        assert (ledgers.process_recorder.max_tracking_id(RELAY_TRACKING) or 0) == ledgers.max_position()
        rows = HqDashboardView(runner.db).directives(lambda row: row["title"].startswith("断库"))
        assert len(rows) == 20
        assert sum(row["stages_done"] for row in rows) == 20
        assert runner.dead_letter_count() == 0
        print(f"caught up {recovered:.1f}s after a {CUT_SECONDS:.0f}s cut")
    finally:
        for process in (relay, projector):
            process.terminate()
            process.wait(timeout=30)
        proxy.close()
        ledgers.close()
