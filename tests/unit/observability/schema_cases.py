"""Read-model schema versions, the same cases on SQLite (unit) and PostgreSQL (integration)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from events.catalog import load_all
from events.envelope import Envelope
from events.ledgers import DirectiveRegistered
from projections.common.db import Database
from projections.common.projection import ProjectionSchemaChanged
from projections.hq_dashboard.projection import HqDashboard
from runtime.projection_feeds import LogFollower
from runtime.projection_runner import ProjectionRunner
from tests.factories import make_envelope

load_all()


V = HqDashboard.schema_version
"""The version of the code; the cases below change it to V + 1."""


class HqDashboardV2(HqDashboard):
    schema_version = V + 1


class HqDashboardDdlEdited(HqDashboard):
    """The DDL changed but nobody bumped the version."""

    ddl = (*HqDashboard.ddl, "CREATE INDEX IF NOT EXISTS hq_directives_unit ON hq_directives (unit_id)")


def history(count: int) -> list[Envelope]:
    return [
        make_envelope(
            DirectiveRegistered(directive_id=f"d{n}", reference_number=f"环发〔2025〕{n}号", issuer="生态环境部",
                                title=f"批示件 {n}", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
                                lead_department="办公厅", category=None, tied_to_duties=False),
            service="ledgers", position=n, stream_id=f"d{n}",
        )
        for n in range(1, count + 1)
    ]


def follow(runner: ProjectionRunner, events: list[Envelope]) -> int:
    """The embedded feed over a notification log holding `events`."""
    def reader(after: int, limit: int) -> tuple[list[Envelope], int]:
        page = [e for e in events if e.position > after][:limit]
        return page, page[-1].position if page else after

    return LogFollower(runner, {"ledgers": reader}).run_once()


def rows(db: Database) -> int:
    with db.transaction() as tx:
        row = tx.fetchone("SELECT COUNT(*) FROM hq_directives")
    return int(row[0]) if row else 0


def stored_schema(db: Database) -> tuple[int, str] | None:
    with db.transaction() as tx:
        row = tx.fetchone("SELECT version, checksum_of_ddl FROM projection_schema WHERE name = %s",
                          ("hq_dashboard",))
    return (int(row[0]), str(row[1])) if row else None


DbFactory = Callable[[], Database]


def a_new_store_records_the_version_and_a_restart_keeps_the_rows(db: Database) -> None:
    runner = ProjectionRunner(HqDashboard(), db)
    runner.setup()
    assert stored_schema(db) == (V, HqDashboard.ddl_checksum())
    assert follow(runner, history(3)) == 3
    again = ProjectionRunner(HqDashboard(), db)
    again.setup()
    assert rows(db) == 3 and again.positions() == {"ledgers": 3}
    assert follow(again, history(3)) == 0


def a_changed_version_rebuilds_from_the_history_to_identical_tables(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    events = history(5)
    old = ProjectionRunner(HqDashboard(), db)
    old.setup()
    follow(old, events)
    before = old.projection.checksum(db)
    new = ProjectionRunner(HqDashboardV2(), db)
    with caplog.at_level("WARNING", logger="runtime.projection_runner"):
        new.setup()
    assert any("hq_dashboard" in r.getMessage() and f"database {V}" in r.getMessage()
               and f"code {V + 1}" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert rows(db) == 0 and new.tracked_offsets() == {} and new.positions() == {}
    assert stored_schema(db) == (V + 1, HqDashboardV2.ddl_checksum())
    with caplog.at_level("INFO"):
        assert follow(new, events) == 5
    assert any(r.getMessage().startswith("rebuilt hq_dashboard: 5 events") for r in caplog.records)
    assert new.projection.checksum(db) == before


def a_changed_version_refuses_to_start_when_rebuilding_is_not_allowed(db: Database) -> None:
    old = ProjectionRunner(HqDashboard(), db)
    old.setup()
    follow(old, history(2))
    with pytest.raises(ProjectionSchemaChanged) as refused:
        ProjectionRunner(HqDashboardV2(), db).setup(on_change="refuse")
    message = str(refused.value)
    assert "hq_dashboard" in message and f"database {V}" in message and f"code {V + 1}" in message
    assert rows(db) == 2 and stored_schema(db) == (V, HqDashboard.ddl_checksum())  # nothing touched


def an_edited_ddl_without_a_version_bump_counts_as_a_change(db: Database) -> None:
    old = ProjectionRunner(HqDashboard(), db)
    old.setup()
    follow(old, history(2))
    with pytest.raises(ProjectionSchemaChanged, match="without a version bump"):
        ProjectionRunner(HqDashboardDdlEdited(), db).setup(on_change="refuse")
    edited = ProjectionRunner(HqDashboardDdlEdited(), db)
    edited.setup()
    assert rows(db) == 0 and stored_schema(db) == (V, HqDashboardDdlEdited.ddl_checksum())


def tables_from_before_schema_versions_are_rebuilt(db: Database) -> None:
    old = ProjectionRunner(HqDashboard(), db)
    old.setup()
    follow(old, history(2))
    with db.transaction() as tx:
        tx.execute("DROP TABLE projection_schema")  # as a store written before this change
    with pytest.raises(ProjectionSchemaChanged, match="unversioned"):
        ProjectionRunner(HqDashboard(), db).setup(on_change="refuse")
    runner = ProjectionRunner(HqDashboard(), db)
    runner.setup()
    assert rows(db) == 0 and follow(runner, history(2)) == 2


def a_reader_that_does_not_own_the_read_model_leaves_it_alone(db: Database) -> None:
    old = ProjectionRunner(HqDashboard(), db)
    old.setup()
    follow(old, history(2))
    ProjectionRunner(HqDashboardV2(), db).setup(on_change="leave")
    assert rows(db) == 2 and stored_schema(db) == (V, HqDashboard.ddl_checksum())


CASES = [
    a_new_store_records_the_version_and_a_restart_keeps_the_rows,
    a_changed_version_refuses_to_start_when_rebuilding_is_not_allowed,
    an_edited_ddl_without_a_version_bump_counts_as_a_change,
    tables_from_before_schema_versions_are_rebuilt,
    a_reader_that_does_not_own_the_read_model_leaves_it_alone,
]
"""Cases taking only the database; the rebuild case also takes caplog."""
