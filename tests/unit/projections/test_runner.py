from __future__ import annotations

from datetime import date

import pytest

from events.catalog import load_all
from events.ledgers import DirectiveRegistered, DirectiveStageRecorded
from projections.common.db import SqliteDatabase
from projections.hq_dashboard.projection import HqDashboard
from projections.hq_dashboard.view import HqDashboardView
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import Item, ProjectionRunner
from services.ledgers.application import LedgersApplication
from tests.factories import acting_as, make_envelope

load_all()


def registered(position: int, directive_id: str, group: str = "group-mee"):
    return make_envelope(
        DirectiveRegistered(directive_id=directive_id, reference_number=f"环发〔2025〕{position}号",
                            issuer="生态环境部", title=f"批示件 {position}", issued_on=date(2025, 1, 2),
                            received_on=date(2025, 1, 3), lead_department="办公厅", category=None,
                            tied_to_duties=False),
        service="ledgers", position=position, group_id=group, stream_id=directive_id,
    )


@pytest.fixture
def runner() -> ProjectionRunner:
    runner = ProjectionRunner(HqDashboard(), SqliteDatabase(":memory:"))
    runner.setup()
    return runner


def count(runner: ProjectionRunner) -> int:
    return HqDashboardView(runner.db).summary(lambda row: True)["total_directives"]


def test_an_event_delivered_twice_is_applied_once(runner: ProjectionRunner) -> None:
    first = registered(1, "d1")
    stage = make_envelope(DirectiveStageRecorded(directive_id="d1", stage="relay_study", done_on=date(2025, 1, 5),
                                                 skipped_with_reason=False), service="ledgers", position=2)
    runner.process([Item("paizhu.ledgers.v1", 0, 0, first), Item("paizhu.ledgers.v1", 0, 1, stage)])
    # the relay republished both after a crash
    runner.process([Item("paizhu.ledgers.v1", 0, 2, first), Item("paizhu.ledgers.v1", 0, 3, stage)])
    rows = HqDashboardView(runner.db).directives(lambda row: True)
    assert len(rows) == 1 and rows[0]["stages_done"] == 1
    assert runner.positions() == {"ledgers": 2}
    assert runner.tracked_offsets() == {("paizhu.ledgers.v1", 0): 3}


def test_unknown_types_and_versions_are_dead_lettered_and_do_not_stop_the_view(runner: ProjectionRunner) -> None:
    unknown_type = registered(1, "d1").model_copy(update={"type": "ledgers.SomethingNew"})
    unknown_version = registered(2, "d2").model_copy(update={"schema_version": 7})
    garbage = Item("paizhu.ledgers.v1", 0, 2, raw=b"{not json")
    runner.process([Item("t", 0, 0, unknown_type), Item("t", 0, 1, unknown_version), garbage,
                    Item("t", 0, 3, registered(3, "d3"))])
    assert runner.dead_letter_count() == 3
    assert count(runner) == 1


def test_a_handler_failure_parks_only_the_poison_event(runner: ProjectionRunner) -> None:
    poison = registered(1, "d1").model_copy(update={"payload": {"directive_id": "d1"}})  # invalid payload
    runner.process([Item("t", 0, 0, poison), Item("t", 0, 1, registered(2, "d2"))])
    assert count(runner) == 1
    assert runner.dead_letter_count() == 1


def test_rebuild_from_the_store_gives_an_identical_checksum() -> None:
    app = LedgersApplication()
    with app.acting(acting_as()):
        for n in range(5):
            result = app.register_directive(
                group_id="group-mee", unit_id="unit-mee", reference_number=f"环发〔2025〕{n}号", issuer="生态环境部",
                title=f"批示件 {n}", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3), lead_department="办公厅")
            app.record_stage(directive_id=result["directive_id"], stage="relay_study", done_on=date(2025, 1, 4),
                             summary="传达", done_by="党组")
    runner = ProjectionRunner(HqDashboard(), SqliteDatabase(":memory:"))
    runner.setup()
    follower = LogFollower(runner, {"ledgers": app.integration_events}, batch=3)
    assert follower.run_once() == app.max_position()
    first = runner.projection.checksum(runner.db)
    runner.reset()
    assert count(runner) == 0
    follower.run_once()
    assert runner.projection.checksum(runner.db) == first
    assert count(runner) == 5
